package org.facteur.webmail.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import java.util.List;
import org.facteur.auth.DirectoryException;
import org.facteur.auth.settings.SettingsStore;

/**
 * The senders whose remote images the user always loads (added from a message with "Always show images from
 * ..."), each with a button that removes it.
 */
final class ImageSendersSection extends VerticalLayout {

    private final String account;
    private final SettingsStore store;
    private final VerticalLayout entries = new VerticalLayout();

    ImageSendersSection(String account, SettingsStore store) {
        this.account = account;
        this.store = store;
        setPadding(false);
        setId("settings-images");
        entries.setId("settings-image-senders");
        entries.setPadding(false);
        entries.setSpacing(false);
        add(new H3(getTranslation("images.settings.title")), new Span(getTranslation("images.settings.help")), entries);
        showEntries();
    }

    private void showEntries() {
        entries.removeAll();
        List<String> senders;
        try {
            senders = store.imageSenders(account);
        } catch (DirectoryException e) {
            entries.add(new Span(getTranslation("settings.notSaved")));
            return;
        }
        if (senders.isEmpty()) {
            entries.add(new Span(getTranslation("images.settings.none")));
        }
        int i = 0;
        for (String sender : senders) {
            Button remove = new Button(getTranslation("settings.spam.remove"), e -> {
                if (SettingsView.save(this, account, () -> store.forgetImageSender(account, sender))) {
                    showEntries();
                }
            });
            remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
            remove.setId("settings-image-sender-remove-" + i++);
            HorizontalLayout row = new HorizontalLayout(new Span(sender), remove);
            row.setAlignItems(Alignment.BASELINE);
            entries.add(row);
        }
    }
}
