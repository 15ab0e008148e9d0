package org.facteur.imap.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TransferDecodingTest {

    @Test
    void quotedPrintableDropsPaddingAndJoinsSoftBreaks() {
        String body = "hello  \r\nbar=\r\n\r\nfoo\t=\r\nbar\r\nfoo\t \t= \r\n=62\r\nfoo = \t\r\nbar\r\nfoo =\r\n=62\r\nfoo  \r\nbar=\r\n\r\nfoo_bar";
        String decoded = new String(TransferDecoding.decode(body.getBytes(StandardCharsets.US_ASCII), "Quoted-Printable"),
                StandardCharsets.US_ASCII);
        assertThat(decoded).isEqualTo("hello\r\nbar\r\nfoo\tbar\r\nfoo\t \tb\r\nfoo bar\r\nfoo b\r\nfoo\r\nbar\r\nfoo_bar");
    }

    @Test
    void base64AndUnknownEncodings() {
        assertThat(TransferDecoding.decode("aGVs\r\nbG8=".getBytes(StandardCharsets.US_ASCII), "base64"))
                .isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(TransferDecoding.decode(new byte[] {1}, "x-uuencode")).isNull();
    }
}
