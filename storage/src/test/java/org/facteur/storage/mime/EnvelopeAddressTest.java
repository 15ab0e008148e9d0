package org.facteur.storage.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.facteur.storage.MessageStructure;
import org.junit.jupiter.api.Test;

/** ENVELOPE address lists built from header values (RFC 3501 §7.4.2). */
class EnvelopeAddressTest {

    @Test
    void aCommentAfterABareAddrSpecIsTheName() {
        List<MessageStructure.Address> list = StructureParser.addresses("user@domain (Real Name)");
        assertThat(list).containsExactly(new MessageStructure.Address("Real Name", null, "user", "domain"));
    }

    @Test
    void aPhraseWinsAndOtherAddressesKeepNoName() {
        List<MessageStructure.Address> list =
                StructureParser.addresses("Phrase <a@x.org> (ignored), b@y.org, c@z.org ((nested) \\) c)");
        assertThat(list).containsExactly(new MessageStructure.Address("Phrase", null, "a", "x.org"),
                new MessageStructure.Address(null, null, "b", "y.org"),
                new MessageStructure.Address("(nested) ) c", null, "c", "z.org"));
    }

    @Test
    void anUnbalancedCommentGivesNoName() {
        assertThat(StructureParser.addresses("user@domain (Real"))
                .containsExactly(new MessageStructure.Address(null, null, "user", "domain"));
    }
}
