package org.facteur.smtp.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** RFC 3461 §4 xtext: printable ASCII except {@code +} and {@code =}, anything else as {@code +HH}. */
public final class Xtext {

    private Xtext() {
    }

    public static String decode(String xtext) throws SmtpSyntaxException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                if (i + 2 >= xtext.length()) {
                    throw new SmtpSyntaxException(501, "5.5.4", "Bad xtext encoding");
                }
                try {
                    out.write(Integer.parseInt(xtext.substring(i + 1, i + 3), 16));
                } catch (RuntimeException e) {
                    throw new SmtpSyntaxException(501, "5.5.4", "Bad xtext encoding");
                }
                i += 2;
            } else if (c >= 33 && c <= 126 && c != '=') {
                out.write(c);
            } else {
                throw new SmtpSyntaxException(501, "5.5.4", "Bad xtext encoding");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public static String encode(String text) {
        StringBuilder b = new StringBuilder();
        for (byte raw : text.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            if (c >= 33 && c <= 126 && c != '+' && c != '=') {
                b.append((char) c);
            } else {
                b.append('+').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }
}
