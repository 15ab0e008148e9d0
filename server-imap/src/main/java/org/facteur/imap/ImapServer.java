package org.facteur.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.imap.session.ImapSession;
import org.facteur.net.Connection;
import org.facteur.net.ConnectionHandler;
import org.facteur.net.ListenerConfig;
import org.facteur.net.TcpServer;
import org.facteur.net.TlsContextProvider;
import org.facteur.net.TlsMode;
import org.facteur.storage.MailStore;

/**
 * The IMAP service: a STARTTLS listener (143) and an implicit-TLS listener (993), each session on its own virtual
 * thread. The application wires it in one call: {@code new ImapServer(config, tls, authenticator, store).start()}.
 */
public final class ImapServer implements AutoCloseable {

    private final Supplier<ImapConfig> config;
    private final TlsContextProvider tls;
    private final Authenticator authenticator;
    private final MailStore store;
    private final List<TcpServer> listeners = new ArrayList<>();

    public ImapServer(Supplier<ImapConfig> config, TlsContextProvider tls, Authenticator authenticator, MailStore store) {
        this.config = config;
        this.tls = tls;
        this.authenticator = authenticator;
        this.store = store;
    }

    public synchronized ImapServer start() throws IOException {
        ImapConfig c = config.get();
        try {
            if (c.starttlsPort() >= 0) {
                listeners.add(listener("imap", c, c.starttlsPort(), TlsMode.STARTTLS).start());
            }
            if (c.implicitTlsPort() >= 0) {
                listeners.add(listener("imaps", c, c.implicitTlsPort(), TlsMode.IMPLICIT).start());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    private TcpServer listener(String name, ImapConfig c, int port, TlsMode mode) {
        ListenerConfig listener = new ListenerConfig(c.address(), port, mode, c.clientAuth());
        return new TcpServer(name, listener, tls, () -> config.get().connections(), new ConnectionHandler() {
            @Override
            public void handle(Connection connection) throws IOException {
                new ImapSession(connection, config, authenticator, store, mode == TlsMode.STARTTLS && tls != null).run();
            }

            @Override
            public void refuse(Connection connection, String reason) throws IOException {
                connection.writeLine("* BYE [UNAVAILABLE] " + reason);
                connection.flush();
            }
        });
    }

    /** The bound port of the listener with this TLS mode, or -1 when it is not running. */
    public synchronized int port(TlsMode mode) {
        for (TcpServer s : listeners) {
            if (s.config().tls() == mode) {
                return s.localPort();
            }
        }
        return -1;
    }

    public synchronized List<Integer> ports() {
        return listeners.stream().map(TcpServer::localPort).toList();
    }

    @Override
    public synchronized void close() {
        listeners.forEach(TcpServer::close);
        listeners.clear();
    }
}
