package org.facteur.webmail.web;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The logged-in sessions of each account, so that "log out everywhere" can end the sessions of other browsers
 * (a lost phone, a shared computer). Fed by the container's session events; holds no session longer than the
 * container does.
 */
public final class SessionRegistry implements HttpSessionAttributeListener, HttpSessionListener {

    private final Map<String, Set<HttpSession>> byAccount = new ConcurrentHashMap<>();

    @Override
    public void attributeAdded(HttpSessionBindingEvent event) {
        if (WebSession.ACCOUNT.equals(event.getName())) {
            byAccount.computeIfAbsent((String) event.getValue(), a -> ConcurrentHashMap.newKeySet()).add(event.getSession());
        }
    }

    @Override
    public void attributeRemoved(HttpSessionBindingEvent event) {
        if (WebSession.ACCOUNT.equals(event.getName())) {
            forget((String) event.getValue(), event.getSession());
        }
    }

    @Override
    public void attributeReplaced(HttpSessionBindingEvent event) {
        attributeRemoved(event);
        if (event.getSession().getAttribute(WebSession.ACCOUNT) instanceof String now) {
            byAccount.computeIfAbsent(now, a -> ConcurrentHashMap.newKeySet()).add(event.getSession());
        }
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        byAccount.values().forEach(set -> set.remove(event.getSession()));
    }

    private void forget(String account, HttpSession session) {
        Set<HttpSession> sessions = byAccount.get(account);
        if (sessions != null) {
            sessions.remove(session);
        }
    }

    public int count(String account) {
        Set<HttpSession> sessions = byAccount.get(account);
        return sessions == null ? 0 : sessions.size();
    }

    /** Invalidates every session of {@code account}; returns how many were ended. */
    public int logoutEverywhere(String account) {
        Set<HttpSession> sessions = byAccount.remove(account);
        if (sessions == null) {
            return 0;
        }
        int ended = 0;
        for (HttpSession session : List.copyOf(sessions)) {
            try {
                session.invalidate();
                ended++;
            } catch (IllegalStateException alreadyInvalid) {
                // ended meanwhile
            }
        }
        return ended;
    }
}
