package org.facteur.pop3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.net.ListenerConfig;
import org.facteur.net.TcpServer;
import org.facteur.net.TlsContextProvider;
import org.facteur.net.TlsMode;
import org.facteur.pop3.session.MaildropLocks;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.storage.MailStore;

/**
 * The POP3 server: the STLS listener (110) and the POP3S listener (995) of {@link Pop3Config}, sharing one
 * maildrop lock table. Wired by the app in one call: {@code new Pop3Server(config, tls, authenticator, store).start()}.
 */
public final class Pop3Server implements AutoCloseable {

    /** Listener names, also the keys of {@link #ports()}. */
    public static final String STLS_LISTENER = "pop3";
    public static final String TLS_LISTENER = "pop3s";

    private final Supplier<Pop3Config> config;
    private final TlsContextProvider tls;
    private final Pop3Session.Services services;
    private final List<TcpServer> listeners = new ArrayList<>();

    /**
     * @param config        read at start for the listeners, then per connection
     * @param tls           the server certificate; POP3 never runs without TLS
     * @param authenticator USER/PASS and SASL
     * @param store         the maildrops
     */
    public Pop3Server(Supplier<Pop3Config> config, TlsContextProvider tls, Authenticator authenticator, MailStore store) {
        if (tls == null) {
            throw new IllegalArgumentException("POP3 needs a TLS context: STLS and POP3S are its only ways to log in");
        }
        this.config = config;
        this.tls = tls;
        this.services = new Pop3Session.Services(authenticator, store, new MaildropLocks());
    }

    /** Binds the configured listeners (none when POP3 is disabled). */
    public synchronized Pop3Server start() throws IOException {
        if (!listeners.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        Pop3Config current = config.get();
        if (!current.enabled()) {
            return this;
        }
        try {
            for (ListenerConfig listener : current.listeners()) {
                String name = listener.tls() == TlsMode.IMPLICIT ? TLS_LISTENER : STLS_LISTENER;
                TcpServer server = new TcpServer(name, listener, tls, () -> config.get().connections(),
                        new Pop3ConnectionHandler(config, services, listener.tls()));
                listeners.add(server); // added first so that close() also releases a listener that failed to bind
                server.start();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** The bound ports by listener name ({@link #STLS_LISTENER}, {@link #TLS_LISTENER}). */
    public synchronized Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (TcpServer server : listeners) {
            ports.put(server.name(), server.localPort());
        }
        return ports;
    }

    /** Maildrops locked by POP3 sessions now. */
    public int lockedMaildrops() {
        return services.locks().size();
    }

    @Override
    public synchronized void close() {
        for (TcpServer server : listeners) {
            server.close();
        }
        listeners.clear();
    }
}
