package org.facteur.filters.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A loopback DNS responder for tests: answers UDP queries from a table of records, NXDOMAIN otherwise,
 * built on dnsjava's Message classes. Counts queries so tests can check caching.
 */
public final class TestDns implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final Thread thread;

    public TestDns() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread = Thread.ofPlatform().daemon().name("test-dns").start(this::serve);
    }

    /** For filters.dns.resolver. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public int queries() {
        return queries.get();
    }

    private static String key(Name name, int type) {
        return name.toString().toLowerCase(java.util.Locale.ROOT) + "/" + type;
    }

    private static Name name(String n) {
        try {
            return Name.fromString(n.endsWith(".") ? n : n + ".");
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public TestDns a(String host, String address) throws IOException {
        Name n = name(host);
        records.computeIfAbsent(key(n, Type.A), k -> new ArrayList<>())
                .add(new ARecord(n, DClass.IN, 60, InetAddress.getByName(address)));
        return this;
    }

    public TestDns txt(String host, String text) {
        Name n = name(host);
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            chunks.add(text.substring(i, Math.min(text.length(), i + 255)));
        }
        records.computeIfAbsent(key(n, Type.TXT), k -> new ArrayList<>()).add(new TXTRecord(n, DClass.IN, 60, chunks));
        return this;
    }

    public TestDns ptr(String reverseName, String target) {
        Name n = name(reverseName);
        records.computeIfAbsent(key(n, Type.PTR), k -> new ArrayList<>()).add(new PTRRecord(n, DClass.IN, 60, name(target)));
        return this;
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                queries.incrementAndGet();
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.AA);
                if (query.getHeader().getFlag(Flags.RD)) {
                    response.getHeader().setFlag(Flags.RD);
                }
                response.addRecord(question, Section.QUESTION);
                List<Record> answers = records.get(key(question.getName(), question.getType()));
                boolean exists = records.keySet().stream().anyMatch(k -> k.startsWith(question.getName().toString().toLowerCase(java.util.Locale.ROOT) + "/"));
                if (answers != null) {
                    answers.forEach(r -> response.addRecord(r, Section.ANSWER));
                } else if (!exists) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                byte[] wire = response.toWire(512);
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
