package org.facteur.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceSetTest {

    @Test
    void parsesNumbersRangesAndStar() throws Exception {
        SequenceSet set = SequenceSet.parse("1:3,7,9:*,*:5", 100);
        assertThat(set.resolve(12)).containsExactly(new long[] {1, 3}, new long[] {7, 7}, new long[] {9, 12}, new long[] {5, 12});
        assertThat(set.contains(4, 12)).isFalse();
        assertThat(set.contains(10, 12)).isTrue();
        assertThat(set.largestExplicit()).isEqualTo(9);
    }

    @Test
    void dollarIsTheSavedResult() throws Exception {
        assertThat(SequenceSet.parse("$", 10).isSavedResult()).isTrue();
    }

    @Test
    void refusesMalformedSets() {
        for (String bad : List.of("", "0", "1:", ":3", "1,,2", "1:2:3", "a", "4294967296", "1,", "$,1")) {
            assertThatThrownBy(() -> SequenceSet.parse(bad, 100)).as(bad).isInstanceOf(ImapException.class);
        }
    }

    @Test
    void aHundredThousandElementsHitTheLimit() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 100_000; i++) {
            sb.append(i * 2).append(',');
        }
        sb.setLength(sb.length() - 1);
        assertThatThrownBy(() -> SequenceSet.parse(sb.toString(), 20_000))
                .isInstanceOf(ImapException.class)
                .extracting(e -> ((ImapException) e).code()).isEqualTo("LIMIT");
    }

    @Test
    void formatsRuns() {
        assertThat(SequenceSet.format(List.of(1L, 2L, 3L, 7L, 9L, 10L))).isEqualTo("1:3,7,9:10");
        assertThat(SequenceSet.format(List.of(5L))).isEqualTo("5");
        assertThat(SequenceSet.format(List.of())).isEmpty();
    }
}
