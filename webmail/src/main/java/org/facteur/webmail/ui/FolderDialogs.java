package org.facteur.webmail.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.textfield.TextField;
import java.io.IOException;
import org.facteur.webmail.mail.MailSession;

/** Creating a folder (rename and delete go through the same storage calls; see docs/webmail.md). */
final class FolderDialogs {

    private FolderDialogs() {
    }

    static void create(MailSession mail, Runnable done) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("New folder");
        TextField name = new TextField("Name");
        name.setId("new-folder-name");
        Button create = new Button("Create", e -> {
            try {
                mail.createFolder(name.getValue().strip());
                dialog.close();
                done.run();
            } catch (IOException ex) {
                MailView.notify("Not created: " + ex.getMessage(), true);
            }
        });
        create.setId("new-folder-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(name);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), create);
        dialog.open();
    }
}
