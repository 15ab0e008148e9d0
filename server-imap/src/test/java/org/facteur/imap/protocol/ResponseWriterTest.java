package org.facteur.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 9051 §4.3: a string goes quoted, with '"' and '\' escaped, unless only a literal can carry it. */
class ResponseWriterTest {

    private static String written(String value) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        new ResponseWriter(sink).string(value).end();
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aStringIsQuotedWithItsQuotesAndBackslashesEscaped() throws Exception {
        assertThat(written("plain text")).isEqualTo("\"plain text\"\r\n");
        assertThat(written("")).isEqualTo("\"\"\r\n");
        assertThat(written("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"\r\n");
        assertThat(written("\"")).isEqualTo("\"\\\"\"\r\n");
        assertThat(written("\\\\")).isEqualTo("\"\\\\\\\\\"\r\n");
        assertThat(written("ends with \"")).isEqualTo("\"ends with \\\"\"\r\n");
    }

    @Test
    void aStringThatCannotBeQuotedGoesAsALiteral() throws Exception {
        assertThat(written("two\r\nlines")).isEqualTo("{10}\r\ntwo\r\nlines\r\n");
        assertThat(written("caf\u00e9")).isEqualTo("{5}\r\ncaf\u00e9\r\n"); // 8-bit before UTF-8 is enabled
    }
}
