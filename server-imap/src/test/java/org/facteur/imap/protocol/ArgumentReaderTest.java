package org.facteur.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentReaderTest {

    private static ArgumentReader args(String text) {
        return ArgumentReader.of(text, 8);
    }

    @Test
    void readsAtomsQuotedStringsAndNil() throws Exception {
        ArgumentReader in = args("INBOX \"a \\\"q\\\" \\\\ b\" NIL \"\"");
        assertThat(in.astring()).isEqualTo("INBOX");
        in.sp();
        assertThat(in.astring()).isEqualTo("a \"q\" \\ b");
        in.sp();
        assertThat(in.nstring()).isNull();
        in.sp();
        assertThat(in.string()).isEmpty();
        in.end();
    }

    @Test
    void readsLiteralsTheReaderSplicedIn() throws Exception {
        byte[] bytes = "x {5}\r\nhello rest".getBytes(StandardCharsets.US_ASCII);
        // the reader keeps no CRLF after the marker: literal data follows "}" directly
        byte[] spliced = "x {5}hello rest".getBytes(StandardCharsets.US_ASCII);
        ArgumentReader in = new RawCommand("a", "X", spliced, 0, Map.of(5, 5)).arguments(8);
        assertThat(in.atom()).isEqualTo("x");
        in.sp();
        assertThat(in.astring()).isEqualTo("hello");
        in.sp();
        assertThat(in.atom()).isEqualTo("rest");
        assertThat(bytes).isNotEmpty();
    }

    @Test
    void aBraceThatIsNotALiteralIsRefused() {
        assertThatThrownBy(() -> args("{5}hello").astring()).isInstanceOf(ImapException.class);
    }

    @Test
    void unterminatedQuotedAndBadEscapesAreSyntaxErrors() {
        assertThatThrownBy(() -> args("\"abc").string()).hasMessageContaining("Unterminated");
        assertThatThrownBy(() -> args("\"a\\bc\"").string()).hasMessageContaining("escape");
    }

    @Test
    void eightBitInAnAtomIsRefusedWithAClearMessage() {
        ArgumentReader in = ArgumentReader.of("\u00e9t\u00e9", 8);
        assertThatThrownBy(in::atom).hasMessageContaining("8-bit");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() throws Exception {
        ArgumentReader in = args("((((((((((x))))))))))");
        assertThatThrownBy(() -> {
            while (true) {
                in.open();
            }
        }).isInstanceOf(ImapException.class).extracting(e -> ((ImapException) e).code()).isEqualTo("LIMIT");
    }

    @Test
    void unbalancedParenthesesAreSyntaxErrors() throws Exception {
        ArgumentReader in = args("(a b");
        in.open();
        in.atom();
        in.sp();
        in.atom();
        assertThatThrownBy(in::close).isInstanceOf(ImapException.class);
    }

    @Test
    void numbersAreBounded() throws Exception {
        assertThat(args("4294967295").number32()).isEqualTo(4294967295L);
        assertThatThrownBy(() -> args("4294967296").number32()).hasMessageContaining("too large");
        assertThatThrownBy(() -> args("99999999999999999999999").number()).hasMessageContaining("too large");
        assertThatThrownBy(() -> args("0").nzNumber()).isInstanceOf(ImapException.class);
    }

    @Test
    void flagsIncludingSystemFlags() throws Exception {
        ArgumentReader in = args("\\Seen $Junk \\*");
        assertThat(in.flag()).isEqualTo("\\Seen");
        in.sp();
        assertThat(in.flag()).isEqualTo("$Junk");
        in.sp();
        assertThat(in.flag()).isEqualTo("\\*");
    }

    @Test
    void extraArgumentsAreRefused() throws Exception {
        ArgumentReader in = args("a b");
        in.atom();
        assertThatThrownBy(in::end).hasMessageContaining("Unexpected");
    }
}
