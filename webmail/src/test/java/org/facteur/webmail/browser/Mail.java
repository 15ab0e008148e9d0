package org.facteur.webmail.browser;

import java.nio.charset.StandardCharsets;

/** Test messages with CRLF line ends. */
final class Mail {

    private Mail() {
    }

    static byte[] plain(String subject, String body) {
        return ("From: Bob <bob@example.test>\r\nTo: Alice <alice@example.test>\r\nSubject: " + subject
                + "\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\nMessage-ID: <" + System.nanoTime() + "@example.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + body.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] html(String subject, String html, String extraHeaders) {
        return html(subject, html, extraHeaders,
                java.time.ZonedDateTime.of(2026, 3, 3, 10, 0, 0, 0, java.time.ZoneOffset.ofHours(1)));
    }

    static byte[] html(String subject, String html, String extraHeaders, java.time.ZonedDateTime date) {
        return ("From: News <news@example.org>\r\nTo: Alice <alice@example.test>\r\nSubject: " + subject
                + "\r\nDate: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(date)
                + "\r\nMessage-ID: <" + System.nanoTime() + "@example.org>\r\n"
                + extraHeaders + "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n" + html + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
