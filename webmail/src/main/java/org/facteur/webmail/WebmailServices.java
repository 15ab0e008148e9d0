package org.facteur.webmail;

import jakarta.servlet.ServletContext;
import java.util.function.Supplier;
import org.facteur.auth.Directory;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.storage.MailStore;
import org.facteur.webmail.contacts.ContactBook;
import org.facteur.webmail.web.SessionRegistry;

/**
 * What the views and servlets of one webmail server use, kept as a servlet-context attribute: there is no
 * dependency injection container, and several servers may run in one JVM (tests).
 */
public record WebmailServices(Supplier<WebmailConfig> config, Authenticator authenticator, Directory directory,
                              MailStore store, MailSubmitter submitter, ContactBook contacts,
                              SessionRegistry sessions) {

    static final String ATTRIBUTE = WebmailServices.class.getName();

    public static WebmailServices of(ServletContext context) {
        WebmailServices services = (WebmailServices) context.getAttribute(ATTRIBUTE);
        if (services == null) {
            throw new IllegalStateException("the webmail services are not set on this servlet context");
        }
        return services;
    }

    /** The services of the servlet serving the current Vaadin request. */
    public static WebmailServices current() {
        return of(com.vaadin.flow.server.VaadinServlet.getCurrent().getServletContext());
    }
}
