package org.facteur.webmail.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.facteur.auth.sasl.SaslStep;
import org.facteur.webmail.WebmailServices;
import org.facteur.webmail.web.WebSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second step of a login for accounts with a TOTP second factor (RFC 6238): the password was right, the
 * session is not logged in yet; the code finishes the login. Wrong codes count as failed logins in the same
 * throttling as passwords, and the half-done login expires after {@link #PENDING_FOR}.
 */
@Route("login/code")
public class SecondFactorView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private static final Logger LOG = LoggerFactory.getLogger(SecondFactorView.class);
    private static final String PENDING = "facteur.webmail.pending-second-factor";
    /** How long the code may be typed after the password. */
    static final Duration PENDING_FOR = Duration.ofMinutes(5);

    private record Pending(String account, Instant until) implements java.io.Serializable {
    }

    private final TextField code = new TextField();
    private final Paragraph error = new Paragraph();

    public SecondFactorView() {
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        setSizeFull();
        code.setLabel(getTranslation("settings.login.code"));
        code.setId("login-code");
        code.setAutofocus(true);
        code.setMaxLength(10);
        code.getElement().setAttribute("autocomplete", "one-time-code");
        code.getElement().setAttribute("inputmode", "numeric");
        error.setId("login-code-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        Button check = new Button(getTranslation("settings.login.codeButton"), e -> check());
        check.setId("login-code-button");
        check.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        check.addClickShortcut(Key.ENTER);
        VerticalLayout form = new VerticalLayout(new H1("Facteur"), new Paragraph(getTranslation("settings.login.codeHelp")),
                code, check, error);
        form.setWidth("22em");
        add(form);
    }

    /** After a right password for an account with a second factor: remembers it, not yet logged in. */
    static void begin(String account) {
        VaadinSession.getCurrent().getSession().setAttribute(PENDING, new Pending(account, Instant.now().plus(PENDING_FOR)));
    }

    private static Optional<Pending> pending() {
        VaadinSession session = VaadinSession.getCurrent();
        if (session == null || session.getSession() == null
                || !(session.getSession().getAttribute(PENDING) instanceof Pending p) || p.until().isBefore(Instant.now())) {
            return Optional.empty();
        }
        return Optional.of(p);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (WebSession.current().isPresent()) {
            event.forwardTo(MailView.class);
        } else if (pending().isEmpty()) {
            event.forwardTo(LoginView.class);
        }
    }

    @Override
    public String getPageTitle() {
        return getTranslation("settings.login.title");
    }

    private void check() {
        Optional<Pending> p = pending();
        if (p.isEmpty()) {
            getUI().ifPresent(ui -> ui.navigate(LoginView.class));
            return;
        }
        String account = p.get().account();
        SaslStep step = WebmailServices.current().authenticator().checkSecondFactor(account, code.getValue().trim(),
                LoginView.context());
        code.clear();
        switch (step) {
            case SaslStep.Success success -> {
                VaadinSession.getCurrent().getSession().removeAttribute(PENDING);
                WebSession.login(success.account());
                LOG.info("webmail login with a second factor for {}", success.account());
                getUI().ifPresent(ui -> ui.navigate(MailView.class));
            }
            case SaslStep.Failure failure -> error.setText(getTranslation(failure.temporary()
                    ? "settings.login.codeLater" : "settings.login.codeWrong"));
            case SaslStep.Challenge challenge -> error.setText(getTranslation("settings.login.codeWrong"));
        }
    }
}
