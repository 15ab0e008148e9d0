package org.facteur.webmail.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import java.time.Instant;
import java.util.OptionalLong;
import org.facteur.auth.sasl.SaslStep;
import org.facteur.auth.totp.Base32;
import org.facteur.auth.totp.Totp;
import org.facteur.auth.totp.TotpStore;
import org.facteur.webmail.WebmailServices;
import org.facteur.webmail.ui.LoginView;

/**
 * The TOTP second factor (RFC 6238) of the webmail login: set up (a new secret shown in base32 and as an
 * otpauth:// link, switched on only once a code from the app proves the app has it), and switched off with a
 * code. IMAP, POP3 and SMTP keep the password alone.
 */
final class TwoFactorSection extends VerticalLayout {

    private final String account;
    private final TotpStore store;
    private final VerticalLayout body = new VerticalLayout();

    TwoFactorSection(String account, TotpStore store) {
        this.account = account;
        this.store = store;
        setPadding(false);
        setId("settings-totp");
        body.setPadding(false);
        add(new H3(getTranslation("settings.totp.title")), body);
        show();
    }

    private void show() {
        body.removeAll();
        boolean on = store.totp(account).map(TotpStore.Enrolment::enabled).orElse(false);
        Span state = new Span(getTranslation(on ? "settings.totp.on" : "settings.totp.off"));
        state.setId("settings-totp-state");
        body.add(state, new Paragraph(getTranslation("settings.totp.help")));
        if (on) {
            TextField code = codeField();
            Button disable = new Button(getTranslation("settings.totp.disable"), e -> disable(code));
            disable.setId("settings-totp-disable");
            body.add(code, disable);
        } else {
            Button start = new Button(getTranslation("settings.totp.start"), e -> enrol());
            start.setId("settings-totp-start");
            body.add(start);
        }
    }

    private TextField codeField() {
        TextField code = new TextField(getTranslation("settings.totp.code"));
        code.setId("settings-totp-code");
        code.setMaxLength(10);
        code.getElement().setAttribute("inputmode", "numeric");
        return code;
    }

    private void enrol() {
        byte[] secret = Totp.newSecret();
        if (!SettingsView.save(this, account, () -> store.enrol(account, Base32.encode(secret)))) {
            return;
        }
        String uri = Totp.uri(WebmailServices.current().config().get().hostname(), account, secret);
        body.removeAll();
        Span key = new Span(Base32.encode(secret).replaceAll("(.{4})(?!$)", "$1 "));
        key.setId("settings-totp-secret");
        key.addClassName("totp-secret");
        Anchor link = new Anchor(uri, uri);
        link.setId("settings-totp-uri");
        link.addClassName("totp-uri");
        TextField code = codeField();
        Button confirm = new Button(getTranslation("settings.totp.confirm"), e -> confirm(secret, code));
        confirm.setId("settings-totp-confirm");
        body.add(new Paragraph(getTranslation("settings.totp.enrol")), key, link, code, confirm);
    }

    private void confirm(byte[] secret, TextField code) {
        OptionalLong step = Totp.match(secret, code.getValue().trim(), Instant.now());
        if (step.isEmpty() || !store.confirm(account, step.getAsLong())) {
            code.setInvalid(true);
            code.setErrorMessage(getTranslation("settings.login.codeWrong"));
            return;
        }
        SettingsView.save(this, account, () -> { });
        show();
    }

    /** Switching off takes a valid code, checked (and throttled) as at login: a stolen session alone cannot. */
    private void disable(TextField code) {
        SaslStep step = WebmailServices.current().authenticator().checkSecondFactor(account, code.getValue().trim(),
                LoginView.context());
        if (!(step instanceof SaslStep.Success)) {
            code.setInvalid(true);
            code.setErrorMessage(getTranslation("settings.login.codeWrong"));
            return;
        }
        SettingsView.save(this, account, () -> store.disable(account));
        show();
    }
}
