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

    @Test
    void theShortCutsAgreeWithTheRegularExpressionsTheyStandIn() {
        // baseSubject returns early when there is no leader or trailer to strip (against running the steps
        // anyway), firstId scans by hand (against the regular expression it replaced), on generated values
        java.util.regex.Pattern msgId = java.util.regex.Pattern.compile("<[^<>\\s]+>");
        String[] pieces = {"Re:", "re :", "RE[x]:", "Fwd:", "fw:", "[list]", "[fwd: ", "]", "(fwd)", "(FWD)", " ",
                "\t", "\r\n ", "budget", "r", "f", "[", ")", "(", "é", "_", "<a@b>", "<", ">", "<x y>", "<>", "\u000B"};
        java.util.Random r = new java.util.Random(5256);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder v = new StringBuilder();
            for (int k = r.nextInt(6); k >= 0; k--) {
                v.append(pieces[r.nextInt(pieces.length)]);
            }
            String value = v.toString();
            String spaced = value.replaceAll("[\\t\\r\\n ]+", " ").trim();
            assertThat(IndexFields.baseSubject(value)).as(value)
                    .isEqualTo(IndexFields.stripLeadersAndTrailers(spaced));
            java.util.regex.Matcher m = msgId.matcher(value);
            assertThat(IndexFields.firstId(value)).as(value).isEqualTo(m.find() ? m.group() : null);
        }
    }
}
