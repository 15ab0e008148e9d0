package org.facteur.smtp.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A tiny authoritative DNS server on UDP loopback, written with dnsjava's message classes, for MX tests. */
public final class TestDns implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
    private final Thread thread;

    public TestDns() throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().start(this::serve);
    }

    public String server() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private static Name name(String n) {
        try {
            return Name.fromString(n.endsWith(".") ? n : n + ".");
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void add(Record r) {
        records.computeIfAbsent(r.getName().toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(r);
    }

    public TestDns mx(String domain, int preference, String host) {
        add(new MXRecord(name(domain), DClass.IN, 60, preference, name(host)));
        return this;
    }

    public TestDns a(String host, String address) throws IOException {
        add(new ARecord(name(host), DClass.IN, 60, InetAddress.getByName(address)));
        return this;
    }

    public TestDns cname(String alias, String target) {
        add(new CNAMERecord(name(alias), DClass.IN, 60, name(target)));
        return this;
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
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
        List<Record> known = records.get(qname.toString().toLowerCase(Locale.ROOT));
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
