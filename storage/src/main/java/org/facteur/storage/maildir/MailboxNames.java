package org.facteur.storage.maildir;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.facteur.storage.InvalidMailboxNameException;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.ModifiedUtf7;
import org.facteur.storage.StorageConfig;

/**
 * Mailbox names of the API ({@code Lists/Java}, UTF-8, "/" separated, {@code INBOX} case-insensitive) and their
 * Maildir++ directory names ({@code .Lists.Java}, each segment in modified UTF-7, '.' inside a segment encoded
 * so it cannot be read as a separator).
 */
public final class MailboxNames {

    private MailboxNames() {
    }

    /** The canonical name: INBOX in upper case (RFC 9051 §5.1), the rest as given. */
    public static String canonical(String name) {
        if (name.equalsIgnoreCase(MailboxInfo.INBOX)) {
            return MailboxInfo.INBOX;
        }
        int slash = name.indexOf(MailboxInfo.SEPARATOR);
        if (slash > 0 && name.substring(0, slash).equalsIgnoreCase(MailboxInfo.INBOX)) {
            return MailboxInfo.INBOX + name.substring(slash);
        }
        return name;
    }

    /** Checks a name against path traversal, control characters and the configured bounds. */
    public static String validate(String name, StorageConfig config) throws InvalidMailboxNameException {
        if (name == null || name.isEmpty()) {
            throw new InvalidMailboxNameException("empty mailbox name");
        }
        String n = canonical(name);
        if (n.getBytes(StandardCharsets.UTF_8).length > config.maxFolderNameLength()) {
            throw new InvalidMailboxNameException("mailbox name longer than " + config.maxFolderNameLength() + " bytes");
        }
        List<String> segments = segments(n);
        if (segments.size() > config.maxFolderDepth()) {
            throw new InvalidMailboxNameException("mailbox hierarchy deeper than " + config.maxFolderDepth());
        }
        for (String s : segments) {
            if (s.isEmpty()) {
                throw new InvalidMailboxNameException("empty hierarchy level in mailbox name");
            }
            if (s.equals(".") || s.equals("..")) {
                throw new InvalidMailboxNameException("'.' and '..' are not mailbox names");
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\\') {
                    throw new InvalidMailboxNameException("control characters are not allowed in mailbox names");
                }
                // RFC 9051 §5.1: the LIST wildcards should not be part of names.
                if (c == '*' || c == '%') {
                    throw new InvalidMailboxNameException("'*' and '%' are not allowed in mailbox names");
                }
            }
            if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) {
                throw new InvalidMailboxNameException("mailbox names cannot start or end with a space");
            }
        }
        if (!n.equals(MailboxInfo.INBOX) && segments.get(0).toLowerCase(Locale.ROOT).equals("inbox")
                && !segments.get(0).equals(MailboxInfo.INBOX)) {
            throw new InvalidMailboxNameException("bad spelling of INBOX");
        }
        return n;
    }

    public static List<String> segments(String name) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == MailboxInfo.SEPARATOR) {
                out.add(name.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** Directory name under the account root; empty for INBOX (the root itself). */
    public static String toDirectory(String canonicalName) {
        if (canonicalName.equals(MailboxInfo.INBOX)) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (String s : segments(canonicalName)) {
            b.append('.').append(ModifiedUtf7.encode(s, "./"));
        }
        return b.toString();
    }

    /** The API name of a Maildir++ directory such as {@code .Lists.Java}, or null if it is not a folder. */
    public static String fromDirectory(String dir) {
        if (dir.length() < 2 || dir.charAt(0) != '.' || dir.equals("..")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : segments(dir.substring(1).replace('.', MailboxInfo.SEPARATOR))) {
            if (s.isEmpty()) {
                return null;
            }
            out.add(ModifiedUtf7.decode(s));
        }
        return canonical(String.join(String.valueOf(MailboxInfo.SEPARATOR), out));
    }

    public static String parent(String name) {
        int i = name.lastIndexOf(MailboxInfo.SEPARATOR);
        return i < 0 ? null : name.substring(0, i);
    }

    public static boolean isSelfOrChild(String name, String ancestor) {
        return name.equals(ancestor) || name.startsWith(ancestor + MailboxInfo.SEPARATOR);
    }
}
