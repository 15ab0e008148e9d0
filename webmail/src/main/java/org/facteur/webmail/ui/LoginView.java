package org.facteur.webmail.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.facteur.auth.sasl.SaslContext;
import org.facteur.auth.sasl.SaslExchange;
import org.facteur.auth.sasl.SaslStep;
import org.facteur.webmail.WebmailServices;
import org.facteur.webmail.web.WebSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Password or client-certificate login, through the same Authenticator (and throttling) as IMAP and SMTP. */
@Route("login")
@PageTitle("Facteur webmail")
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

    private static final Logger LOG = LoggerFactory.getLogger(LoginView.class);

    private final TextField user = new TextField(getTranslation("login.address"));
    private final PasswordField password = new PasswordField(getTranslation("login.password"));
    private final Paragraph error = new Paragraph();

    public LoginView() {
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        setSizeFull();
        user.setId("login-user");
        user.setAutofocus(true);
        user.setAutocomplete(com.vaadin.flow.component.textfield.Autocomplete.USERNAME);
        password.setId("login-password");
        password.setAutocomplete(com.vaadin.flow.component.textfield.Autocomplete.CURRENT_PASSWORD);
        error.setId("login-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        Button login = new Button(getTranslation("login.submit"), e -> passwordLogin());
        login.setId("login-button");
        login.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        login.addClickShortcut(Key.ENTER);
        VerticalLayout form = new VerticalLayout(new H1("Facteur"), user, password, login, error);
        form.setWidth("22em");
        form.setPadding(true);
        add(form);
        if (!clientCertificates().isEmpty()) {
            Button cert = new Button(getTranslation("login.certificate"), e -> certificateLogin());
            cert.setId("login-certificate");
            form.add(cert);
        }
    }

    /** The logged-in account; when there is none, the navigation goes to this login view instead. */
    public static Optional<String> accountOrLogin(BeforeEnterEvent event) {
        Optional<String> account = WebSession.current();
        if (account.isEmpty()) {
            event.forwardTo(LoginView.class);
        }
        return account;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (WebSession.current().isPresent()) {
            event.forwardTo(MailView.class);
        }
    }

    private void passwordLogin() {
        SaslStep step = WebmailServices.current().authenticator()
                .checkPassword(user.getValue().trim(), password.getValue(), context());
        password.clear();
        finish(step);
    }

    /** SASL EXTERNAL (RFC 4422 App. A) with the certificate the browser presented in the TLS handshake. */
    private void certificateLogin() {
        SaslExchange exchange = WebmailServices.current().authenticator().start("EXTERNAL", context());
        if (exchange == null) {
            error.setText(getTranslation("login.certificate-unavailable"));
            return;
        }
        finish(exchange.evaluate(new byte[0]));
    }

    private void finish(SaslStep step) {
        switch (step) {
            case SaslStep.Success success when WebmailServices.current().authenticator().hasSecondFactor(success.account()) -> {
                SecondFactorView.begin(success.account());
                getUI().ifPresent(ui -> ui.navigate(SecondFactorView.class));
            }
            case SaslStep.Success success -> {
                WebSession.login(success.account());
                LOG.info("webmail login for {}", success.account());
                getUI().ifPresent(ui -> ui.navigate(MailView.class));
            }
            case SaslStep.Failure failure -> error.setText(failure.temporary()
                    ? getTranslation("login.busy") : getTranslation("login.wrong"));
            case SaslStep.Challenge challenge -> error.setText(getTranslation("login.more-steps"));
        }
    }

    /** The SASL context of the current request (client address, TLS, certificate), for every login step. */
    public static SaslContext context() {
        InetAddress client;
        try {
            client = InetAddress.getByName(VaadinRequest.getCurrent().getRemoteAddr());
        } catch (UnknownHostException e) {
            client = InetAddress.getLoopbackAddress();
        }
        return new SaslContext("http", WebmailServices.current().config().get().hostname(), client, true,
                clientCertificates());
    }

    private static List<X509Certificate> clientCertificates() {
        if (VaadinRequest.getCurrent() instanceof VaadinServletRequest request
                && request.getAttribute("jakarta.servlet.request.X509Certificate") instanceof X509Certificate[] chain) {
            return List.of(chain);
        }
        return List.of();
    }
}
