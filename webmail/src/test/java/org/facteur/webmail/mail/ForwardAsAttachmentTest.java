package org.facteur.webmail.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A forwarded message goes whole as message/rfc822, unencoded as RFC 2046 §5.2.1 requires, or as a file. */
class ForwardAsAttachmentTest {

    static String compose(byte[] original) throws Exception {
        Draft draft = new Draft("alice@example.test", null, List.of("bob@example.test"), List.of(), List.of(),
                "Fwd: hello", "", null, null, List.of(new Draft.Upload("hello.eml", "message/rfc822", original)));
        return new String(MessageComposer.compose(draft, "localhost").message(), StandardCharsets.UTF_8);
    }

    @Test
    void anOrdinaryMessageIsAttachedAsItIsWithCrlfLineEnds() throws Exception {
        String out = compose("From: carol@example.org\nSubject: hello\n\nHi Alice,\nsee you.\n".getBytes(StandardCharsets.UTF_8));
        assertThat(out).contains("Content-Type: message/rfc822").contains("Content-Transfer-Encoding: 7bit")
                .contains("filename=hello.eml")
                .contains("From: carol@example.org\r\nSubject: hello\r\n\r\nHi Alice,\r\nsee you.\r\n");
        assertThat(out.replace("\r\n", "")).doesNotContain("\n");
    }

    @Test
    void eightBitTextIsDeclared8bit() throws Exception {
        String out = compose("Subject: café\r\n\r\nDéjà vu\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(out).contains("Content-Type: message/rfc822").contains("Content-Transfer-Encoding: 8bit").contains("Déjà vu");
    }

    @Test
    void whatSmtpCannotCarryUnencodedGoesAsAFile() throws Exception {
        for (String bad : List.of("Subject: x\r\n\r\nnul\u0000byte\r\n", "Subject: x\r\n\r\n" + "y".repeat(1000) + "\r\n",
                "Subject: x\r\n\r\nbare\rcr\r\n")) {
            String out = compose(bad.getBytes(StandardCharsets.UTF_8));
            assertThat(out).contains("Content-Type: application/octet-stream").contains("Content-Transfer-Encoding: base64")
                    .doesNotContain("message/rfc822");
        }
    }
}
