package org.facteur.auth.settings;

import java.time.LocalDate;

/**
 * A vacation auto-reply (the Sieve "vacation" action's semantics, RFC 5230), on between two optional dates.
 *
 * @param start the first day it answers, or null for "from now"
 * @param end   the last day it answers (inclusive), or null for "until switched off"
 */
public record Vacation(boolean enabled, String subject, String text, LocalDate start, LocalDate end) {

    public static final int MAX_SUBJECT = 200;
    public static final int MAX_TEXT = 8000;

    public static final Vacation OFF = new Vacation(false, "", "", null, null);

    public Vacation {
        subject = subject == null ? "" : subject.strip();
        text = text == null ? "" : text.stripTrailing();
        if (subject.length() > MAX_SUBJECT || subject.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("the subject must be one line of at most " + MAX_SUBJECT + " characters");
        }
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("the reply text is limited to " + MAX_TEXT + " characters");
        }
        if (start != null && end != null && end.isBefore(start)) {
            throw new IllegalArgumentException("the last day comes before the first");
        }
    }

    /** Whether it answers mail that arrives on {@code day} (the server's date). */
    public boolean activeOn(LocalDate day) {
        return enabled && (start == null || !day.isBefore(start)) && (end == null || !day.isAfter(end));
    }
}
