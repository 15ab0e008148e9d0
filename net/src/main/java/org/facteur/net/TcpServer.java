package org.facteur.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    /** Every accepted socket still open, so that {@link #close()} can end their sessions. */
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
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
                    // Typically "too many open files": back off instead of spinning on the error.
                    log.warn("{}: accept failed: {}", name, e.toString());
                    pause(ACCEPT_BACKOFF);
                }
                continue;
            }
            try {
                sessions.execute(() -> serve(socket));
            } catch (RejectedExecutionException closed) {
                closeQuietly(socket);
            }
        }
    }

    /** What the limits say about a new connection, decided before any TLS work is spent on it. */
    private enum Admission { ACCEPT, REFUSE_TOTAL, REFUSE_IP, DROP }

    private static Admission admit(int total, int fromClient, ConnectionLimits limits) {
        // Far beyond a limit even a polite refusal (and its TLS handshake) costs too much: drop without a word.
        if (total > 2L * limits.maxConnections() || fromClient > 2L * limits.maxConnectionsPerIp()) {
            return Admission.DROP;
        }
        if (total > limits.maxConnections()) {
            return Admission.REFUSE_TOTAL;
        }
        if (fromClient > limits.maxConnectionsPerIp()) {
            return Admission.REFUSE_IP;
        }
        return Admission.ACCEPT;
    }

    private void serve(Socket socket) {
        InetAddress client = socket.getInetAddress();
        ConnectionLimits current = limits.get();
        live.add(socket);
        int total = open.incrementAndGet();
        int mine = perAddress.merge(client, 1, Integer::sum);
        try {
            Admission admission = admit(total, mine, current);
            if (closing) {
                return; // accepted while shutting down; close() may already have walked the live set
            }
            if (admission == Admission.DROP) {
                log.debug("{}: dropping {}: {} connections open, {} from it", name, client.getHostAddress(), total, mine);
                return;
            }
            socket.setTcpNoDelay(true);
            Socket ready = socket;
            if (config.tls() == TlsMode.IMPLICIT) {
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, current.handshakeTimeout().toMillis()));
                SSLSocket ssl = tls.wrap(socket, config.clientAuth());
                ScheduledFuture<?> deadline = Watchdog.closeAfter(socket, current.handshakeTimeout());
                try {
                    ssl.startHandshake();
                } finally {
                    deadline.cancel(false);
                }
                ready = ssl;
            }
            ready.setSoTimeout((int) Math.min(Integer.MAX_VALUE, current.idleTimeout().toMillis()));
            try (Connection connection = new Connection(ready, socket, tls, name, config.clientAuth(), current.handshakeTimeout())) {
                switch (admission) {
                    case REFUSE_TOTAL -> {
                        log.warn("{}: refusing {}: {} connections open, limit {}", name, client.getHostAddress(), total - 1, current.maxConnections());
                        handler.refuse(connection, "Too many connections, try again later");
                    }
                    case REFUSE_IP -> {
                        log.warn("{}: refusing {}: {} connections from it, limit {}", name, client.getHostAddress(), mine - 1, current.maxConnectionsPerIp());
                        handler.refuse(connection, "Too many connections from your address, try again later");
                    }
                    default -> handler.handle(connection);
                }
            }
        } catch (SocketException | java.net.SocketTimeoutException | java.io.EOFException | javax.net.ssl.SSLException
                 | java.net.ProtocolException e) {
            log.debug("{}: connection from {} ended: {}", name, client.getHostAddress(), e.toString());
        } catch (IOException | RuntimeException e) {
            if (closing) {
                log.debug("{}: session from {} ended by shutdown: {}", name, client.getHostAddress(), e.toString());
            } else {
                log.warn("{}: session from {} failed", name, client.getHostAddress(), e);
            }
        } finally {
            open.decrementAndGet();
            perAddress.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
            live.remove(socket);
            closeQuietly(socket);
        }
    }

    /**
     * Stops accepting, closes every open connection (their sessions see the socket close and end), and waits a
     * little for the sessions to finish. Session threads are not interrupted: an interrupt inside H2 or Lucene
     * file I/O closes their file channels.
     */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        closeQuietly(serverSocket);
        for (Socket socket : live) {
            closeQuietly(socket);
        }
        sessions.shutdown();
        try {
            if (!sessions.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{}: {} sessions still running {} after shutdown", name, open.get(), SHUTDOWN_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("{} stopped", name);
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // already unusable
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
