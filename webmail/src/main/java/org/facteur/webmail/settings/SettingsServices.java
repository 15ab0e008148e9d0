package org.facteur.webmail.settings;

import jakarta.servlet.ServletContext;
import java.util.Optional;
import org.facteur.auth.settings.SettingsStore;
import org.facteur.auth.totp.TotpStore;
import org.facteur.filters.policy.SenderLists;

/**
 * What the settings screens use, beside {@link org.facteur.webmail.WebmailServices} as their own servlet-context
 * attribute: the users' settings and TOTP secrets (the directory's database) and the filters' sender lists.
 *
 * @param senderLists null when the server runs without the filters' database (the lists are then not shown)
 * @param authservId  the authserv-id the filters write in Authentication-Results (RFC 8601 §2.5): only those
 *                    results prove a sender whose remote images the user always allows
 *                    ({@link org.facteur.webmail.mail.AuthenticatedAuthor})
 */
public record SettingsServices(SettingsStore settings, TotpStore totp, SenderLists senderLists, String authservId) {

    public static final String ATTRIBUTE = SettingsServices.class.getName();

    /** The settings services of the servlet serving the current Vaadin request, if the server has them. */
    public static Optional<SettingsServices> current() {
        ServletContext context = com.vaadin.flow.server.VaadinServlet.getCurrent().getServletContext();
        return Optional.ofNullable((SettingsServices) context.getAttribute(ATTRIBUTE));
    }

    /** The account's settings, or the defaults when the server has no settings store. */
    public static org.facteur.auth.settings.UserSettings of(String account) {
        return current().map(s -> s.settings().settings(account)).orElse(org.facteur.auth.settings.UserSettings.DEFAULT);
    }
}
