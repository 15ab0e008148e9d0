package org.facteur.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket: accepts connections and runs each session on its own virtual thread, after checking
 * the connection limits and, for implicit TLS, completing the handshake. Used by every protocol.
 */
public final class TcpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);

    private final String name;
    private final ListenerConfig config;
    private final TlsContextProvider tls;
    private final Supplier<ConnectionLimits> limits;
    private final ConnectionHandler handler;
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final ExecutorService sessions = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("session-", 0).factory());
    private ServerSocket serverSocket;
    private Thread acceptor;
    private volatile boolean closing;

    /**
     * @param name    a short name for logs and thread names, such as {@code smtp-submission}
     * @param limits  read at each accept, so a configuration reload applies to new connections at once
     */
    public TcpServer(String name, ListenerConfig config, TlsContextProvider tls,
                     Supplier<ConnectionLimits> limits, ConnectionHandler handler) {
        if (config.tls() != TlsMode.PLAIN && tls == null) {
            throw new IllegalArgumentException(name + ": TLS mode " + config.tls() + " needs a TLS context");
        }
        this.name = name;
        this.config = config;
        this.tls = tls;
        this.limits = limits;
        this.handler = handler;
    }

    public synchronized TcpServer start() throws IOException {
        serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName(config.address()), config.port()), 256);
        acceptor = Thread.ofVirtual().name(name + "-accept").start(this::acceptLoop);
        log.info("{} listening on {}:{} ({})", name, config.address(), localPort(), config.tls());
        return this;
    }

    public int localPort() {
        return serverSocket.getLocalPort();
    }

    public String name() {
        return name;
    }

    public ListenerConfig config() {
        return config;
    }

    /** Connections open now (for metrics and tests). */
    public int openConnections() {
        return open.get();
    }

    private void acceptLoop() {
        while (!closing) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closing) {
                    log.warn("{}: accept failed: {}", name, e.toString());
                }
                continue;
            }
            sessions.execute(() -> serve(socket));
        }
    }

    private void serve(Socket socket) {
        InetAddress client = socket.getInetAddress();
        ConnectionLimits current = limits.get();
        AtomicInteger fromClient = perAddress.computeIfAbsent(client, a -> new AtomicInteger());
        int total = open.incrementAndGet();
        int mine = fromClient.incrementAndGet();
        try {
            socket.setTcpNoDelay(true);
            Socket ready = socket;
            if (config.tls() == TlsMode.IMPLICIT) {
                socket.setSoTimeout((int) current.handshakeTimeout().toMillis());
                SSLSocket ssl = tls.wrap(socket, config.clientAuth());
                ssl.startHandshake();
                ready = ssl;
            }
            ready.setSoTimeout((int) Math.min(Integer.MAX_VALUE, current.idleTimeout().toMillis()));
            try (Connection connection = new Connection(ready, tls, name, config.clientAuth())) {
                if (total > current.maxConnections()) {
                    log.warn("{}: refusing {}: {} connections open, limit {}", name, client.getHostAddress(), total - 1, current.maxConnections());
                    handler.refuse(connection, "Too many connections, try again later");
                } else if (mine > current.maxConnectionsPerIp()) {
                    log.warn("{}: refusing {}: {} connections from it, limit {}", name, client.getHostAddress(), mine - 1, current.maxConnectionsPerIp());
                    handler.refuse(connection, "Too many connections from your address, try again later");
                } else {
                    handler.handle(connection);
                }
            }
        } catch (SocketException | java.net.SocketTimeoutException | java.io.EOFException | javax.net.ssl.SSLException e) {
            log.debug("{}: connection from {} ended: {}", name, client.getHostAddress(), e.toString());
        } catch (IOException | RuntimeException e) {
            log.warn("{}: session from {} failed", name, client.getHostAddress(), e);
        } finally {
            open.decrementAndGet();
            if (fromClient.decrementAndGet() == 0) {
                perAddress.remove(client, fromClient);
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // already unusable
            }
        }
    }

    @Override
    public synchronized void close() {
        closing = true;
        try {
            if (serverSocket != null) {
                serverSocket.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        sessions.shutdownNow();
    }
}
