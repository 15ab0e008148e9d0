package org.facteur.webmail.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.textfield.TextField;
import java.io.IOException;
import org.facteur.webmail.mail.MailSession;

import static org.facteur.webmail.ui.Texts.t;

/** Creating a folder; renaming, deleting, subscribing to or unsubscribing from the open one. */
final class FolderDialogs {

    private FolderDialogs() {
    }

    static void create(MailSession mail, Runnable done) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(t("folder.new"));
        TextField name = new TextField(t("folder.name"));
        name.setId("new-folder-name");
        Button create = new Button(t("folder.create"), e -> {
            try {
                mail.createFolder(name.getValue().strip());
                dialog.close();
                done.run();
            } catch (IOException ex) {
                MailView.notify(t("folder.not-created", ex.getMessage()), true);
            }
        });
        create.setId("new-folder-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(name);
        dialog.getFooter().add(new Button(t("folder.cancel"), e -> dialog.close()), create);
        dialog.open();
    }

    /** Rename, delete or (un)subscribe the open folder; INBOX and the special-use folders cannot be renamed or deleted. */
    static void manage(MailSession mail, String folder, java.util.function.Consumer<String> done) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(t("folder.title", folder));
        TextField name = new TextField(t("folder.new-name"), folder, "");
        name.setId("rename-folder-name");
        Button rename = new Button(t("folder.rename"), e -> {
            try {
                String to = name.getValue().strip();
                mail.renameFolder(folder, to);
                dialog.close();
                done.accept(to);
            } catch (IOException ex) {
                MailView.notify(t("folder.not-renamed", ex.getMessage()), true);
            }
        });
        rename.setId("rename-folder");
        Button delete = new Button(t("folder.delete"), e -> {
            try {
                mail.deleteFolder(folder);
                dialog.close();
                done.accept(null);
            } catch (IOException ex) {
                MailView.notify(t("folder.not-deleted", ex.getMessage()), true);
            }
        });
        delete.setId("delete-folder");
        Checkbox subscribed = new Checkbox(t("folder.subscribed"));
        subscribed.setId("folder-subscribed");
        try {
            subscribed.setValue(mail.subscriptions().contains(folder));
        } catch (IOException ex) {
            subscribed.setEnabled(false);
        }
        subscribed.addValueChangeListener(e -> {
            try {
                mail.subscribe(folder, e.getValue());
                done.accept(folder);
            } catch (IOException ex) {
                MailView.notify(t("mail.failed", ex.getMessage()), true);
            }
        });
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        dialog.add(new VerticalLayout(name, subscribed));
        dialog.getFooter().add(new Button(t("folder.cancel"), e -> dialog.close()), delete, rename);
        dialog.open();
    }
}
