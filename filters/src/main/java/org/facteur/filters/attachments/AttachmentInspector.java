package org.facteur.filters.attachments;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.ParsedMessage;

/**
 * Finds dangerous attachments without virus signatures: blocked extensions (also the last of a double
 * extension and behind a right-to-left override), blocked content types, executables by their first bytes
 * whatever their name, archives (zip, nested) holding any of these, Office documents with macros (OOXML
 * {@code vbaProject.bin}, OLE2 VBA storages) and HTML attachments with scripts. Archives are read within
 * depth, entry, size and compression-ratio limits: beyond them the attachment counts as a zip bomb.
 */
public final class AttachmentInspector {

    /** One dangerous part: its index among the message's leaf parts, its name and why. */
    public record Finding(int part, String name, String reason) {
    }

    private static final Pattern HTML_SCRIPT = Pattern.compile(
            "(?i)<script\\b|\\bon(?:load|error|click|mouseover|focus)\\s*=|javascript:|<iframe\\b|<object\\b|<embed\\b");
    private static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
    private static final byte[] VBA_UTF16 = "_VBA_PROJECT".getBytes(StandardCharsets.UTF_16LE);
    private static final byte[] MACROS_UTF16 = "Macros".getBytes(StandardCharsets.UTF_16LE);

    private final FilterConfig.Attachments config;

    public AttachmentInspector(FilterConfig.Attachments config) {
        this.config = config;
    }

    public List<Finding> inspect(ParsedMessage message) {
        List<Finding> findings = new ArrayList<>();
        List<ParsedMessage.Part> parts = message.parts();
        for (int i = 0; i < parts.size(); i++) {
            ParsedMessage.Part part = parts.get(i);
            String name = part.filename() == null ? "" : part.filename();
            String reason = inspectPart(part, name);
            if (reason != null) {
                findings.add(new Finding(i, name.isEmpty() ? "(unnamed " + part.mimeType() + ")" : name, reason));
            }
        }
        return findings;
    }

    private String inspectPart(ParsedMessage.Part part, String name) {
        String reason = byName(name);
        if (reason != null) {
            return reason;
        }
        for (String type : config.blockedTypes()) {
            if (type.equalsIgnoreCase(part.mimeType())) {
                return "content type " + part.mimeType() + " is not allowed";
            }
        }
        boolean isAttachment = part.attachment() || !part.isText();
        if (!isAttachment) {
            return null; // the message's own text
        }
        if (config.blockHtmlScripts() && (part.mimeType().equals("text/html") || extension(name).startsWith("htm")
                || extension(name).equals("svg")) && part.attachment()) {
            String html = new String(part.content(), StandardCharsets.ISO_8859_1);
            if (HTML_SCRIPT.matcher(html).find()) {
                return "HTML attachment with a script";
            }
        }
        return content(part.content(), name, 0, new long[] {0});
    }

    /** Extension rules on a file name (also used for archive entries). */
    private String byName(String name) {
        if (name.isEmpty()) {
            return null;
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (n.indexOf('\u202e') >= 0 || n.indexOf('\u202d') >= 0) {
            return "file name " + printable(name) + " hides its extension (right-to-left override)";
        }
        String trimmed = n.strip().replaceAll("[\\s.]+$", "");
        String ext = extension(trimmed);
        if (config.blockedExtensions().contains(ext)) {
            String withoutLast = trimmed.substring(0, trimmed.length() - ext.length() - 1);
            if (!extension(withoutLast).isEmpty() && extension(withoutLast).length() <= 4) {
                return "double extension ." + extension(withoutLast) + "." + ext + " in " + printable(name);
            }
            return "." + ext + " files are not allowed (" + printable(name) + ")";
        }
        return null;
    }

    /** Magic bytes, archives and Office macros in some content. */
    private String content(byte[] data, String name, int depth, long[] expanded) {
        if (config.checkMagic()) {
            String magic = executableMagic(data);
            if (magic != null) {
                return printable(name) + " is " + magic;
            }
        }
        if (startsWith(data, new byte[] {'P', 'K', 3, 4})) {
            return zip(data, name, depth, expanded);
        }
        if (config.blockMacros() && startsWith(data, OLE2) && (indexOf(data, VBA_UTF16) >= 0 || indexOf(data, MACROS_UTF16) >= 0)) {
            return printable(name) + " is an Office document with macros";
        }
        return null;
    }

    static String executableMagic(byte[] d) {
        if (d.length >= 2 && d[0] == 'M' && d[1] == 'Z') {
            return "a Windows executable";
        }
        if (startsWith(d, new byte[] {0x7f, 'E', 'L', 'F'})) {
            return "an ELF executable";
        }
        if (startsWith(d, new byte[] {(byte) 0xCF, (byte) 0xFA, (byte) 0xED, (byte) 0xFE})
                || startsWith(d, new byte[] {(byte) 0xCE, (byte) 0xFA, (byte) 0xED, (byte) 0xFE})
                || startsWith(d, new byte[] {(byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCE})
                || startsWith(d, new byte[] {(byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCF})) {
            return "a Mach-O executable";
        }
        if (d.length >= 2 && d[0] == '#' && d[1] == '!') {
            return "a script (#!)";
        }
        if (startsWith(d, new byte[] {'L', 0, 0, 0, 1, 0x14, 2, 0})) {
            return "a Windows shortcut";
        }
        return null;
    }

    private String zip(byte[] data, String name, int depth, long[] expanded) {
        if (depth >= config.archiveMaxDepth()) {
            return printable(name) + ": archives nested deeper than " + config.archiveMaxDepth();
        }
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(data))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > config.archiveMaxEntries()) {
                    return printable(name) + ": more than " + config.archiveMaxEntries() + " archive entries";
                }
                String entryName = entry.getName();
                String base = entryName.substring(entryName.lastIndexOf('/') + 1);
                String reason = byName(base);
                if (reason != null) {
                    return "in " + printable(name) + ": " + reason;
                }
                if (config.blockMacros() && base.equalsIgnoreCase("vbaProject.bin")) {
                    return printable(name) + " is an Office document with macros";
                }
                if (entry.isDirectory()) {
                    continue;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long read = copyBounded(zip, out, expanded);
                if (read < 0) {
                    return printable(name) + ": expands beyond " + config.archiveMaxSize() + " (zip bomb)";
                }
                long compressed = entry.getCompressedSize();
                if (compressed > 0 && read / compressed > config.archiveMaxRatio() && read > 1_000_000) {
                    return printable(name) + ": compression ratio above " + config.archiveMaxRatio() + " (zip bomb)";
                }
                reason = content(out.toByteArray(), name + "/" + base, depth + 1, expanded);
                if (reason != null) {
                    return reason;
                }
            }
        } catch (ZipException e) {
            if (String.valueOf(e.getMessage()).contains("encrypted") && config.blockEncryptedArchives()) {
                return printable(name) + " is an encrypted archive";
            }
            return null; // a damaged or encrypted archive cannot run anything by itself
        } catch (IOException e) {
            return null;
        }
        if (data.length > 0 && expanded[0] / Math.max(1, data.length) > config.archiveMaxRatio() && expanded[0] > 1_000_000) {
            return printable(name) + ": compression ratio above " + config.archiveMaxRatio() + " (zip bomb)";
        }
        return null;
    }

    /** Copies an entry, counting toward the attachment's total; -1 when the total passes the limit. */
    private long copyBounded(InputStream in, ByteArrayOutputStream out, long[] expanded) throws IOException {
        byte[] buffer = new byte[16384];
        long read = 0;
        int n;
        long keep = 32L << 20;
        while ((n = in.read(buffer)) > 0) {
            read += n;
            expanded[0] += n;
            if (expanded[0] > config.archiveMaxSize().bytes()) {
                return -1;
            }
            if (out.size() < keep) {
                out.write(buffer, 0, (int) Math.min(n, keep - out.size()));
            }
        }
        return read;
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return dot > slash && dot < name.length() - 1 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    private static boolean startsWith(byte[] d, byte[] prefix) {
        if (d.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (d[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] d, byte[] what) {
        outer:
        for (int i = 0; i <= d.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (d[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String printable(String s) {
        String t = s.replaceAll("[^\\p{L}\\p{N}\\p{P}\\p{S} ]", "?");
        return t.length() > 80 ? t.substring(0, 80) : t;
    }
}
