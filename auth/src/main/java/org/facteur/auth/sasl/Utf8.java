package org.facteur.auth.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding: SASL strings are UTF-8 (RFC 4422 §3.4.1), and an invalid byte is an error, not a '?'. */
final class Utf8 {

    private Utf8() {
    }

    /** The text, or null when the bytes are not valid UTF-8. */
    static String decode(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }
}
