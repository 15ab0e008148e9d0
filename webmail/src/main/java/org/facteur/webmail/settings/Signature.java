package org.facteur.webmail.settings;

/** The user's signature under a message being written, after the usual separator line. */
public final class Signature {

    /** "-- " alone on a line: mail readers recognise what follows as the signature (RFC 3676 §4.3). */
    public static final String SEPARATOR = "-- ";

    private Signature() {
    }

    /** {@code body} with the signature block added at its end; unchanged when the signature is empty. */
    public static String appendTo(String body, String signature) {
        if (signature == null || signature.isBlank()) {
            return body;
        }
        return (body == null ? "" : body) + "\n\n" + SEPARATOR + "\n" + signature;
    }
}
