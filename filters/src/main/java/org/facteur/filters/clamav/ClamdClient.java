package org.facteur.filters.clamav;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A client of clamd's INSTREAM command (clamd(8)): {@code zINSTREAM\0}, then chunks each preceded by its
 * length as 4 bytes in network order, then a zero length; clamd answers {@code stream: OK} or
 * {@code stream: NAME FOUND}. Unix or TCP socket; the whole exchange is bounded by a timeout.
 */
public final class ClamdClient {

    /** What clamd said: clean, or the signature name found. */
    public record Result(boolean infected, String signature) {
        public static final Result CLEAN = new Result(false, null);
    }

    private static final int CHUNK = 64 * 1024;

    private final String address;
    private final Duration timeout;

    /** @param address a Unix socket path, or host:port */
    public ClamdClient(String address, Duration timeout) {
        this.address = address;
        this.timeout = timeout;
    }

    private SocketAddress socketAddress() {
        int colon = address.lastIndexOf(':');
        if (!address.startsWith("/") && colon > 0) {
            return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        }
        return UnixDomainSocketAddress.of(Path.of(address));
    }

    private SocketChannel open() throws IOException {
        SocketAddress target = socketAddress();
        SocketChannel channel = target instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            channel.connect(target);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot reach clamd at " + address + ": " + e.getMessage(), e);
        }
        return channel;
    }

    public String ping() throws IOException {
        return command("zPING\0".getBytes(StandardCharsets.US_ASCII), null);
    }

    public Result scan(InputStream content) throws IOException {
        String reply = command("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII), content);
        // "stream: OK", "stream: Eicar-Test-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
        if (reply.endsWith("FOUND")) {
            String name = reply.substring(reply.indexOf(':') + 1, reply.length() - "FOUND".length()).strip();
            return new Result(true, name);
        }
        if (reply.endsWith("OK")) {
            return Result.CLEAN;
        }
        throw new IOException("clamd: " + reply);
    }

    private String command(byte[] command, InputStream content) throws IOException {
        SocketChannel channel = open();
        // A watchdog closes the channel when time is up: that unblocks any read or write at once.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(timeout);
                channel.close();
            } catch (InterruptedException | IOException e) {
                // finished in time
            }
        });
        try (channel) {
            write(channel, ByteBuffer.wrap(command));
            if (content != null) {
                byte[] buffer = new byte[CHUNK];
                int n;
                while ((n = content.readNBytes(buffer, 0, buffer.length)) > 0) {
                    ByteBuffer length = ByteBuffer.allocate(4).putInt(n).flip();
                    write(channel, length);
                    write(channel, ByteBuffer.wrap(buffer, 0, n));
                }
                write(channel, ByteBuffer.allocate(4).putInt(0).flip());
            }
            ByteBuffer reply = ByteBuffer.allocate(4096);
            while (reply.hasRemaining()) {
                int r = channel.read(reply);
                if (r < 0 || (reply.position() > 0 && reply.get(reply.position() - 1) == 0)) {
                    break;
                }
            }
            String text = new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
            return text.replace("\0", "").strip();
        } catch (java.nio.channels.ClosedChannelException e) {
            throw new IOException("clamd did not answer within " + timeout.toMillis() + " ms", e);
        } finally {
            watchdog.interrupt();
        }
    }

    private static void write(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
