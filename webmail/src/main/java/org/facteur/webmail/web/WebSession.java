package org.facteur.webmail.web;

import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.WrappedSession;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;

/**
 * Who is logged in. The account name lives in the HTTP session, where both the Vaadin views and the plain
 * servlets (message frame, downloads) read it; nothing else identifies the user, so no request parameter can
 * name another account.
 */
public final class WebSession {

    static final String ACCOUNT = "facteur.webmail.account";

    private WebSession() {
    }

    public static Optional<String> account(HttpSession session) {
        return session == null ? Optional.empty() : Optional.ofNullable((String) session.getAttribute(ACCOUNT));
    }

    /** The account of the current Vaadin request's session. */
    public static Optional<String> current() {
        VaadinSession vaadin = VaadinSession.getCurrent();
        if (vaadin == null || vaadin.getSession() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable((String) vaadin.getSession().getAttribute(ACCOUNT));
    }

    /**
     * Marks the session as {@code account}'s. The session id is replaced first, so an id planted before login
     * (session fixation, OWASP) is worthless afterwards.
     */
    public static void login(String account) {
        VaadinService.reinitializeSession(VaadinRequest.getCurrent());
        VaadinSession.getCurrent().getSession().setAttribute(ACCOUNT, account);
    }

    /** Ends the session: the id is invalidated on the server, not just forgotten by the browser. */
    public static void logout() {
        VaadinSession vaadin = VaadinSession.getCurrent();
        if (vaadin != null) {
            WrappedSession session = vaadin.getSession();
            if (session != null) {
                try {
                    session.removeAttribute(ACCOUNT);
                    session.invalidate();
                } catch (IllegalStateException alreadyInvalidated) {
                    // "log out everywhere" ended it first
                }
            }
        }
    }
}
