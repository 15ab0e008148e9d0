package org.facteur.webmail.ui.settings;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import java.util.ArrayList;
import java.util.List;
import org.facteur.auth.settings.SettingsStore;
import org.facteur.auth.settings.UserSettings;
import org.facteur.webmail.WebmailServices;
import org.facteur.webmail.settings.LocaleChooser;

/** Display name, language, the addresses the account owns (read only: the admin sets them), and the signature. */
final class ProfileSection extends VerticalLayout {

    private final String account;
    private final SettingsStore store;
    private final TextField displayName = new TextField();
    private final Select<String> language = new Select<>();
    private final TextArea signature = new TextArea();

    ProfileSection(String account, SettingsStore store) {
        this.account = account;
        this.store = store;
        setPadding(false);
        setId("settings-profile");
        displayName.setLabel(getTranslation("settings.profile.displayName"));
        displayName.setId("settings-display-name");
        displayName.setMaxLength(UserSettings.MAX_DISPLAY_NAME);
        displayName.setWidthFull();
        List<String> languages = new ArrayList<>(List.of(""));
        LocaleChooser.LANGUAGES.forEach(l -> languages.add(l.getLanguage()));
        language.setLabel(getTranslation("settings.profile.language"));
        language.setId("settings-language");
        language.setItems(languages);
        language.setItemLabelGenerator(code -> code.isEmpty() ? getTranslation("settings.profile.languageBrowser")
                : getTranslation("settings.profile.language." + code));
        signature.setLabel(getTranslation("settings.profile.signature"));
        signature.setHelperText(getTranslation("settings.profile.signatureHelp"));
        signature.setId("settings-signature");
        signature.setMaxLength(UserSettings.MAX_SIGNATURE);
        signature.setWidthFull();
        VerticalLayout identities = new VerticalLayout();
        identities.setId("settings-identities");
        identities.setPadding(false);
        identities.setSpacing(false);
        for (String address : WebmailServices.current().directory().identities(account)) {
            identities.add(new Span(address));
        }
        Button save = new Button(getTranslation("settings.save"), e -> save());
        save.setId("settings-save-profile");
        add(new H3(getTranslation("settings.profile.title")), displayName, language,
                new Span(getTranslation("settings.profile.identities")), identities, signature, save);
        load();
    }

    private void load() {
        UserSettings s = store.settings(account);
        displayName.setValue(s.displayName());
        language.setValue(s.language());
        signature.setValue(s.signature());
    }

    private void save() {
        UserSettings old = store.settings(account);
        String chosen = language.getValue() == null ? "" : language.getValue();
        boolean saved = SettingsView.save(this, account, () -> store.save(account, new UserSettings(displayName.getValue(),
                signature.getValue().replace("\r\n", "\n"), chosen, old.requiredScore(), old.spamPlacement())));
        if (saved && !old.language().equals(chosen)) {
            UI.getCurrent().getPage().reload(); // the whole page in the new language
        }
    }
}
