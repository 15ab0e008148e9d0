package org.facteur.webmail.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.facteur.auth.settings.SettingsStore;
import org.facteur.auth.settings.UserSettings;
import org.facteur.filters.policy.SenderLists;

/**
 * The account's spam threshold and where spam goes (read by the filters' {@code Scope} at the next message),
 * and its allow and block lists of senders (the filters' {@link SenderLists}).
 */
final class SpamSection extends VerticalLayout {

    private final String account;
    private final SettingsStore store;
    private final SenderLists lists;
    private final NumberField threshold = new NumberField();
    private final Select<UserSettings.SpamPlacement> placement = new Select<>();
    private final TextField pattern = new TextField();
    private final VerticalLayout entries = new VerticalLayout();

    SpamSection(String account, SettingsStore store, SenderLists lists) {
        this.account = account;
        this.store = store;
        this.lists = lists;
        setPadding(false);
        setId("settings-spam");
        threshold.setLabel(getTranslation("settings.spam.threshold"));
        threshold.setHelperText(getTranslation("settings.spam.thresholdHelp"));
        threshold.setId("settings-spam-threshold");
        threshold.setMin(0.1);
        threshold.setMax(999);
        threshold.setStep(0.1);
        threshold.setClearButtonVisible(true);
        placement.setLabel(getTranslation("settings.spam.placement"));
        placement.setId("settings-spam-placement");
        placement.setItems(UserSettings.SpamPlacement.values());
        placement.setItemLabelGenerator(p -> getTranslation("settings.spam.placement." + p.name().toLowerCase(java.util.Locale.ROOT)));
        Button save = new Button(getTranslation("settings.save"), e -> save());
        save.setId("settings-save-spam");
        add(new H3(getTranslation("settings.spam.title")), threshold, placement, save);
        if (lists != null) {
            pattern.setLabel(getTranslation("settings.spam.sender"));
            pattern.setHelperText(getTranslation("settings.spam.senderHelp"));
            pattern.setId("settings-sender-pattern");
            pattern.setMaxLength(320);
            Button allow = new Button(getTranslation("settings.spam.allow"), e -> put(true));
            allow.setId("settings-sender-allow");
            Button block = new Button(getTranslation("settings.spam.block"), e -> put(false));
            block.setId("settings-sender-block");
            HorizontalLayout add = new HorizontalLayout(pattern, allow, block);
            add.setAlignItems(Alignment.BASELINE);
            entries.setId("settings-sender-list");
            entries.setPadding(false);
            entries.setSpacing(false);
            add(new Span(getTranslation("settings.spam.lists")), entries, add);
            showEntries();
        }
        load();
    }

    private void load() {
        UserSettings s = store.settings(account);
        threshold.setValue(s.requiredScore().orElse(null));
        placement.setValue(s.spamPlacement());
    }

    private void save() {
        UserSettings old = store.settings(account);
        SettingsView.save(this, account, () -> store.save(account, new UserSettings(old.displayName(), old.signature(),
                old.language(), Optional.ofNullable(threshold.getValue()), placement.getValue())));
    }

    private void put(boolean allow) {
        String p = pattern.getValue().strip();
        if (!p.matches("[^\\s@]+@[^\\s@]+\\.[^\\s@]+|@?[^\\s@]+\\.[^\\s@]+")) {
            pattern.setInvalid(true);
            pattern.setErrorMessage(getTranslation("settings.spam.senderInvalid"));
            return;
        }
        pattern.setInvalid(false);
        if (SettingsView.save(this, account, () -> io(() -> lists.put(account, p, allow)))) {
            pattern.clear();
            showEntries();
        }
    }

    private void showEntries() {
        entries.removeAll();
        List<SenderLists.Entry> list;
        try {
            list = lists.list(account);
        } catch (IOException e) {
            entries.add(new Span(getTranslation("settings.notSaved")));
            return;
        }
        int i = 0;
        for (SenderLists.Entry entry : list) {
            Span text = new Span(getTranslation(entry.allow() ? "settings.spam.allowed" : "settings.spam.blocked", entry.pattern()));
            Button remove = new Button(getTranslation("settings.spam.remove"), e -> {
                if (SettingsView.save(this, account, () -> io(() -> {
                    lists.remove(account, entry.pattern());
                }))) {
                    showEntries();
                }
            });
            remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
            remove.setId("settings-sender-remove-" + i++);
            HorizontalLayout row = new HorizontalLayout(text, remove);
            row.setAlignItems(Alignment.BASELINE);
            entries.add(row);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
