package org.facteur.storage.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.facteur.storage.MessageStructure;
import org.facteur.storage.MessageStructure.Address;
import org.facteur.storage.MessageStructure.Envelope;
import org.facteur.storage.MessageStructure.Part;

/**
 * A compact binary form of {@link MessageStructure} for the index (length-prefixed UTF-8 strings, varints).
 * Version byte first, so a format change makes old rows re-parse instead of misread.
 */
public final class StructureCodec {

    private static final int VERSION = 1;

    private StructureCodec() {
    }

    public static byte[] encode(MessageStructure s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeMessage(out, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes, or returns null when the bytes are of another version or damaged (the caller re-parses). */
    public static MessageStructure decode(byte[] data) {
        if (data == null || data.length == 0 || data[0] != VERSION) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 1, data.length - 1))) {
            return readMessage(in);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void writeMessage(DataOutputStream out, MessageStructure s) throws IOException {
        Envelope e = s.envelope();
        str(out, e.date());
        str(out, e.subject());
        addrs(out, e.from());
        addrs(out, e.sender());
        addrs(out, e.replyTo());
        addrs(out, e.to());
        addrs(out, e.cc());
        addrs(out, e.bcc());
        str(out, e.inReplyTo());
        str(out, e.messageId());
        writePart(out, s.root());
    }

    private static MessageStructure readMessage(DataInputStream in) throws IOException {
        Envelope e = new Envelope(str(in), str(in), addrs(in), addrs(in), addrs(in), addrs(in), addrs(in),
                addrs(in), str(in), str(in));
        return new MessageStructure(e, readPart(in));
    }

    private static void writePart(DataOutputStream out, Part p) throws IOException {
        str(out, p.type());
        str(out, p.subtype());
        map(out, p.parameters());
        str(out, p.id());
        str(out, p.description());
        str(out, p.encoding());
        str(out, p.md5());
        str(out, p.disposition());
        map(out, p.dispositionParameters());
        varint(out, p.language().size());
        for (String l : p.language()) {
            str(out, l);
        }
        str(out, p.location());
        varint(out, p.headerOffset());
        varint(out, p.bodyOffset());
        varint(out, p.bodySize());
        varint(out, p.lines());
        varint(out, p.children().size());
        for (Part c : p.children()) {
            writePart(out, c);
        }
        out.writeBoolean(p.message() != null);
        if (p.message() != null) {
            writeMessage(out, p.message());
        }
    }

    private static Part readPart(DataInputStream in) throws IOException {
        String type = str(in);
        String subtype = str(in);
        Map<String, String> params = map(in);
        String id = str(in);
        String description = str(in);
        String encoding = str(in);
        String md5 = str(in);
        String disposition = str(in);
        Map<String, String> dparams = map(in);
        int nl = (int) varint(in);
        List<String> language = new ArrayList<>(nl);
        for (int i = 0; i < nl; i++) {
            language.add(str(in));
        }
        String location = str(in);
        long headerOffset = varint(in);
        long bodyOffset = varint(in);
        long bodySize = varint(in);
        long lines = varint(in);
        int nc = (int) varint(in);
        List<Part> children = new ArrayList<>(nc);
        for (int i = 0; i < nc; i++) {
            children.add(readPart(in));
        }
        MessageStructure message = in.readBoolean() ? readMessage(in) : null;
        return new Part(type, subtype, params, id, description, encoding, md5, disposition, dparams,
                List.copyOf(language), location, headerOffset, bodyOffset, bodySize, lines, List.copyOf(children),
                message);
    }

    private static void addrs(DataOutputStream out, List<Address> list) throws IOException {
        if (list == null) {
            varint(out, 0);
            return;
        }
        varint(out, list.size() + 1L);
        for (Address a : list) {
            str(out, a.name());
            str(out, a.route());
            str(out, a.mailbox());
            str(out, a.host());
        }
    }

    private static List<Address> addrs(DataInputStream in) throws IOException {
        long n = varint(in);
        if (n == 0) {
            return null;
        }
        List<Address> out = new ArrayList<>((int) n - 1);
        for (long i = 1; i < n; i++) {
            out.add(new Address(str(in), str(in), str(in), str(in)));
        }
        return List.copyOf(out);
    }

    private static void map(DataOutputStream out, Map<String, String> m) throws IOException {
        varint(out, m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            str(out, e.getKey());
            str(out, e.getValue());
        }
    }

    private static Map<String, String> map(DataInputStream in) throws IOException {
        int n = (int) varint(in);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(str(in), str(in));
        }
        return m;
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            varint(out, 0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varint(out, b.length + 1L);
        out.write(b);
    }

    private static String str(DataInputStream in) throws IOException {
        long n = varint(in);
        if (n == 0) {
            return null;
        }
        byte[] b = new byte[(int) n - 1];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void varint(DataOutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long varint(DataInputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("bad varint");
    }
}
