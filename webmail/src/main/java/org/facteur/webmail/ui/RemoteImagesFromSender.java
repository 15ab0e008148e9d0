package org.facteur.webmail.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import java.util.Optional;
import org.facteur.auth.DirectoryException;
import org.facteur.webmail.mail.AuthenticatedAuthor;
import org.facteur.webmail.mail.ReadMessage;
import org.facteur.webmail.settings.SettingsServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Always show images from this sender": the user's allow list of senders (kept in the settings store, removed
 * from the settings page) and the check that lets a message's remote images load without a click. The list is
 * trusted only for a message whose From this server authenticated ({@link AuthenticatedAuthor}): a forged From
 * of an allowed sender still gets its images blocked.
 */
final class RemoteImagesFromSender {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteImagesFromSender.class);

    private RemoteImagesFromSender() {
    }

    /** Whether the message's remote images load at once: an authenticated author the user always allows. */
    static boolean allowed(String account, ReadMessage message) {
        Optional<SettingsServices> services = SettingsServices.current();
        if (services.isEmpty()) {
            return false;
        }
        Optional<String> author = AuthenticatedAuthor.of(message, services.get().authservId());
        try {
            return author.isPresent() && services.get().settings().imageSenders(account).contains(author.get());
        } catch (DirectoryException e) {
            LOG.warn("cannot read the image senders of {}: {}", account, e.toString());
            return false;
        }
    }

    /**
     * The button that adds the message's sender to the list and shows this message's images; none when the
     * server keeps no settings or the From is not one address.
     */
    static Optional<Button> alwaysButton(String account, ReadMessage message, Runnable showImages) {
        Optional<SettingsServices> services = SettingsServices.current();
        if (services.isEmpty() || message.fromAddresses().size() != 1) {
            return Optional.empty();
        }
        String sender = message.fromAddresses().getFirst();
        Button button = new Button();
        button.setText(button.getTranslation("images.always", sender));
        button.setId("always-show-images");
        button.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        button.addClickListener(e -> {
            try {
                services.get().settings().allowImagesFrom(account, sender);
            } catch (IllegalArgumentException | DirectoryException ex) {
                MailView.notify(button.getTranslation("images.notSaved", ex.getMessage()), true);
                return;
            }
            boolean authenticated = AuthenticatedAuthor.of(message, services.get().authservId()).isPresent();
            MailView.notify(button.getTranslation(authenticated ? "images.saved" : "images.savedUnauthenticated",
                    sender), false);
            showImages.run();
        });
        return Optional.of(button);
    }
}
