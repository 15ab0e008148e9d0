package org.facteur.net;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A client connection as protocol code sees it: bounded line reads, raw byte reads for literals and message
 * data, buffered output, and an in-place upgrade to TLS.
 *
 * <p>Not thread-safe: one virtual thread owns a connection, except {@link #write} and {@link #flush}, which
 * are synchronised so that an IDLE notifier can push an untagged response while the session thread waits.
 */
public final class Connection implements AutoCloseable {

    private static final int BUFFER = 16 * 1024;
    /**
     * How much of an over-long line is read and thrown away before giving up on the connection: past this, the
     * client is streaming garbage, not sending a long command (at least 1 MiB, or 16 times the line limit).
     */
    static final long MIN_DISCARD = 1024 * 1024;
    private static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /** Time allowed to flush the last replies on close before the socket is closed anyway. */
    private static final Duration CLOSE_FLUSH_TIMEOUT = Duration.ofSeconds(10);
    private static final int WRITE_SLICE = 64 * 1024;

    private Socket socket;
    private final TlsContextProvider tls;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final String listenerName;
    private final ClientAuth clientAuth;
    private InputStream in;
    private OutputStream out;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    private TlsInfo tlsInfo;
    private final Duration handshakeTimeout;

    /** The TCP socket under any TLS layer: deadlines close this one, since closing an SSLSocket may block. */
    private final Socket tcp;

    Connection(Socket socket, TlsContextProvider tls, String listenerName, ClientAuth clientAuth) throws IOException {
        this(socket, socket, tls, listenerName, clientAuth, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    Connection(Socket socket, Socket tcp, TlsContextProvider tls, String listenerName, ClientAuth clientAuth,
               Duration handshakeTimeout) throws IOException {
        this.socket = socket;
        this.tcp = tcp;
        this.handshakeTimeout = handshakeTimeout;
        this.clientAuth = clientAuth;
        this.tls = tls;
        this.listenerName = listenerName;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(new DeadlineOutputStream(socket.getOutputStream()), BUFFER);
        if (socket instanceof SSLSocket ssl) {
            this.tlsInfo = describe(ssl.getSession());
        }
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    /** The name of the listener that accepted this connection (for logs and protocol policy). */
    public String listenerName() {
        return listenerName;
    }

    public boolean isSecure() {
        return tlsInfo != null;
    }

    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tlsInfo);
    }

    /** Time allowed to wait for the next byte; a {@link java.net.SocketTimeoutException} follows. */
    public void setReadTimeout(Duration timeout) throws SocketException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /**
     * Reads one line of at most {@code maxLength} bytes (without terminator). A line ends at LF; a CR right
     * before it is stripped and reported through {@link Line#crlf()}; a CR anywhere else stays in the line, for
     * the protocol to judge (SMTP refuses bare CR and LF, RFC 5321 §2.3.8).
     *
     * @throws LineTooLongException when longer; the rest of the line is consumed so the session may go on
     * @throws java.net.ProtocolException when an over-long line goes on past {@code max(1 MiB, 16 * maxLength)}
     *         bytes without an LF: the client streams garbage and the session should end
     * @throws EOFException when the client closed the connection before a full line
     */
    public Line readLine(int maxLength) throws IOException {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength " + maxLength);
        }
        // One more byte than the limit for the CR that may precede LF.
        int room = maxLength == Integer.MAX_VALUE ? maxLength : maxLength + 1;
        long discardLimit = Math.max(MIN_DISCARD, 16L * maxLength);
        byte[] line = new byte[Math.min(room, 256)];
        int length = 0;
        long seen = 0;
        boolean tooLong = false;
        while (true) {
            if (position == limit && !fill()) {
                throw new EOFException(length == 0 && seen == 0 ? "connection closed" : "connection closed in the middle of a line");
            }
            int start = position;
            int lf = -1;
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            int end = lf >= 0 ? lf : limit;
            position = lf >= 0 ? lf + 1 : limit;
            int chunk = end - start;
            seen += chunk;
            if (!tooLong) {
                if (length + chunk > room) {
                    tooLong = true;
                } else {
                    if (length + chunk > line.length) {
                        line = java.util.Arrays.copyOf(line, (int) Math.min(room, Math.max(2L * line.length, length + chunk)));
                    }
                    System.arraycopy(buffer, start, line, length, chunk);
                    length += chunk;
                }
            }
            if (lf >= 0) {
                if (tooLong) {
                    throw new LineTooLongException(maxLength);
                }
                boolean crlf = length > 0 && line[length - 1] == '\r';
                if (crlf) {
                    length--;
                }
                if (length > maxLength) {
                    throw new LineTooLongException(maxLength);
                }
                return new Line(java.util.Arrays.copyOf(line, length), crlf);
            }
            if (tooLong && seen > discardLimit) {
                throw new java.net.ProtocolException("line longer than " + maxLength + " bytes still has no end after "
                        + seen + " bytes; closing");
            }
        }
    }

    /** Reads up to {@code length} bytes into {@code target}; returns the count, or -1 at end of stream. */
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == limit && !fill()) {
            return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, target, offset, n);
        position += n;
        return n;
    }

    /** Reads exactly {@code length} bytes (an IMAP literal, a BDAT chunk) or throws {@link EOFException}. */
    public byte[] readExactly(int length) throws IOException {
        byte[] data = new byte[length];
        int done = 0;
        while (done < length) {
            int n = read(data, done, length - done);
            if (n < 0) {
                throw new EOFException("connection closed after " + done + " of " + length + " bytes");
            }
            done += n;
        }
        return data;
    }

    /** An input stream view of the connection that shares its buffer (reads after it see the same bytes). */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (position == limit && !fill()) {
                    return -1;
                }
                return buffer[position++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return Connection.this.read(b, off, len);
            }

            @Override
            public int available() {
                return limit - position;
            }
        };
    }

    /** Whether the client has sent bytes the server has not read yet (pipelining after STARTTLS is refused with it). */
    public boolean hasBufferedInput() {
        return position < limit;
    }

    public synchronized void write(byte[] data) throws IOException {
        out.write(data);
    }

    public synchronized void write(byte[] data, int offset, int length) throws IOException {
        out.write(data, offset, length);
    }

    /** Writes text as UTF-8 (US-ASCII for the usual replies). */
    public synchronized void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code text} followed by CR LF. */
    public synchronized void writeLine(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    public synchronized void flush() throws IOException {
        out.flush();
    }

    /**
     * Upgrades the connection to TLS after the protocol's "go ahead" reply has been flushed.
     *
     * <p>Any cleartext input already buffered is discarded: a client must not be able to inject commands that
     * would be run as if they came over TLS (CVE-2011-0411, RFC 3207 §4.2 and RFC 2595 §3.1).
     */
    public void startTls() throws IOException {
        if (isSecure()) {
            throw new IllegalStateException("TLS is already active");
        }
        if (tls == null) {
            throw new IllegalStateException("this listener has no TLS context");
        }
        flush();
        // The discard itself: whatever followed the STARTTLS command in the same packets is dropped, unread.
        position = 0;
        limit = 0;
        SSLSocket ssl = tls.wrap(socket, clientAuth);
        ScheduledFuture<?> deadline = Watchdog.closeAfter(tcp, handshakeTimeout);
        try {
            ssl.startHandshake();
        } finally {
            deadline.cancel(false);
        }
        socket = ssl;
        in = ssl.getInputStream();
        out = new BufferedOutputStream(new DeadlineOutputStream(ssl.getOutputStream()), BUFFER);
        tlsInfo = describe(ssl.getSession());
    }

    /**
     * Replaces the byte streams (IMAP COMPRESS=DEFLATE, RFC 4978). Buffered input that was not read yet is
     * handed to the new input stream's wrapper by prepending it, so nothing the client sent is lost.
     */
    public synchronized void wrapStreams(UnaryOperator<InputStream> inputWrapper, UnaryOperator<OutputStream> outputWrapper)
            throws IOException {
        out.flush();
        InputStream rest = new java.io.SequenceInputStream(
                new java.io.ByteArrayInputStream(buffer, position, limit - position), in);
        position = 0;
        limit = 0;
        in = inputWrapper.apply(rest);
        out = new BufferedOutputStream(outputWrapper.apply(out), BUFFER);
    }

    @Override
    public void close() {
        // A client that stops reading could block the flush forever: give it a deadline.
        ScheduledFuture<?> deadline = Watchdog.closeAfter(tcp, CLOSE_FLUSH_TIMEOUT);
        try {
            flush();
        } catch (IOException ignored) {
            // The peer may be gone; closing is all that is left to do.
        } finally {
            deadline.cancel(false);
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing to report: the socket is unusable either way.
        }
    }

    private boolean fill() throws IOException {
        // Flushing before blocking on input keeps pipelined replies moving without the protocol having to.
        flush();
        position = 0;
        limit = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        limit = n;
        return true;
    }

    private static TlsInfo describe(SSLSession session) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    certificates.add(x);
                }
            }
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            // The client sent none: EXTERNAL is simply not available.
        }
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), certificates);
    }

    /**
     * Bounds every socket write by the current read timeout: a client that stops reading is as idle as one that
     * stops writing, and without this its session would block in a write forever, holding its connection slot.
     */
    private final class DeadlineOutputStream extends OutputStream {
        private final OutputStream target;

        DeadlineOutputStream(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /** In slices, each with its own deadline: the rule is "no progress for that long", not "all of it in that long". */
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int done = 0; done < len; ) {
                int n = Math.min(WRITE_SLICE, len - done);
                ScheduledFuture<?> deadline = arm();
                try {
                    target.write(b, off + done, n);
                } finally {
                    disarm(deadline);
                }
                done += n;
            }
        }

        @Override
        public void flush() throws IOException {
            ScheduledFuture<?> deadline = arm();
            try {
                target.flush();
            } finally {
                disarm(deadline);
            }
        }

        @Override
        public void close() throws IOException {
            target.close();
        }

        private ScheduledFuture<?> arm() throws SocketException {
            int timeout = socket.getSoTimeout();
            return timeout <= 0 ? null : Watchdog.closeAfter(tcp, Duration.ofMillis(timeout));
        }

        private void disarm(ScheduledFuture<?> deadline) {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
    }
}
