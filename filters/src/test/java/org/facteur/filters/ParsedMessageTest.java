package org.facteur.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ParsedMessageTest {

    private static ParsedMessage parse(String text) {
        return ParsedMessage.parse(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesHeadersPartsAndHtml() {
        ParsedMessage m = parse("""
                From: =?UTF-8?Q?Ren=C3=A9?= <rene@example.net>
                Subject: =?ISO-8859-1?Q?caf=E9?=
                 folded
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b"

                --b
                Content-Type: text/html; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                <p>Hello &amp; <a href=3D"http://spam.example/x">click</a><script>evil()</script></p>
                --b
                Content-Type: application/octet-stream; name="a.exe"
                Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.exe
                Content-Transfer-Encoding: base64

                TVqQAAMAAAAEAAAA
                --b--
                """);
        assertThat(m.header("from")).startsWith("René");
        assertThat(m.header("subject")).isEqualTo("café folded");
        assertThat(m.text()).contains("Hello & ").contains("click").doesNotContain("evil");
        assertThat(m.rawText()).contains("<script>");
        assertThat(m.uris()).containsExactly("http://spam.example/x");
        ParsedMessage.Part exe = m.parts().get(1);
        assertThat(exe.filename()).isEqualTo("résumé.exe");
        assertThat(exe.attachment()).isTrue();
        assertThat(new String(exe.content(), 0, 2, StandardCharsets.ISO_8859_1)).isEqualTo("MZ");
    }

    @Test
    void survivesTruncatedAndBrokenInput() {
        ParsedMessage m = parse("""
                Subject: broken
                Content-Type: multipart/mixed; boundary="never-closed"

                --never-closed
                Content-Type: text/plain

                partial text
                """);
        assertThat(m.text()).contains("partial text");
        assertThat(parse("").headers()).isEmpty();
        assertThat(parse("no header at all\n\njust text").parts()).isNotEmpty();
        ParsedMessage binary = ParsedMessage.parse(new byte[] {0, 1, 2, (byte) 0xff, '\n', '\n', 0});
        assertThat(binary).isNotNull();
    }

    @Test
    void boundsOversizedParts() throws Exception {
        String big = "x".repeat(2_000_000);
        ParsedMessage m = ParsedMessage.parse(new java.io.ByteArrayInputStream(
                ("Subject: big\r\n\r\n" + big).getBytes(StandardCharsets.US_ASCII)),
                new ParsedMessage.Limits(1000, 5000, 100, 100));
        assertThat(m.parts().get(0).content()).hasSize(1000);
        assertThat(m.parts().get(0).truncated()).isTrue();
        assertThat(m.parts().get(0).size()).isEqualTo(2_000_000);
        assertThat(m.rawText().length()).isLessThanOrEqualTo(101);
    }
}
