package org.facteur.net.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A loopback DNS responder for tests (MX routes, blocklists, SPF, reverse DNS): answers UDP queries from a
 * table of records, following CNAMEs; NXDOMAIN for an unknown name, an empty answer for a known name without
 * that type. Built on dnsjava's message classes; counts queries so tests can check caching.
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

    /** {@code host:port}, as the resolver settings take it. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public int queries() {
        return queries.get();
    }

    private static Name name(String n) {
        try {
            return Name.fromString(n.endsWith(".") ? n : n + ".");
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String key(Name name) {
        return name.toString().toLowerCase(Locale.ROOT);
    }

    private TestDns add(Record r) {
        records.computeIfAbsent(key(r.getName()), k -> new ArrayList<>()).add(r);
        return this;
    }

    public TestDns a(String host, String address) throws IOException {
        return add(new ARecord(name(host), DClass.IN, 60, InetAddress.getByName(address)));
    }

    public TestDns mx(String domain, int preference, String host) {
        return add(new MXRecord(name(domain), DClass.IN, 60, preference, name(host)));
    }

    public TestDns cname(String alias, String target) {
        return add(new CNAMERecord(name(alias), DClass.IN, 60, name(target)));
    }

    /** A TXT record; text longer than 255 characters is cut into strings as RFC 7208 §3.3 allows. */
    public TestDns txt(String host, String text) {
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            chunks.add(text.substring(i, Math.min(text.length(), i + 255)));
        }
        return add(new TXTRecord(name(host), DClass.IN, 60, chunks));
    }

    public TestDns ptr(String reverseName, String target) {
        return add(new PTRRecord(name(reverseName), DClass.IN, 60, name(target)));
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                queries.incrementAndGet();
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.AA);
                if (query.getHeader().getFlag(Flags.RD)) {
                    response.getHeader().setFlag(Flags.RD);
                }
                response.addRecord(question, Section.QUESTION);
                answer(question.getName(), question.getType(), response, 0);
                byte[] wire = response.toWire(512);
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private void answer(Name qname, int type, Message response, int depth) {
        List<Record> known = records.get(key(qname));
        if (known == null) {
            if (depth == 0) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
            }
            return;
        }
        for (Record r : known) {
            if (r.getType() == type) {
                response.addRecord(r, Section.ANSWER);
            } else if (r instanceof CNAMERecord c && type != Type.CNAME && depth < 5) {
                response.addRecord(r, Section.ANSWER);
                answer(c.getTarget(), type, response, depth + 1);
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        thread.interrupt();
    }
}
