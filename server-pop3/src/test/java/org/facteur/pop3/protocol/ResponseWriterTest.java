package org.facteur.pop3.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseWriterTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ResponseWriter writer = new ResponseWriter(bytes);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static ByteArrayInputStream message(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void statusLines() throws Exception {
        writer.ok("2 320");
        writer.ok("");
        writer.err("No such message");
        writer.err(ResponseCode.IN_USE, "Locked");
        writer.err(ResponseCode.SYS_TEMP, "Later");
        assertThat(written()).isEqualTo("+OK 2 320\r\n+OK\r\n-ERR No such message\r\n-ERR [IN-USE] Locked\r\n"
                + "-ERR [SYS/TEMP] Later\r\n");
    }

    @Test
    void textCannotInjectASecondLine() throws Exception {
        writer.err(ResponseCode.AUTH, "bad\r\n+OK injected");
        assertThat(written()).isEqualTo("-ERR [AUTH] bad  +OK injected\r\n");
    }

    @Test
    void multiLineIsDotStuffedAndTerminated() throws Exception {
        writer.multiLine("list", List.of("1 100", ".hidden", ".."));
        assertThat(written()).isEqualTo("+OK list\r\n1 100\r\n..hidden\r\n...\r\n.\r\n");
    }

    @Test
    void emptyMultiLine() throws Exception {
        writer.multiLine("0 messages", List.of());
        assertThat(written()).isEqualTo("+OK 0 messages\r\n.\r\n");
    }

    @Test
    void retrStuffsLeadingDotsOnly() throws Exception {
        writer.message("3 octets", message("Subject: a.b\r\n\r\n.\r\n..x\r\nmid.dle\r\n.\r\n"));
        assertThat(written()).isEqualTo("+OK 3 octets\r\nSubject: a.b\r\n\r\n..\r\n...x\r\nmid.dle\r\n..\r\n.\r\n");
    }

    @Test
    void retrEndsAnUnterminatedLastLine() throws Exception {
        writer.message("x", message("Subject: x\r\n\r\nno newline"));
        assertThat(written()).endsWith("\r\nno newline\r\n.\r\n");
    }

    @Test
    void retrTurnsBareLfIntoCrlf() throws Exception {
        writer.message("x", message("A: b\n\n.dot\nend\r"));
        assertThat(written()).isEqualTo("+OK x\r\nA: b\r\n\r\n..dot\r\nend\r\n.\r\n");
    }

    @Test
    void emptyMessage() throws Exception {
        writer.message("0 octets", message(""));
        assertThat(written()).isEqualTo("+OK 0 octets\r\n.\r\n");
    }

    @Test
    void dotStuffingAcrossWriteBoundaries() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffingOutputStream stuffing = new DotStuffingOutputStream(out);
        byte[] data = "a\r\n.b\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);
        for (byte b : data) {
            stuffing.write(new byte[] {b}, 0, 1); // one byte per call: state must carry over
        }
        stuffing.finish();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("a\r\n..b\r\n..\r\n.\r\n");
    }

    @Test
    void topSendsHeaderBlankLineAndNLines() throws Exception {
        String text = "From: a\r\nSubject: s\r\n\r\nline1\r\n.line2\r\nline3\r\n";
        writer.top("top", message(text), 2);
        assertThat(written()).isEqualTo("+OK top\r\nFrom: a\r\nSubject: s\r\n\r\nline1\r\n..line2\r\n.\r\n");
    }

    @Test
    void topZeroLinesSendsHeaderOnly() throws Exception {
        writer.top("top", message("From: a\r\n\r\nbody\r\n"), 0);
        assertThat(written()).isEqualTo("+OK top\r\nFrom: a\r\n\r\n.\r\n");
    }

    @Test
    void topMoreLinesThanTheBodyHas() throws Exception {
        writer.top("top", message("From: a\r\n\r\nonly\r\n"), 1000);
        assertThat(written()).isEqualTo("+OK top\r\nFrom: a\r\n\r\nonly\r\n.\r\n");
    }

    @Test
    void topOfAMessageWithoutBody() throws Exception {
        writer.top("top", message("From: a\r\nSubject: no body"), 5);
        assertThat(written()).isEqualTo("+OK top\r\nFrom: a\r\nSubject: no body\r\n.\r\n");
    }

    @Test
    void challenges() throws Exception {
        writer.challenge(new byte[0]);
        writer.challenge("hi".getBytes(StandardCharsets.US_ASCII));
        assertThat(written()).isEqualTo("+ \r\n+ aGk=\r\n");
    }
}
