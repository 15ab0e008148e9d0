package org.facteur.imap.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.facteur.imap.protocol.ArgumentReader;
import org.facteur.imap.protocol.ResponseWriter;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.MessageStructure.Address;
import org.facteur.storage.MessageStructure.Envelope;
import org.facteur.storage.MessageStructure.Part;
import org.junit.jupiter.api.Test;

class StructureWriterTest {

    static final Envelope ENVELOPE = new Envelope("Mon, 7 Feb 1994 21:52:25 -0800 (PST)", "Re: \"quoted\"",
            List.of(new Address("Fred Foobar", null, "foobar", "Blurdybloop.example")), null, null,
            List.of(new Address(null, null, "mooch", "owatagu.siam.edu.example")), null, null, null,
            "<B27397-0100000@Blurdybloop.example>");

    static Part text(long headerOffset, long bodyOffset, long size, long lines) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("charset", "US-ASCII");
        return new Part("TEXT", "PLAIN", params, null, null, "7BIT", null, null, Map.of(), List.of(), null,
                headerOffset, bodyOffset, size, lines, List.of(), null);
    }

    private static String write(java.util.function.Consumer<ResponseWriter> what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResponseWriter w = new ResponseWriter(out);
        what.accept(w);
        try {
            w.end();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    @Test
    void envelopeFollowsRfc9051AndDefaultsSenderAndReplyToFromFrom() {
        String s = write(w -> StructureWriter.envelope(w, ENVELOPE));
        assertThat(s).isEqualTo("(\"Mon, 7 Feb 1994 21:52:25 -0800 (PST)\" \"Re: \\\"quoted\\\"\" "
                + "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
                + "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
                + "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
                + "((NIL NIL \"mooch\" \"owatagu.siam.edu.example\")) NIL NIL NIL \"<B27397-0100000@Blurdybloop.example>\")");
    }

    @Test
    void singlePartBodyAndBodyStructure() {
        Part part = text(0, 100, 3028, 92);
        assertThat(write(w -> StructureWriter.body(w, part, false)))
                .isEqualTo("(\"text\" \"plain\" (\"charset\" \"US-ASCII\") NIL NIL \"7bit\" 3028 92)");
        assertThat(write(w -> StructureWriter.body(w, part, true)))
                .isEqualTo("(\"text\" \"plain\" (\"charset\" \"US-ASCII\") NIL NIL \"7bit\" 3028 92 NIL NIL NIL NIL)");
    }

    @Test
    void multipartWithAttachmentAndEmbeddedMessage() {
        Part attachment = new Part("application", "pdf", Map.of("name", "a.pdf"), null, null, "base64", null,
                "attachment", Map.of("filename", "a.pdf"), List.of("en"), null, 300, 350, 1000, 13, List.of(), null);
        MessageStructure inner = new MessageStructure(ENVELOPE, text(1400, 1450, 10, 1));
        Part rfc822 = new Part("message", "rfc822", Map.of(), null, null, "7bit", null, null, Map.of(), List.of(), null,
                1350, 1400, 60, 3, List.of(), inner);
        Part mixed = new Part("multipart", "mixed", Map.of("boundary", "b"), null, null, null, null, null, Map.of(),
                List.of(), null, 0, 50, 1500, 40, List.of(text(60, 100, 20, 1), attachment, rfc822), null);
        String s = write(w -> StructureWriter.body(w, mixed, true));
        assertThat(s).startsWith("((\"text\" \"plain\"")
                .contains("(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 1000 NIL (\"attachment\" (\"filename\" \"a.pdf\")) \"en\" NIL)")
                .contains("(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 60 (\"Mon, 7 Feb")
                .endsWith(" \"mixed\" (\"boundary\" \"b\") NIL NIL NIL)");
        // Parentheses balance: a client's parser would get through it.
        assertThat(s.chars().filter(c -> c == '(').count()).isEqualTo(s.chars().filter(c -> c == ')').count());
        assertThat(write(w -> StructureWriter.body(w, mixed, false))).endsWith(" \"mixed\")");
    }

    @Test
    void sectionsAddressPartsByTheirOffsets() throws Exception {
        MessageStructure inner = new MessageStructure(ENVELOPE, text(1400, 1450, 10, 1));
        Part rfc822 = new Part("message", "rfc822", Map.of(), null, null, "7bit", null, null, Map.of(), List.of(), null,
                1350, 1400, 60, 3, List.of(), inner);
        Part mixed = new Part("multipart", "mixed", Map.of("boundary", "b"), null, null, null, null, null, Map.of(),
                List.of(), null, 0, 50, 1500, 40, List.of(text(60, 100, 20, 1), rfc822), null);
        MessageStructure m = new MessageStructure(ENVELOPE, mixed);
        assertThat(locate(m, "[]")).isEqualTo(new SectionLocator.Range(0, 1550));
        assertThat(locate(m, "[HEADER]")).isEqualTo(new SectionLocator.Range(0, 50));
        assertThat(locate(m, "[1]")).isEqualTo(new SectionLocator.Range(100, 20));
        assertThat(locate(m, "[1.MIME]")).isEqualTo(new SectionLocator.Range(60, 40));
        assertThat(locate(m, "[2.HEADER]")).isEqualTo(new SectionLocator.Range(1400, 50));
        assertThat(locate(m, "[2.1]")).isEqualTo(new SectionLocator.Range(1450, 10));
        assertThat(locate(m, "[2.TEXT]")).isEqualTo(new SectionLocator.Range(1450, 10));
        assertThat(locate(m, "[3]").length()).isZero();
        assertThat(locate(new MessageStructure(ENVELOPE, text(0, 30, 10, 1)), "[1]"))
                .isEqualTo(new SectionLocator.Range(30, 10));
    }

    private static SectionLocator.Range locate(MessageStructure m, String spec) throws Exception {
        Section section = Section.read(ArgumentReader.of(spec, 8), false);
        return SectionLocator.locate(m, section, 1550);
    }

    @Test
    void headerFieldsKeepsFoldedLinesAndEndsWithABlankLine() throws Exception {
        byte[] header = "From: a@b\r\nSubject: one\r\n two\r\nTo: c@d\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        Section s = Section.read(ArgumentReader.of("[HEADER.FIELDS (subject To)]", 8), false);
        assertThat(s.label()).isEqualTo("HEADER.FIELDS (SUBJECT TO)");
        assertThat(new String(SectionLocator.filterHeader(header, s.fields(), false), StandardCharsets.US_ASCII))
                .isEqualTo("Subject: one\r\n two\r\nTo: c@d\r\n\r\n");
        assertThat(new String(SectionLocator.filterHeader(header, s.fields(), true), StandardCharsets.US_ASCII))
                .isEqualTo("From: a@b\r\n\r\n");
    }
}
