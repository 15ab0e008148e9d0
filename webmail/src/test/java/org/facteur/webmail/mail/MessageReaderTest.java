package org.facteur.webmail.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageReaderTest {

    static ReadMessage read(String message) throws IOException {
        return MessageReader.read(new ByteArrayInputStream(message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
    }

    static final String MIXED = """
            From: =?UTF-8?Q?Ren=C3=A9?= <rene@example.org>
            Reply-To: list@example.org
            To: alice@example.test, Bob <bob@example.test>
            Cc: carol@example.test
            Subject: =?UTF-8?B?UmFwcG9ydCDDqXTDqQ==?=
            Date: Mon, 2 Mar 2026 10:00:00 +0100
            Message-ID: <m1@example.org>
            References: <m0@example.org>
            X-Spam-Status: No, score=0.1
            Authentication-Results: mx.example.test; spf=pass smtp.mailfrom=example.org
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain; charset=utf-8

            Plain version
            --inner
            Content-Type: text/html; charset=utf-8

            <p>HTML version</p>
            --inner--
            --outer
            Content-Type: application/pdf; name="r\u00e9sum\u00e9.pdf"
            Content-Disposition: attachment; filename="=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?="
            Content-Transfer-Encoding: base64

            JVBERi0xLjQK
            --outer
            Content-Type: image/png
            Content-ID: <logo@example.org>
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --outer--
            """;

    @Test
    void readsHeadersBodiesAttachmentsAndVerdict() throws IOException {
        ReadMessage m = read(MIXED);
        assertThat(m.subject()).isEqualTo("Rapport été");
        assertThat(m.from()).contains("René").contains("rene@example.org");
        assertThat(m.replyAddresses()).containsExactly("list@example.org");
        assertThat(m.toAddresses()).containsExactly("alice@example.test", "bob@example.test");
        assertThat(m.ccAddresses()).containsExactly("carol@example.test");
        assertThat(m.text()).contains("Plain version");
        assertThat(m.html()).contains("<p>HTML version</p>");
        assertThat(m.attachments()).extracting(ReadMessage.Attachment::part).containsExactly("2", "3");
        assertThat(m.attachments().get(0).filename()).isEqualTo("résumé.pdf");
        assertThat(m.attachments().get(0).mimeType()).isEqualTo("application/pdf");
        assertThat(m.attachments().get(0).size()).isEqualTo(9);
        assertThat(m.attachments().get(1).contentId()).isEqualTo("logo@example.org");
        assertThat(m.verdict()).extracting(ReadMessage.HeaderLine::name)
                .containsExactly("X-Spam-Status", "Authentication-Results");
        assertThat(MessageComposer.references(m)).isEqualTo("<m0@example.org> <m1@example.org>");
    }

    @Test
    void findsPartsByNumberAndContentId() throws IOException {
        byte[] bytes = MIXED.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        var pdf = MessageReader.part(new ByteArrayInputStream(bytes), "2").orElseThrow();
        assertThat(new String(pdf.data(), StandardCharsets.US_ASCII)).startsWith("%PDF-1.4");
        assertThat(MessageReader.part(new ByteArrayInputStream(bytes), "1.2").orElseThrow().mimeType()).isEqualTo("text/html");
        assertThat(MessageReader.part(new ByteArrayInputStream(bytes), "9")).isEmpty();
        assertThat(MessageReader.part(new ByteArrayInputStream(bytes), "2.1")).isEmpty();
        assertThat(MessageReader.part(new ByteArrayInputStream(bytes), "x")).isEmpty();
        assertThat(MessageReader.byContentId(new ByteArrayInputStream(bytes), "logo@example.org").orElseThrow().mimeType())
                .isEqualTo("image/png");
    }

    @Test
    void malformedAndTruncatedMessagesStillRead() throws IOException {
        assertThat(read("").text()).isEmpty();
        assertThat(read("no header at all, just text").subject()).isEmpty();
        ReadMessage truncated = read(MIXED.substring(0, MIXED.indexOf("HTML version")));
        assertThat(truncated.text()).contains("Plain version");
        ReadMessage badAddresses = read("From: <<<@@@>>>\nTo: ,,,\nSubject: x\n\nbody\n");
        assertThat(badAddresses.subject()).isEqualTo("x");
        assertThat(badAddresses.text()).contains("body");
        ReadMessage badCharset = read("Content-Type: text/plain; charset=no-such-charset\n\nbody\n");
        assertThat(badCharset.text()).isNotNull();
        ReadMessage badBase64 = read("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!not base64***\n");
        assertThat(badBase64.text()).isNotNull();
        ReadMessage longHeader = read("Subject: " + "a".repeat(200_000) + "\n\nbody\n");
        assertThat(longHeader.subject()).hasSize(200_000);
    }

    @Test
    void composesAMessageThatReadsBackWithoutBccInTheHeader() throws IOException {
        Draft draft = new Draft("alice@example.test", "Alice", List.of("Bob <bob@example.test>"), List.of("carol@example.test"),
                List.of("dave@example.test"), "Été", "Line one\nLine two — ünïcode", "<m1@x>", "<m0@x> <m1@x>",
                List.of(new Draft.Upload("a.txt", "text/plain", "attached".getBytes(StandardCharsets.UTF_8))));
        MessageComposer.Composed composed = MessageComposer.compose(draft, "mail.example.test");
        String raw = new String(composed.message(), StandardCharsets.UTF_8);
        assertThat(raw).doesNotContain("dave@").contains("\r\n").doesNotContain("\r\r").contains("In-Reply-To: <m1@x>");
        assertThat(composed.recipients()).containsExactly("bob@example.test", "carol@example.test", "dave@example.test");
        ReadMessage back = MessageReader.read(new ByteArrayInputStream(composed.message()));
        assertThat(back.subject()).isEqualTo("Été");
        assertThat(back.text()).contains("Line two — ünïcode");
        assertThat(back.attachments()).extracting(ReadMessage.Attachment::filename).containsExactly("a.txt");
    }

    @Test
    void refusesAddressesThatAreNotAddresses() {
        Draft draft = new Draft("alice@example.test", null, List.of("not an address"), List.of(), List.of(), "s", "b",
                null, null, List.of());
        assertThatThrownBy(() -> MessageComposer.compose(draft, "h")).isInstanceOf(IOException.class)
                .hasMessageContaining("not an address");
    }

    @Test
    void replyHelpers() throws IOException {
        assertThat(MessageComposer.replySubject("Re: hello")).isEqualTo("Re: hello");
        assertThat(MessageComposer.replySubject("hello")).isEqualTo("Re: hello");
        assertThat(MessageComposer.forwardSubject("hello")).isEqualTo("Fwd: hello");
        assertThat(MessageComposer.quote(read("From: a@b.c\nSubject: s\n\nfirst\n> old\n"))).contains("> first\n>> old");
        assertThat(MessageComposer.split("a@b.c; d@e.f, ,g@h.i")).containsExactly("a@b.c", "d@e.f", "g@h.i");
        assertThat(MessageComposer.split("\"Dupont, Jean\" <j@x.example>, Bob <b@y.example>"))
                .containsExactly("\"Dupont, Jean\" <j@x.example>", "Bob <b@y.example>");
    }
}
