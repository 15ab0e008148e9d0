package org.facteur.config;

import java.util.Locale;

/** A size in bytes, written in the configuration as {@code 512}, {@code 64KB}, {@code 10MB} or {@code 2GB} (powers of 1024). */
public record DataSize(long bytes) {

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative");
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofKilobytes(long kb) {
        return new DataSize(Math.multiplyExact(kb, 1024L));
    }

    public static DataSize ofMegabytes(long mb) {
        return new DataSize(Math.multiplyExact(mb, 1024L * 1024));
    }

    /** Parses {@code 10MB}, {@code 64 KB}, {@code 1g}, {@code 4096}. */
    public static DataSize parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        if (s.endsWith("B") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1); // "10MB" -> "10M"
        } else if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1); // "512B" -> "512"
        }
        long unit = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> unit = 1024L;
                case 'M' -> unit = 1024L * 1024;
                case 'G' -> unit = 1024L * 1024 * 1024;
                case 'T' -> unit = 1024L * 1024 * 1024 * 1024;
                default -> unit = 1;
            }
        }
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' is not a size: write a number with an optional unit, like 512, 64KB, 10MB or 2GB");
        }
        return new DataSize(Math.multiplyExact(Long.parseLong(digits), unit));
    }

    /** Whole bytes as an int, saturating at {@link Integer#MAX_VALUE} (for buffers and protocol limits). */
    public int toIntBytes() {
        return (int) Math.min(bytes, Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        long[] units = {1024L * 1024 * 1024 * 1024, 1024L * 1024 * 1024, 1024L * 1024, 1024L};
        String[] names = {"TB", "GB", "MB", "KB"};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % units[i] == 0) {
                return bytes / units[i] + names[i];
            }
        }
        return Long.toString(bytes);
    }
}
