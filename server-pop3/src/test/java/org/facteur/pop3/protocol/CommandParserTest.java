package org.facteur.pop3.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

    private static Command parse(String line) throws CommandSyntaxException {
        return CommandParser.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keywordIsCaseInsensitive() throws Exception {
        assertThat(parse("stat").keyword()).isEqualTo("STAT");
        assertThat(parse("Retr 1").keyword()).isEqualTo("RETR");
        assertThat(parse("utf8").keyword()).isEqualTo("UTF8");
    }

    @Test
    void splitsArgumentsAtSingleSpaces() throws Exception {
        Command top = parse("TOP 3 10");
        assertThat(top.arguments()).containsExactly("3", "10");
        assertThat(top.regularSpacing()).isTrue();
        assertThat(parse("NOOP").arguments()).isEmpty();
    }

    @Test
    void passKeepsSpacesInThePassword() throws Exception {
        Command pass = parse("PASS  my secret  ");
        assertThat(pass.argumentText()).isEqualTo(" my secret  ");
        assertThat(pass.regularSpacing()).isFalse();
    }

    @Test
    void trailingSpaceIsTolerated() throws Exception {
        Command stat = parse("STAT ");
        assertThat(stat.arguments()).isEmpty();
        assertThat(stat.regularSpacing()).isTrue();
    }

    @Test
    void doubleSpacesAreReported() throws Exception {
        assertThat(parse("LIST  1").regularSpacing()).isFalse();
        assertThat(parse("LIST  1").arguments()).containsExactly("1");
    }

    @Test
    void utf8ArgumentsAreAccepted() throws Exception {
        assertThat(parse("USER jürgen@exämple.test").argument(0)).isEqualTo("jürgen@exämple.test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " STAT", "ST", "STATS", "RE-T 1", "ST\u00c4T", "12"})
    void refusesWhatIsNoKeyword(String line) {
        assertThatThrownBy(() -> parse(line)).isInstanceOf(CommandSyntaxException.class);
    }

    @Test
    void refusesControlCharacters() {
        for (byte control : new byte[] {0, 1, '\t', '\r', 0x1b, 0x7f}) {
            byte[] line = {'U', 'S', 'E', 'R', ' ', 'a', control, 'b'};
            assertThatThrownBy(() -> CommandParser.parse(line)).isInstanceOf(CommandSyntaxException.class)
                    .hasMessageContaining("Control");
        }
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] line = {'U', 'S', 'E', 'R', ' ', (byte) 0xc3, (byte) 0x28};
        assertThatThrownBy(() -> CommandParser.parse(line)).hasMessageContaining("UTF-8");
        byte[] truncated = {'U', 'S', 'E', 'R', ' ', (byte) 0xe2, (byte) 0x82};
        assertThatThrownBy(() -> CommandParser.parse(truncated)).hasMessageContaining("UTF-8");
        byte[] overlong = {'U', 'S', 'E', 'R', ' ', (byte) 0xc0, (byte) 0xae};
        assertThatThrownBy(() -> CommandParser.parse(overlong)).hasMessageContaining("UTF-8");
    }

    @Test
    void binaryGarbageNeverThrowsAnythingElse() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] line = new byte[random.nextInt(40)];
            random.nextBytes(line);
            try {
                Command c = CommandParser.parse(line);
                assertThat(c.keyword()).hasSizeBetween(3, 4);
            } catch (CommandSyntaxException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }
}
