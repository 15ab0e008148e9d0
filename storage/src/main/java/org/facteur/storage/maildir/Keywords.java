package org.facteur.storage.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A folder's {@code dovecot-keywords}: lines {@code <index> <keyword>}, index 0 being the letter 'a' in file
 * names. Dovecot reads and writes the same file, so keywords survive a move between the two servers.
 */
public final class Keywords {

    public static final String FILE = "dovecot-keywords";
    static final int MAX = 26;

    private final String[] names = new String[MAX];
    private boolean dirty;

    public static Keywords load(Path folder) throws IOException {
        Keywords k = new Keywords();
        try {
            for (String line : Files.readAllLines(folder.resolve(FILE), StandardCharsets.UTF_8)) {
                int sp = line.indexOf(' ');
                if (sp <= 0) {
                    continue;
                }
                try {
                    int idx = Integer.parseInt(line.substring(0, sp));
                    String name = line.substring(sp + 1).trim();
                    if (idx >= 0 && idx < MAX && !name.isEmpty()) {
                        k.names[idx] = name;
                    }
                } catch (NumberFormatException e) {
                    // a line we cannot read is skipped: the file is a cache of names, never of mail
                }
            }
        } catch (NoSuchFileException e) {
            // no keywords yet
        }
        return k;
    }

    public synchronized String name(int index) {
        return index >= 0 && index < MAX ? names[index] : null;
    }

    /** The index of a keyword (case-insensitive, RFC 9051 §2.3.2), adding it if there is room; -1 if full. */
    public synchronized int indexOrAdd(String keyword) {
        for (int i = 0; i < MAX; i++) {
            if (names[i] != null && names[i].equalsIgnoreCase(keyword)) {
                return i;
            }
        }
        for (int i = 0; i < MAX; i++) {
            if (names[i] == null) {
                names[i] = keyword;
                dirty = true;
                return i;
            }
        }
        return -1;
    }

    /** Writes the file if a keyword was added (atomically: temp file then rename). */
    public synchronized void saveIfChanged(Path folder, boolean fsync) throws IOException {
        if (!dirty) {
            return;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < MAX; i++) {
            if (names[i] != null) {
                b.append(i).append(' ').append(names[i]).append('\n');
            }
        }
        FileSync.writeAtomically(folder.resolve(FILE), b.toString().getBytes(StandardCharsets.UTF_8), fsync);
        dirty = false;
    }

    @Override
    public synchronized String toString() {
        return Arrays.toString(names);
    }
}
