package org.facteur.webmail.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class VCardTest {

    static final VCard.Limits LIMITS = new VCard.Limits(64 * 1024, 20, 4096);

    static List<Contact> parse(String text) throws VCardException {
        return VCard.parse(text.getBytes(StandardCharsets.UTF_8), LIMITS);
    }

    @Test
    void readsVersion4WithFoldedLinesEscapesAndSeveralEmails() throws Exception {
        List<Contact> cards = parse("""
                BEGIN:VCARD\r
                VERSION:4.0\r
                FN:Dupont\\, Jean\\; fils\r
                N:Dupont;Jean;;;\r
                EMAIL;TYPE=work:jean@work.example\r
                EMAIL;PREF=1:jean@home.ex\r
                 ample\r
                TEL;VALUE=uri;TYPE=cell:tel:+33-6-12-34-56-78\r
                NOTE:first line\\nsecond line with a very long text that was folded by the writer at \r
                 seventy-five octets\r
                END:VCARD\r
                """);
        assertThat(cards).hasSize(1);
        Contact c = cards.getFirst();
        assertThat(c.name()).isEqualTo("Dupont, Jean; fils");
        assertThat(c.emails()).containsExactly("jean@home.example", "jean@work.example");
        assertThat(c.phone()).isEqualTo("+33-6-12-34-56-78");
        assertThat(c.note()).isEqualTo("first line\nsecond line with a very long text that was folded by the writer at "
                + "seventy-five octets");
    }

    @Test
    void readsVersion3WithLfLineEndsGroupsAndNOnly() throws Exception {
        List<Contact> cards = parse("""
                BEGIN:VCARD
                VERSION:3.0
                N:Martin;Claire;Anne;Dr.;
                item1.EMAIL;TYPE=INTERNET,HOME:claire@example.org
                EMAIL;TYPE=INTERNET,PREF:claire@pref.example
                TEL;TYPE=HOME,VOICE:01 23 45 67 89
                END:VCARD
                BEGIN:VCARD
                VERSION:3.0
                FN:Paul
                END:VCARD
                """);
        assertThat(cards).extracting(Contact::name).containsExactly("Dr. Claire Anne Martin", "Paul");
        assertThat(cards.getFirst().emails()).containsExactly("claire@pref.example", "claire@example.org");
        assertThat(cards.getFirst().phone()).isEqualTo("01 23 45 67 89");
    }

    @Test
    void whatItWritesReadsBackTheSame() throws Exception {
        List<Contact> contacts = List.of(
                new Contact(0, "Zoë Ångström, née Åkesson; ☃ " + "x".repeat(100), List.of("z@example.test", "zoe@b.example"),
                        "+46 8 123", "line one\nline, two; \\ three"),
                new Contact(0, "", List.of("only@address.example"), "", ""));
        String text = VCard.write(contacts);
        for (String line : text.split("\r\n")) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line).isLessThanOrEqualTo(VCard.FOLD_AT);
        }
        assertThat(text).startsWith("BEGIN:VCARD\r\nVERSION:4.0\r\n").endsWith("END:VCARD\r\n");
        List<Contact> back = parse(text);
        assertThat(back.get(0)).isEqualTo(contacts.get(0));
        assertThat(back.get(1).emails()).containsExactly("only@address.example");
        assertThat(back.get(1).name()).isEqualTo("only@address.example");
    }

    /** Malformed, truncated and oversized input: a clear message with the line, never another exception. */
    static Stream<Arguments> malformed() {
        String ok = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\n";
        return Stream.of(
                Arguments.of("empty file", "", "no BEGIN:VCARD"),
                Arguments.of("not a vCard", "hello world\r\n", "line 1: not a property line"),
                Arguments.of("truncated", ok, "line 1: the card has no END:VCARD"),
                Arguments.of("truncated in a fold", ok + "NOTE:abc\r\n de", "no END:VCARD"),
                Arguments.of("end without begin", "END:VCARD\r\n", "line 1: END:VCARD without BEGIN"),
                Arguments.of("nested begin", ok + ok, "line 4: BEGIN:VCARD inside a card"),
                Arguments.of("property outside", "FN:A\r\n" + ok + "END:VCARD\r\n", "line 1: FN outside"),
                Arguments.of("no version", "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n", "line 1: the card has no VERSION"),
                Arguments.of("version 2.1", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A\r\nEND:VCARD\r\n", "line 2: vCard version 2.1"),
                Arguments.of("no name or email", "BEGIN:VCARD\r\nVERSION:4.0\r\nTEL:1\r\nEND:VCARD\r\n", "neither FN nor EMAIL"),
                Arguments.of("bad email", ok + "EMAIL:not-an-address\r\nEND:VCARD\r\n", "line 4: EMAIL \"not-an-address\""),
                Arguments.of("email with comma", ok + "EMAIL:a@b.example\\,c@d.example\r\nEND:VCARD\r\n", "line 4: EMAIL"),
                Arguments.of("no colon", ok + "NOTE just text\r\nEND:VCARD\r\n", "line 4: not a property line"),
                Arguments.of("bad name", ok + "NO TE:x\r\nEND:VCARD\r\n", "line 4: \"NO TE\" is not a property name"),
                Arguments.of("begin something else", "BEGIN:VCALENDAR\r\n", "is not BEGIN:VCARD"),
                Arguments.of("colon only in quotes", ok + "X-A;P=\"a:b\"\r\nEND:VCARD\r\n", "line 4: not a property line"),
                Arguments.of("too many cards", (ok + "END:VCARD\r\n").repeat(LIMITS.maxCards() + 1), "more than 20 cards"),
                Arguments.of("line too long", ok + "NOTE:" + "x".repeat(5000) + "\r\nEND:VCARD\r\n", "line 4: a line longer than 4096"),
                Arguments.of("folded line too long", ok + "NOTE:x\r\n" + " yyyyyyyyyy\r\n".repeat(500) + "END:VCARD\r\n", "line 4: a line longer"),
                Arguments.of("file too big", ok + ("NOTE:" + "z".repeat(1000) + "\r\n").repeat(70) + "END:VCARD\r\n", "more than the 65536 allowed"),
                Arguments.of("binary", "\u0000\u0001\u0002BEGIN", "line 1: not a property line"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputGetsAClearError(String name, String input, String message) {
        assertThatThrownBy(() -> parse(input)).isInstanceOf(VCardException.class).hasMessageContaining(message);
    }

    @Test
    void unknownPropertiesAndEscapesAreTolerated() throws Exception {
        Contact c = parse("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\\xB\r\nORG:Acme;Sales\r\nPHOTO;MEDIATYPE=image/png:data:x\r\n"
                + "X-CUSTOM;P=\"a:b;c\":value\r\nEND:VCARD\r\n").getFirst();
        assertThat(c.name()).isEqualTo("AxB");
    }
}
