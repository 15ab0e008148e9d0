package org.facteur.storage.maildir;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.facteur.storage.Flags;

/**
 * The info part of a maildir file name ({@code base:2,FRS}): system flags as upper-case letters in ASCII order
 * (maildir spec, "info semantics"), keywords as lower-case letters a-z indexed by {@code dovecot-keywords}.
 */
public final class MaildirFlags {

    /** {@code $Forwarded} (RFC 5788) is maildir's P, "passed". */
    public static final String FORWARDED = "$Forwarded";

    private MaildirFlags() {
    }

    /** The file name's base: everything before {@code :2,} (or before ':' for any other info). */
    public static String base(String fileName) {
        int colon = fileName.indexOf(':');
        if (colon < 0) {
            // Windows-friendly maildirs use '!' or ';' instead of ':'; we only write ':'.
            return fileName;
        }
        return fileName.substring(0, colon);
    }

    /** Flags of a file name; letters a-z are resolved through {@code keywords}. */
    public static Set<String> parse(String fileName, Keywords keywords) {
        Set<String> flags = new TreeSet<>();
        int info = fileName.indexOf(":2,");
        if (info < 0) {
            return flags;
        }
        for (int i = info + 3; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            switch (c) {
                case 'D' -> flags.add(Flags.DRAFT);
                case 'F' -> flags.add(Flags.FLAGGED);
                case 'P' -> flags.add(FORWARDED);
                case 'R' -> flags.add(Flags.ANSWERED);
                case 'S' -> flags.add(Flags.SEEN);
                case 'T' -> flags.add(Flags.DELETED);
                default -> {
                    if (c >= 'a' && c <= 'z') {
                        String k = keywords.name(c - 'a');
                        if (k != null) {
                            flags.add(k);
                        }
                    }
                }
            }
        }
        return flags;
    }

    /**
     * The info suffix for these flags ({@code :2,FS}); keywords get a letter from {@code keywords}, which may grow
     * (the caller saves it). Keywords beyond the 26 letters live only in the index.
     */
    public static String info(Set<String> flags, Keywords keywords) {
        List<Character> letters = new ArrayList<>();
        for (String f : flags) {
            switch (f) {
                case Flags.DRAFT -> letters.add('D');
                case Flags.FLAGGED -> letters.add('F');
                case Flags.ANSWERED -> letters.add('R');
                case Flags.SEEN -> letters.add('S');
                case Flags.DELETED -> letters.add('T');
                case Flags.RECENT -> {
                }
                default -> {
                    if (f.equalsIgnoreCase(FORWARDED)) {
                        letters.add('P');
                    } else if (!Flags.isSystem(f)) {
                        int idx = keywords.indexOrAdd(f);
                        if (idx >= 0) {
                            letters.add((char) ('a' + idx));
                        }
                    }
                }
            }
        }
        letters.sort(null);
        StringBuilder b = new StringBuilder(":2,");
        for (char c : letters) {
            b.append(c);
        }
        return b.toString();
    }
}
