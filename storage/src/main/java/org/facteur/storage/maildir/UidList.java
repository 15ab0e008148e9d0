package org.facteur.storage.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A folder's {@code dovecot-uidlist}, version 3, the on-disk truth of UIDs: a header
 * {@code 3 V<uidvalidity> N<nextuid> G<guid>} then one line per message {@code <uid> [W<vsize>] :<base name>},
 * ascending. We append a line per delivery (as Dovecot does) and rewrite the whole file atomically when messages
 * are expunged. A torn last line (crash while appending) is ignored on reading; the message it named gets a new
 * UID, which is correct because it was never acknowledged.
 */
public final class UidList {

    public static final String FILE = "dovecot-uidlist";

    private long uidValidity;
    private long nextUid;
    private String guid;
    private final TreeMap<Long, String> byUid = new TreeMap<>();
    private final Map<String, Long> byBase = new HashMap<>();
    private final Map<Long, Long> vsizes = new HashMap<>();

    private UidList(long uidValidity, long nextUid, String guid) {
        this.uidValidity = uidValidity;
        this.nextUid = nextUid;
        this.guid = guid;
    }

    public static UidList fresh(long uidValidity) {
        byte[] g = new byte[16];
        new SecureRandom().nextBytes(g);
        return new UidList(uidValidity, 1, HexFormat.of().formatHex(g));
    }

    /** Reads the file; null when there is none or its header is unreadable. */
    public static UidList load(Path folder) throws IOException {
        String text;
        try {
            text = Files.readString(folder.resolve(FILE), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return null;
        }
        String[] lines = text.split("\n", -1);
        if (lines.length == 0) {
            return null;
        }
        UidList list = parseHeader(lines[0]);
        if (list == null) {
            return null;
        }
        boolean v3 = lines[0].startsWith("3 ");
        // The last element is what follows the final '\n': empty, or a torn line we must not trust.
        for (int i = 1; i < lines.length - 1; i++) {
            list.parseRecord(lines[i], v3);
        }
        return list;
    }

    private static UidList parseHeader(String header) {
        String[] f = header.trim().split(" ");
        try {
            if (f[0].equals("1") && f.length >= 3) {
                return new UidList(Long.parseLong(f[1]), Long.parseLong(f[2]), null);
            }
            if (!f[0].equals("3")) {
                return null;
            }
            long v = 0;
            long n = 1;
            String g = null;
            for (int i = 1; i < f.length; i++) {
                if (f[i].isEmpty()) {
                    continue;
                }
                switch (f[i].charAt(0)) {
                    case 'V' -> v = Long.parseLong(f[i].substring(1));
                    case 'N' -> n = Long.parseLong(f[i].substring(1));
                    case 'G' -> g = f[i].substring(1);
                    default -> {
                    }
                }
            }
            return v == 0 ? null : new UidList(v, n, g);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void parseRecord(String line, boolean v3) {
        int sp = line.indexOf(' ');
        if (sp <= 0) {
            return;
        }
        long uid;
        try {
            uid = Long.parseLong(line.substring(0, sp));
        } catch (NumberFormatException e) {
            return;
        }
        String name;
        long vsize = -1;
        if (v3) {
            int colon = line.indexOf(" :", sp - 1);
            if (colon < 0) {
                return;
            }
            String exts = colon > sp ? line.substring(sp + 1, colon).trim() : ""; // "1 :name" has none
            for (String ext : exts.split(" ")) {
                if (ext.startsWith("W")) {
                    try {
                        vsize = Long.parseLong(ext.substring(1));
                    } catch (NumberFormatException e) {
                        // ignore a bad extension
                    }
                }
            }
            name = line.substring(colon + 2);
        } else {
            name = line.substring(sp + 1).trim();
        }
        String base = MaildirFlags.base(name);
        if (uid <= 0 || base.isEmpty() || base.indexOf('/') >= 0) {
            return;
        }
        put(uid, base);
        if (vsize >= 0) {
            vsizes.put(uid, vsize);
        }
        nextUid = Math.max(nextUid, uid + 1);
    }

    private void put(long uid, String base) {
        Long old = byBase.put(base, uid);
        if (old != null && old != uid) {
            byUid.remove(old);
        }
        byUid.put(uid, base);
    }

    public long uidValidity() {
        return uidValidity;
    }

    public long nextUid() {
        return nextUid;
    }

    public Long uid(String base) {
        return byBase.get(base);
    }

    public String base(long uid) {
        return byUid.get(uid);
    }

    public Map<Long, String> entries() {
        return byUid;
    }

    /** Assigns the next UID to a base name, in memory only; {@link #append} or {@link #rewrite} persists it. */
    public long assign(String base) {
        long uid = nextUid++;
        put(uid, base);
        return uid;
    }

    /** Keeps a UID that came from elsewhere (import from another maildir keeping UIDs). */
    public void assignExact(long uid, String base) {
        put(uid, base);
        nextUid = Math.max(nextUid, uid + 1);
    }

    /** Never hands out a UID below {@code next} (UIDs are not reused, RFC 9051 §2.3.1.1). */
    public void ensureNextUid(long next) {
        nextUid = Math.max(nextUid, next);
    }

    public void remove(long uid) {
        String base = byUid.remove(uid);
        if (base != null) {
            byBase.remove(base);
        }
        vsizes.remove(uid);
    }

    public void setVsize(long uid, long vsize) {
        vsizes.put(uid, vsize);
    }

    private String header() {
        return "3 V" + uidValidity + " N" + nextUid + (guid == null ? "" : " G" + guid) + "\n";
    }

    private String record(long uid, String base) {
        Long w = vsizes.get(uid);
        return uid + (w == null ? "" : " W" + w) + " :" + base + "\n";
    }

    /** Appends the records of these UIDs (new deliveries), fsynced; writes the whole file if it is missing. */
    public void append(Path folder, Iterable<Long> uids, boolean fsync) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.exists(file)) {
            rewrite(folder, fsync);
            return;
        }
        StringBuilder b = new StringBuilder();
        for (long uid : uids) {
            b.append(record(uid, byUid.get(uid)));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (fsync) {
                ch.force(false);
            }
        }
    }

    /** Writes the whole file (header with the current next UID, then every record), atomically. */
    public void rewrite(Path folder, boolean fsync) throws IOException {
        StringBuilder b = new StringBuilder(64 + byUid.size() * 48);
        b.append(header());
        for (Map.Entry<Long, String> e : byUid.entrySet()) {
            b.append(record(e.getKey(), e.getValue()));
        }
        FileSync.writeAtomically(folder.resolve(FILE), b.toString().getBytes(StandardCharsets.UTF_8), fsync);
    }
}
