package org.facteur.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.auth.testing.TestDirectory.ALICE;
import static org.facteur.auth.testing.TestDirectory.BOB;
import static org.facteur.auth.testing.TestDirectory.BOB_PASSWORD;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.facteur.auth.settings.Vacation;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterChain;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.RelayFilter;
import org.facteur.filters.Verdict;
import org.facteur.net.testing.TestPki;
import org.facteur.smtp.testing.SmtpFixture;
import org.facteur.smtp.testing.SmtpWire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Vacation auto-replies (RFC 3834, RFC 5230 semantics) end to end: real SMTP in, the reply through the real
 * queue into the sender's real mailbox, the reply memory in the real directory database.
 */
class VacationReplyTest {

    @TempDir
    Path dir;
    SmtpFixture smtp;

    /** Marks "SPAM-ME" messages as spam to Junk, and "TAG-ME" messages as spam left in the INBOX (tag). */
    private static final Filter SPAM_MARKER = new Filter() {
        @Override
        public String name() {
            return "test-spam";
        }

        @Override
        public Verdict data(FilterContext context, MessageData message) throws Exception {
            String text = Files.readString(message.file(), StandardCharsets.ISO_8859_1);
            if (text.contains("SPAM-ME")) {
                return Verdict.of(Verdict.Action.JUNK);
            }
            if (text.contains("TAG-ME")) {
                context.addHeader("X-Spam-Status", "Yes, score=9.0 required=5.0 tests=TEST");
            }
            return Verdict.CONTINUE;
        }
    };

    @BeforeEach
    void start() throws Exception {
        smtp = new SmtpFixture(dir, UnaryOperator.identity(),
                new FilterChain(List.of(new RelayFilter(List::of), SPAM_MARKER)), UnaryOperator.identity());
        smtp.server.autoReplies(smtp.auth.directory().settings());
        smtp.auth.directory().settings().saveVacation(ALICE,
                new Vacation(true, "Away until Monday", "I am away.\nBack on Monday.", null, null));
    }

    @AfterEach
    void stop() {
        smtp.closeAll();
    }

    private Session submission() {
        Properties p = new Properties();
        p.put("mail.smtp.host", "localhost");
        p.put("mail.smtp.port", Integer.toString(smtp.server.submissionPort()));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.ssl.socketFactory", TestPki.shared().clientSocketFactory());
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        return Session.getInstance(p);
    }

    private String sendAsBob(Session session, String subject) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(BOB));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(ALICE));
        m.setSubject(subject, "UTF-8");
        m.setText("Are you there?\n", "UTF-8", "plain");
        m.saveChanges();
        try (Transport t = session.getTransport("smtp")) {
            t.connect(BOB, BOB_PASSWORD);
            t.sendMessage(m, m.getAllRecipients());
        }
        return m.getMessageID();
    }

    /** Waits until the queue has delivered everything (replies are queued before the 250 of the original). */
    private void queueDrained() throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!smtp.server.queue().list().isEmpty()) {
            assertThat(System.nanoTime()).as("queue still holds %s", smtp.server.queue().list()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void oneReplyPerSenderThroughTheQueueAndNoReplyToTheReply() throws Exception {
        // Bob is away too: the reply he gets must not make his own auto-reply answer it (RFC 3834 §2).
        smtp.auth.directory().settings().saveVacation(BOB, new Vacation(true, "", "Bob is away.", null, null));
        Session session = submission();
        String messageId = sendAsBob(session, "Lunch on Thursday?");
        queueDrained();
        assertThat(smtp.inbox(ALICE)).hasSize(1);
        List<String> bobs = smtp.inbox(BOB);
        assertThat(bobs).hasSize(1);
        String reply = bobs.get(0);
        assertThat(reply).startsWith("Return-Path: <>\r\n")
                .contains("\r\nFrom: alice@example.test\r\n", "\r\nTo: bob@example.test\r\n",
                        "\r\nSubject: Away until Monday\r\n", "\r\nAuto-Submitted: auto-replied\r\n",
                        "\r\nIn-Reply-To: " + messageId + "\r\n", "\r\nReferences: " + messageId + "\r\n");
        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(reply.getBytes(StandardCharsets.UTF_8)));
        assertThat(((String) parsed.getContent()).replace("\r\n", "\n")).isEqualTo("I am away.\nBack on Monday.\n");
        assertThat(smtp.inbox(ALICE)).noneMatch(m -> m.contains("Bob is away."));

        sendAsBob(session, "Lunch on Friday then?");
        queueDrained();
        assertThat(smtp.inbox(ALICE)).hasSize(2);
        assertThat(smtp.inbox(BOB)).hasSize(1);
        // The memory is in the database, so it outlives this server: a restart does not reply again.
        assertThat(smtp.auth.directory().settings().claimVacationReply(ALICE, BOB, java.time.Instant.now(),
                java.time.Duration.ofDays(7))).isFalse();
    }

    @Test
    void replySubjectDefaultsToAutoAndTheOriginalsAndAnsweringAsTheAliasUsed() throws Exception {
        smtp.auth.directory().settings().saveVacation(ALICE, new Vacation(true, "", "Away.", null, null));
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.send(BOB, List.of("a.liddell@example.test"), "From: bob@example.test\r\n"
                    + "To: Alice <A.Liddell@example.test>\r\nSubject: =?UTF-8?Q?Caf=C3=A9?=\r\nMessage-ID: <m1@example.test>\r\n"
                    + "References: <m0@example.test>\r\n\r\nHello\r\n")).startsWith("250");
        }
        queueDrained();
        assertThat(smtp.inbox(BOB)).singleElement().asString()
                .contains("\r\nFrom: a.liddell@example.test\r\n", "\r\nSubject: =?UTF-8?Q?Auto:_Caf=C3=A9?=\r\n",
                        "\r\nReferences: <m0@example.test> <m1@example.test>\r\n");
    }

    @Test
    void outsideItsDatesOrSwitchedOffItIsSilent() throws Exception {
        LocalDate today = LocalDate.now();
        smtp.auth.directory().settings().saveVacation(ALICE, new Vacation(true, "", "x", today.plusDays(1), null));
        send(BOB, "");
        smtp.auth.directory().settings().saveVacation(ALICE, new Vacation(true, "", "x", null, today.minusDays(1)));
        send(BOB, "");
        smtp.auth.directory().settings().saveVacation(ALICE, new Vacation(false, "", "x", null, null));
        send(BOB, "");
        queueDrained();
        assertThat(smtp.inbox(ALICE)).hasSize(3);
        assertThat(smtp.inbox(BOB)).isEmpty();
    }

    /** One message over port 25 to Alice; returns whether a reply was queued for it. */
    private boolean send(String from, String headers) throws Exception {
        return send(from, headers, "To: Alice <alice@example.test>\r\n", "Hello\r\n");
    }

    private boolean send(String from, String headers, String to, String body) throws Exception {
        int before = smtp.inbox(BOB).size();
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.send(from, List.of(ALICE), "From: <" + (from.isEmpty() ? "daemon@example.test" : from) + ">\r\n"
                    + to + "Subject: hello\r\nMessage-ID: <" + System.nanoTime() + "@example.test>\r\n" + headers
                    + "\r\n" + body)).startsWith("250");
        }
        boolean queued = !smtp.server.queue().list().isEmpty();
        queueDrained();
        return queued || smtp.inbox(BOB).size() > before;
    }

    @Test
    void anOrdinaryMessageGetsAReplySoTheRefusalsBelowMeanSomething() throws Exception {
        assertThat(send(BOB, "Auto-Submitted: no\r\nPrecedence: first-class\r\n")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "null reverse path|",
            "mailer daemon|MAILER-DAEMON@example.test",
            "list owner|owner-staff@example.test",
            "list request address|staff-request@example.test"})
    void neverRepliesToTheseSenders(String why, String sender) throws Exception {
        assertThat(send(sender == null ? "" : sender, "")).as(why).isFalse();
        assertThat(smtp.inbox(ALICE)).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "auto-generated|Auto-Submitted: auto-generated",
            "auto-replied|Auto-Submitted: auto-replied",
            "precedence bulk|Precedence: bulk",
            "precedence list|Precedence: list",
            "precedence junk|Precedence: junk",
            "List-Id|List-Id: Staff <staff.example.test>",
            "List-Unsubscribe|List-Unsubscribe: <mailto:staff-request@example.test>",
            "List-Post|List-Post: <mailto:staff@example.test>"})
    void neverRepliesToAutomaticOrListMail(String why, String header) throws Exception {
        assertThat(send(BOB, header + "\r\n")).as(why).isFalse();
        assertThat(smtp.inbox(ALICE)).hasSize(1);
    }

    @Test
    void neverRepliesWhenAliceIsOnlyInBcc() throws Exception {
        assertThat(send(BOB, "", "To: carol@example.test\r\n", "Hello\r\n")).isFalse();
    }

    @Test
    void neverRepliesToSpamInJunkOrTaggedInTheInbox() throws Exception {
        assertThat(send(BOB, "", "To: alice@example.test\r\n", "SPAM-ME\r\n")).isFalse();
        assertThat(smtp.messages(ALICE, "Junk")).hasSize(1);
        assertThat(send(BOB, "", "To: alice@example.test\r\n", "TAG-ME\r\n")).isFalse();
        assertThat(smtp.inbox(ALICE)).hasSize(1);
    }
}
