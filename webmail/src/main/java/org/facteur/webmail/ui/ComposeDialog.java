package org.facteur.webmail.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.server.streams.UploadHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.facteur.webmail.MailSubmitter;
import org.facteur.webmail.WebmailServices;
import org.facteur.webmail.mail.Draft;
import org.facteur.webmail.mail.MailSession;
import org.facteur.webmail.mail.MessageComposer;
import org.facteur.webmail.mail.ReadMessage;
import org.facteur.webmail.settings.SettingsServices;
import org.facteur.webmail.settings.Signature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writing a message: new, reply, reply-all or forward; plain text; attachments by upload; send or save as draft. */
class ComposeDialog extends Dialog {

    private static final Logger LOG = LoggerFactory.getLogger(ComposeDialog.class);

    enum Mode { NEW, REPLY, REPLY_ALL, FORWARD, FORWARD_ATTACHED }

    /**
     * The body reaches the server this long after typing pauses, and the draft is saved then: the browser does
     * the debouncing, so a draft is written at most once per pause, never per key.
     */
    static final int AUTOSAVE_PAUSE_MS = 2000;

    private final MailSession mail;
    private final Runnable afterSend;
    private final Select<String> from = new Select<>();
    private final AddressField to;
    private final AddressField cc;
    private final AddressField bcc;
    private final TextField subject = new TextField(getTranslation("compose.subject"));
    private final TextArea body = new TextArea();
    private final List<Draft.Upload> uploads = Collections.synchronizedList(new ArrayList<>());
    private final Div attached = new Div();
    private final Span draftStatus = new Span();
    private String inReplyTo;
    private String references;
    /** The UID in Drafts of the copy saved last (0: none); replaced by each save, removed once sent. */
    private long draftUid;
    private boolean dirty;
    private boolean finished;

    ComposeDialog(MailSession mail, Mode mode, ReadMessage original, Consumer<List<Draft.Upload>> forwardedParts,
                  Runnable afterSend) {
        this.mail = mail;
        this.afterSend = afterSend;
        to = new AddressField(getTranslation("compose.to"), "compose-to", mail::suggest);
        cc = new AddressField(getTranslation("compose.cc"), "compose-cc", mail::suggest);
        bcc = new AddressField(getTranslation("compose.bcc"), "compose-bcc", mail::suggest);
        setHeaderTitle(switch (mode) {
            case NEW -> getTranslation("compose.new");
            case REPLY, REPLY_ALL -> getTranslation("compose.reply");
            case FORWARD, FORWARD_ATTACHED -> getTranslation("compose.forward");
        });
        setWidth("min(60em, 100vw)");
        setId("compose-dialog");

        List<String> identities = mail.identities();
        from.setLabel(getTranslation("compose.from"));
        from.setItems(identities);
        from.setValue(identities.contains(mail.account()) ? mail.account() : identities.getFirst());
        from.setId("compose-from");
        subject.setId("compose-subject");
        body.setId("compose-body");
        body.setWidthFull();
        body.setMinHeight("14em");
        subject.setWidthFull();
        prefill(mode, original);
        body.setValue(Signature.appendTo(body.getValue(), SettingsServices.of(mail.account()).signature()));
        if ((mode == Mode.FORWARD || mode == Mode.FORWARD_ATTACHED) && forwardedParts != null) {
            forwardedParts.accept(uploads);
        }

        UI ui = UI.getCurrent();
        long maxUpload = WebmailServices.current().config().get().maxUploadSize().bytes();
        Upload upload = new Upload(UploadHandler.inMemory((metadata, data) -> {
            long total;
            synchronized (uploads) {
                total = uploads.stream().mapToLong(u -> u.data().length).sum() + data.length;
                if (total <= maxUpload) {
                    uploads.add(new Draft.Upload(metadata.fileName(), metadata.contentType(), data));
                }
            }
            ui.access(() -> {
                if (total > maxUpload) {
                    MailView.notify(getTranslation("compose.upload-limit", Sizes.human(maxUpload)), true);
                }
                showAttached();
            });
        }));
        upload.setId("compose-upload");
        upload.setMaxFileSize((int) Math.min(Integer.MAX_VALUE, maxUpload));
        attached.setId("compose-attached");
        showAttached();

        Button send = new Button(getTranslation("compose.send"), e -> send());
        send.setId("compose-send");
        send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button draft = new Button(getTranslation("compose.save-draft"), e -> saveDraft());
        draft.setId("compose-save-draft");
        Button cancel = new Button(getTranslation("compose.discard"), e -> discard());
        cancel.setId("compose-cancel");
        VerticalLayout form = new VerticalLayout(from, to, cc, bcc, subject, body, upload, attached);
        form.setPadding(false);
        add(form);
        draftStatus.setId("compose-draft-status");
        draftStatus.addClassName("draft-status");
        getFooter().add(draftStatus, cancel, draft, send);

        // Drafts are saved while the user writes: a pause in typing sends the text, and a change then saves.
        body.setValueChangeMode(com.vaadin.flow.data.value.ValueChangeMode.LAZY);
        body.setValueChangeTimeout(AUTOSAVE_PAUSE_MS);
        // The subject (sent when it loses the focus) and the body save; an address alone only marks the draft
        // changed, since the address fields talk to the server at every short pause for their suggestions.
        for (var field : List.of(subject, body)) {
            field.addValueChangeListener(e -> {
                if (e.isFromClient()) {
                    autosave();
                }
            });
        }
        for (var field : List.of(to.field(), cc.field(), bcc.field())) {
            field.addValueChangeListener(e -> dirty |= e.isFromClient());
        }
        // Closed without Send or Discard (Escape, a click beside it): what was written stays in Drafts.
        addOpenedChangeListener(e -> {
            if (!e.isOpened() && dirty && !finished) {
                autosave();
            }
        });
    }

    private void autosave() {
        if (to.getValue().isBlank() && cc.getValue().isBlank() && bcc.getValue().isBlank()
                && subject.getValue().isBlank() && body.getValue().isBlank()) {
            return;
        }
        try {
            draftUid = mail.saveDraft(draft(), draftUid);
            dirty = false;
            draftStatus.setText(getTranslation("compose.draft-autosaved",
                    java.time.LocalTime.now().withNano(0).toString()));
        } catch (IOException e) {
            draftStatus.setText(getTranslation("compose.draft-not-saved", e.getMessage()));
        }
    }

    /** Throws the message away, with its saved copy. */
    private void discard() {
        finished = true;
        try {
            mail.discardDraft(draftUid);
        } catch (IOException e) {
            LOG.warn("draft {} of {} not removed", draftUid, mail.account(), e);
        }
        close();
        afterSend.run();
    }

    private void prefill(Mode mode, ReadMessage original) {
        if (original == null) {
            return;
        }
        switch (mode) {
            case REPLY, REPLY_ALL -> {
                List<String> recipients = new ArrayList<>(original.replyAddresses());
                to.setValue(String.join(", ", recipients));
                if (mode == Mode.REPLY_ALL) {
                    List<String> own = mail.identities().stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
                    List<String> others = new ArrayList<>();
                    for (String a : concat(original.toAddresses(), original.ccAddresses())) {
                        String lower = a.toLowerCase(Locale.ROOT);
                        if (!own.contains(lower) && recipients.stream().noneMatch(r -> r.equalsIgnoreCase(a))
                                && !others.contains(a)) {
                            others.add(a);
                        }
                    }
                    cc.setValue(String.join(", ", others));
                }
                subject.setValue(MessageComposer.replySubject(original.subject()));
                body.setValue(MessageComposer.quote(original));
                inReplyTo = original.messageId();
                references = MessageComposer.references(original);
            }
            case FORWARD -> {
                subject.setValue(MessageComposer.forwardSubject(original.subject()));
                body.setValue(MessageComposer.forwardText(original));
            }
            case FORWARD_ATTACHED -> subject.setValue(MessageComposer.forwardSubject(original.subject()));
            case NEW -> { }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The original itself, attached to a forward as message/rfc822 (RFC 2046 §5.2.1). */
    static List<Draft.Upload> originalAsAttachment(MailSession mail, long uid, ReadMessage original) {
        try {
            String name = (original.subject().isBlank() ? "message" : original.subject().replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_"))
                    + ".eml";
            return List.of(new Draft.Upload(name, "message/rfc822", mail.raw(uid)));
        } catch (IOException e) {
            LOG.warn("message {} not attached", uid, e);
            return List.of();
        }
    }

    /** The original's attachments, re-attached to a forward. */
    static List<Draft.Upload> originalAttachments(MailSession mail, long uid, ReadMessage original) {
        List<Draft.Upload> out = new ArrayList<>();
        for (ReadMessage.Attachment a : original.attachments()) {
            try {
                mail.part(uid, a.part()).ifPresent(p -> out.add(new Draft.Upload(a.filename(), a.mimeType(), p.data())));
            } catch (IOException e) {
                LOG.debug("attachment {} not re-attached", a.part(), e);
            }
        }
        return out;
    }

    private void showAttached() {
        attached.removeAll();
        synchronized (uploads) {
            for (Draft.Upload u : List.copyOf(uploads)) {
                Span s = new Span(u.filename() + " (" + Sizes.human(u.data().length) + ")");
                Button remove = new Button("×", e -> {
                    uploads.remove(u);
                    showAttached();
                });
                remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
                attached.add(new Div(s, remove));
            }
        }
    }

    private Draft draft() {
        List<Draft.Upload> files;
        synchronized (uploads) {
            files = List.copyOf(uploads);
        }
        return new Draft(from.getValue(), SettingsServices.of(mail.account()).displayName(), MessageComposer.split(to.getValue()), MessageComposer.split(cc.getValue()),
                MessageComposer.split(bcc.getValue()), subject.getValue(), body.getValue(), inReplyTo, references, files);
    }

    private void send() {
        try {
            mail.send(draft());
            finished = true;
            try {
                mail.discardDraft(draftUid);
            } catch (IOException e) {
                LOG.warn("sent, but draft {} of {} not removed", draftUid, mail.account(), e);
            }
            MailView.notify(getTranslation("compose.sent"), false);
            close();
            afterSend.run();
        } catch (MailSubmitter.RejectedException e) {
            MailView.notify(getTranslation("compose.not-sent", e.getMessage()), true);
        } catch (IOException e) {
            LOG.warn("sending failed for {}", mail.account(), e);
            MailView.notify(getTranslation("compose.not-sent", e.getMessage()), true);
        }
    }

    private void saveDraft() {
        try {
            draftUid = mail.saveDraft(draft(), draftUid);
            finished = true;
            MailView.notify(getTranslation("compose.draft-saved"), false);
            close();
            afterSend.run();
        } catch (IOException e) {
            MailView.notify(getTranslation("compose.draft-not-saved", e.getMessage()), true);
        }
    }
}
