package org.facteur.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModifiedUtf7Test {

    @Test
    void roundTripsTheRfcExamples() throws Exception {
        // RFC 3501 §5.1.3 example
        assertThat(ModifiedUtf7.encode("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e")).isEqualTo("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assertThat(ModifiedUtf7.decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-")).isEqualTo("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e");
        assertThat(ModifiedUtf7.encode("A&B")).isEqualTo("A&-B");
        assertThat(ModifiedUtf7.decode("A&-B")).isEqualTo("A&B");
        assertThat(ModifiedUtf7.decode(ModifiedUtf7.encode("Entw\u00fcrfe"))).isEqualTo("Entw\u00fcrfe");
    }

    @Test
    void malformedShiftsAreErrorsFromClientsButKeptFromDisk() {
        // From a client: a syntax error (IMAP answers NO [CANNOT]).
        assertThatThrownBy(() -> ModifiedUtf7.decodeStrict("&AGE")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModifiedUtf7.decodeStrict("&A-")).isInstanceOf(IllegalArgumentException.class);
        // From another tool's folder on disk: kept as written, so the folder can still be listed.
        assertThat(ModifiedUtf7.decode("&AGE")).isEqualTo("&AGE");
        assertThat(ModifiedUtf7.decode("&A-")).isEqualTo("&A-");
    }
}
