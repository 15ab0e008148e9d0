package org.facteur.pop3.session;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive-access lock of RFC 1939 §8, held per maildrop (account and folder) by one POP3 session. It
 * lives in memory, shared by all listeners of one server: it keeps two POP3 clients from deleting under each
 * other, while IMAP sessions, which never take it, keep working on the same mailbox (the storage serialises
 * the writes).
 */
public final class MaildropLocks {

    private final ConcurrentHashMap<String, Lease> held = new ConcurrentHashMap<>();

    /** Takes the lock, or returns empty when another POP3 session holds it ({@code [IN-USE]}, RFC 2449 §8.1.1). */
    public Optional<Lease> tryLock(String account, String folder) {
        String key = account + '\u0000' + folder;
        Lease lease = new Lease(key);
        return held.putIfAbsent(key, lease) == null ? Optional.of(lease) : Optional.empty();
    }

    /** Maildrops locked now (for tests and metrics). */
    public int size() {
        return held.size();
    }

    /** A held lock; closing it twice is harmless. */
    public final class Lease implements AutoCloseable {
        private final String key;

        private Lease(String key) {
            this.key = key;
        }

        @Override
        public void close() {
            held.remove(key, this);
        }
    }
}
