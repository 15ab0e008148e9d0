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

    @Test
    void theSortKeyIsTheFirstAddressMailboxAGroupNameIncluded() {
        // RFC 5256 §3 (imaptest sort-addresses: "user2: blah@domain1.org;" ties with user2@domain2.org)
        assertThat(IndexFields.mailboxOf(StructureParser.addresses("User2: blah@domain1.org;"))).isEqualTo("USER2");
        assertThat(IndexFields.mailboxOf(StructureParser.addresses("Foo <User1@d.org>, a@b.org"))).isEqualTo("USER1");
        assertThat(IndexFields.mailboxOf(null)).isEmpty();
    }

    @Test
    void baseSubjectsCompareUpperCased() {
        // RFC 5256 §2.1 and i;ascii-casemap: "[xyz]" and "_" sort after "c" (imaptest sort-subject)
        assertThat(IndexFields.baseSubject("Re: [FWD: c]")).isEqualTo("C");
        assertThat(IndexFields.baseSubject("[xyz]")).isEqualTo("[XYZ]");
        assertThat(IndexFields.baseSubject("[xyz]").compareTo(IndexFields.baseSubject("c"))).isPositive();
    }
}
