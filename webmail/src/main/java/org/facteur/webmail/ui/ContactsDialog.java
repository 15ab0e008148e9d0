package org.facteur.webmail.ui;

import static org.facteur.webmail.ui.Texts.t;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;
import com.vaadin.flow.server.streams.UploadHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import org.facteur.webmail.WebmailServices;
import org.facteur.webmail.contacts.Contact;
import org.facteur.webmail.contacts.ContactBook;
import org.facteur.webmail.contacts.ContactsConfig;
import org.facteur.webmail.contacts.VCard;
import org.facteur.webmail.contacts.VCardException;

/**
 * The user's address book: the list, add, edit, delete, and vCard import and export. The account is the one of
 * the HTTP session (given by the mail view), never a value from the request.
 */
final class ContactsDialog extends Dialog {

    private final String account;
    private final ContactBook book;
    private final ContactsConfig limits;
    private final Grid<Contact> grid = new Grid<>();

    ContactsDialog(String account) {
        this.account = account;
        WebmailServices services = WebmailServices.current();
        this.book = services.contacts();
        this.limits = services.config().get().contacts();
        setId("contacts-dialog");
        setHeaderTitle(t("contacts.title"));
        setWidth("min(50em, 100vw)");

        grid.setId("contacts-list");
        grid.addColumn(Contact::label).setHeader(t("contacts.name")).setFlexGrow(2);
        grid.addColumn(c -> String.join(", ", c.emails())).setHeader(t("contacts.emails")).setFlexGrow(3);
        grid.addColumn(Contact::phone).setHeader(t("contacts.phone")).setFlexGrow(1);
        grid.setSelectionMode(Grid.SelectionMode.MULTI);
        grid.addItemDoubleClickListener(e -> edit(e.getItem()));
        grid.setHeight("20em");

        Button add = new Button(t("contacts.add"), e -> edit(new Contact(0, "", List.of(), "", "")));
        add.setId("contact-add");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button editButton = new Button(t("contacts.edit"), e -> grid.getSelectedItems().stream().findFirst().ifPresent(this::edit));
        editButton.setId("contact-edit");
        Button delete = new Button(t("contacts.delete"), e -> delete());
        delete.setId("contact-delete");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);

        UI ui = UI.getCurrent();
        Upload importer = new Upload();
        importer.setUploadHandler(UploadHandler.inMemory((metadata, data) -> ui.access(() -> {
            importCards(data);
            importer.clearFileList();
        })));
        importer.setId("contacts-import");
        importer.setMaxFiles(1);
        importer.setAcceptedFileTypes(".vcf", "text/vcard", "text/x-vcard");
        importer.setMaxFileSize((int) Math.min(Integer.MAX_VALUE, limits.maxImportSize().bytes()));
        importer.setUploadButton(new Button(t("contacts.import")));
        importer.setDropAllowed(false);

        Anchor export = new Anchor(DownloadHandler.fromInputStream(event -> {
            byte[] vcf = VCard.write(book.list(account)).getBytes(StandardCharsets.UTF_8);
            return new DownloadResponse(new ByteArrayInputStream(vcf), "contacts.vcf", "text/vcard; charset=utf-8", vcf.length);
        }), t("contacts.export"));
        export.setId("contacts-export");
        export.getElement().setAttribute("download", true);

        HorizontalLayout buttons = new HorizontalLayout(add, editButton, delete, importer, export);
        buttons.setAlignItems(FlexComponent.Alignment.BASELINE);
        buttons.getStyle().set("flex-wrap", "wrap");
        add(buttons, grid);
        Button close = new Button(t("contacts.close"), e -> close());
        close.setId("contacts-close");
        getFooter().add(close);
        reload();
    }

    private void reload() {
        try {
            grid.setItems(book.list(account));
        } catch (IOException e) {
            MailView.notify(t("mail.failed", e.getMessage()), true);
        }
    }

    private void importCards(byte[] data) {
        try {
            List<Contact> cards = VCard.parse(data, limits.importLimits());
            // Importing the same file twice adds nothing: a card equal to a contact already there is skipped.
            Set<Contact> known = new HashSet<>();
            book.list(account).forEach(c -> known.add(c.withId(0)));
            cards = cards.stream().filter(c -> !known.contains(c)).distinct().toList();
            book.save(account, cards, limits.maxContacts());
            MailView.notify(t("contacts.imported", cards.size()), false);
        } catch (VCardException e) {
            MailView.notify(t("contacts.import-failed", e.getMessage()), true);
        } catch (IOException e) {
            MailView.notify(t("contacts.import-failed", e.getMessage()), true);
        }
        reload();
    }

    private void delete() {
        try {
            book.delete(account, grid.getSelectedItems().stream().map(Contact::id).toList());
        } catch (IOException e) {
            MailView.notify(t("mail.failed", e.getMessage()), true);
        }
        reload();
    }

    /** The form for one contact; addresses are separated by commas or new lines. */
    private void edit(Contact contact) {
        Dialog form = new Dialog();
        form.setId("contact-form");
        form.setHeaderTitle(contact.id() == 0 ? t("contacts.add") : t("contacts.edit"));
        TextField name = new TextField(t("contacts.name"), contact.name(), "");
        name.setId("contact-name");
        TextArea emails = new TextArea(t("contacts.emails"));
        emails.setValue(String.join("\n", contact.emails()));
        emails.setId("contact-emails");
        TextField phone = new TextField(t("contacts.phone"), contact.phone(), "");
        phone.setId("contact-phone");
        TextArea note = new TextArea(t("contacts.note"));
        note.setValue(contact.note());
        note.setId("contact-note");
        for (var f : List.of(name, emails, phone, note)) {
            ((com.vaadin.flow.component.HasSize) f).setWidthFull();
        }
        Button save = new Button(t("contacts.save"), e -> {
            Contact edited = new Contact(contact.id(), name.getValue(),
                    Arrays.stream(emails.getValue().split("[,\\n]")).toList(), phone.getValue(), note.getValue());
            try {
                book.save(account, List.of(edited), limits.maxContacts());
                form.close();
                reload();
            } catch (IOException ex) {
                MailView.notify(t("contacts.not-saved", ex.getMessage()), true);
            }
        });
        save.setId("contact-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        form.add(new com.vaadin.flow.component.orderedlayout.VerticalLayout(name, emails, phone, note));
        form.getFooter().add(new Button(t("folder.cancel"), e -> form.close()), save);
        form.open();
    }
}
