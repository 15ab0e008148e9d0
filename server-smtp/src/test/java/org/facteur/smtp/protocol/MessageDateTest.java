package org.facteur.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class MessageDateTest {

    @Test
    void isNowInTheRfc5322FormAndFollowsTheClock() throws Exception {
        String first = MessageDate.now();
        Instant parsed = ZonedDateTime.parse(first, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(Duration.between(parsed, Instant.now()).abs()).isLessThan(Duration.ofSeconds(2));
        assertThat(first).matches("[A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} ([+-]\\d{4}|GMT)");
        Thread.sleep(1100); // the text is shared within one second, never beyond it
        assertThat(MessageDate.now()).isNotEqualTo(first);
    }
}
