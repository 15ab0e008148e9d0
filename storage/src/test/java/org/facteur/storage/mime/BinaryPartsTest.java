package org.facteur.storage.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import org.facteur.storage.MessageStructure;
import org.junit.jupiter.api.Test;

class BinaryPartsTest {

    private final StructureParser parser = new StructureParser(20);

    private static byte[] bytes(Object... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : pieces) {
            out.writeBytes(p instanceof byte[] b ? b : p.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    private static byte[] body(byte[] message, MessageStructure.Part p) {
        return Arrays.copyOfRange(message, (int) p.bodyOffset(), (int) (p.bodyOffset() + p.bodySize()));
    }

    private static boolean hasNul(byte[] b) {
        for (byte x : b) {
            if (x == 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aMessageWithoutNulIsKeptAsItIs() {
        byte[] plain = bytes("Subject: hi\r\nContent-Transfer-Encoding: 8bit\r\n\r\ncaf\u00e9\r\n");
        assertThat(BinaryParts.encodeForLiterals(plain, parser)).isSameAs(plain);
    }

    @Test
    void aBinarySinglePartBecomesBase64OfTheSameBytes() {
        byte[] data = {' ', '-', (byte) 0x80, 0, '\r', '\n'};
        byte[] message = bytes("From: user@domain.org\r\nContent-Type: application/octet-stream\r\n",
                "Content-Transfer-Encoding: binary\r\n\r\n", data);
        byte[] encoded = BinaryParts.encodeForLiterals(message, parser);
        assertThat(hasNul(encoded)).isFalse();
        MessageStructure.Part root = parser.parse(ByteBuffer.wrap(encoded)).root();
        assertThat(root.encoding()).isEqualToIgnoringCase("base64");
        assertThat(Base64.getMimeDecoder().decode(body(encoded, root))).isEqualTo(data);
        assertThat(new String(encoded, StandardCharsets.ISO_8859_1)).startsWith("From: user@domain.org\r\n");
    }

    @Test
    void onlyThePartsHoldingNulChangeInAMultipart() {
        byte[] data = {0, 1, 2, 0, 'x'};
        byte[] message = bytes("Subject: two parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n",
                "preamble\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n",
                "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding:\r\n binary\r\n",
                "Content-Disposition: attachment; filename=a.bin\r\n\r\n", data, "\r\n--b--\r\nepilogue\r\n");
        byte[] encoded = BinaryParts.encodeForLiterals(message, parser);
        assertThat(hasNul(encoded)).isFalse();
        MessageStructure.Part root = parser.parse(ByteBuffer.wrap(encoded)).root();
        assertThat(root.children()).hasSize(2);
        assertThat(new String(body(encoded, root.children().get(0)), StandardCharsets.US_ASCII)).isEqualTo("hello");
        MessageStructure.Part attachment = root.children().get(1);
        assertThat(attachment.encoding()).isEqualToIgnoringCase("base64");
        assertThat(attachment.disposition()).isEqualToIgnoringCase("attachment");
        assertThat(Base64.getMimeDecoder().decode(body(encoded, attachment))).isEqualTo(data);
        assertThat(new String(encoded, StandardCharsets.ISO_8859_1)).contains("preamble").endsWith("--b--\r\nepilogue\r\n");
    }
}
