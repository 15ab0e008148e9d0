package org.facteur.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.facteur.auth.Recipient;
import org.facteur.filters.Cidr;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterChain;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.RelayFilter;
import org.facteur.filters.Verdict;
import org.facteur.smtp.testing.SmtpFixture;
import org.facteur.smtp.testing.SmtpWire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session obeys the chain's verdict at every stage (a real chain with a small policy of the test's own). */
class FilterVerdictTest {

    @TempDir
    Path dir;
    SmtpFixture smtp;

    /** Decides by keywords in the envelope and subject, as a content policy would. */
    static final class KeywordPolicy implements Filter {
        @Override
        public String name() {
            return "keywords";
        }

        @Override
        public Verdict helo(FilterContext context, String name) {
            return name.startsWith("blocked") ? Verdict.reject(550, "5.7.1", "Go away") : Verdict.CONTINUE;
        }

        @Override
        public Verdict mailFrom(FilterContext context, String reversePath) {
            return reversePath.startsWith("greylist") ? Verdict.tempfail(450, "4.7.1", "Greylisted, try later") : Verdict.CONTINUE;
        }

        @Override
        public Verdict rcptTo(FilterContext context, String recipient, Recipient resolution) {
            return recipient.startsWith("bob+closed") ? Verdict.reject(550, "5.7.1", "Closed") : Verdict.CONTINUE;
        }

        @Override
        public Verdict data(FilterContext context, MessageData message) throws Exception {
            String text = java.nio.file.Files.readString(message.file());
            context.addHeader("X-Policy", "checked");
            if (text.contains("Subject: spam")) {
                return Verdict.of(Verdict.Action.JUNK);
            }
            if (text.contains("Subject: virus")) {
                return Verdict.reject(554, "5.7.1", "Infected");
            }
            if (text.contains("Subject: drop")) {
                return Verdict.of(Verdict.Action.DISCARD);
            }
            if (text.contains("Subject: boom")) {
                throw new IllegalStateException("filter bug");
            }
            return Verdict.CONTINUE;
        }
    }

    @BeforeEach
    void start() throws Exception {
        FilterChain chain = new FilterChain(List.of(new RelayFilter(() -> List.<Cidr>of()), new KeywordPolicy()));
        smtp = new SmtpFixture(dir, c -> c, chain, c -> c);
    }

    @AfterEach
    void stop() {
        smtp.closeAll();
    }

    @Test
    void everyStageObeysTheVerdict() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            assertThat(c.cmd("EHLO blocked.remote.test")).startsWith("550 5.7.1 Go away");
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<greylist@remote.test>")).startsWith("450 4.7.1 Greylisted");
            assertThat(c.cmd("MAIL FROM:<x@remote.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<bob+closed@example.test>")).startsWith("550 5.7.1 Closed");
            c.cmd("RSET");
            String msg = "Subject: %s\r\n\r\nbody\r\n";
            assertThat(c.send("x@remote.test", List.of("bob@example.test"), msg.formatted("spam"))).startsWith("250");
            assertThat(c.send("x@remote.test", List.of("bob@example.test"), msg.formatted("virus"))).startsWith("554 5.7.1 Infected");
            assertThat(c.send("x@remote.test", List.of("bob@example.test"), msg.formatted("drop"))).startsWith("250");
            assertThat(c.send("x@remote.test", List.of("bob@example.test"), msg.formatted("boom"))).startsWith("451 4.3.0");
            assertThat(c.send("x@remote.test", List.of("bob@example.test"), msg.formatted("fine"))).startsWith("250");
        }
        assertThat(smtp.messages("bob@example.test", "Junk")).singleElement()
                .satisfies(m -> assertThat(m).startsWith("Return-Path: <x@remote.test>\r\nX-Policy: checked\r\nReceived: "));
        assertThat(smtp.inbox("bob@example.test")).singleElement().satisfies(m -> assertThat(m).contains("Subject: fine"));
    }

    @Test
    void aChainWithoutRelayPolicyIsNoOpenRelay() throws Exception {
        smtp.closeAll();
        smtp = new SmtpFixture(dir.resolve("b"), c -> c, new FilterChain(List.of(new KeywordPolicy())), c -> c);
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            c.cmd("MAIL FROM:<x@remote.test>");
            assertThat(c.cmd("RCPT TO:<victim@elsewhere.test>")).startsWith("554 5.7.1");
        }
    }
}
