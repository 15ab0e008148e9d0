package org.facteur.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import org.facteur.smtp.queue.QueueEntry;
import org.facteur.smtp.queue.QueueRecipient;
import org.facteur.smtp.testing.SmtpFixture;
import org.facteur.net.testing.TestDns;
import org.facteur.smtp.testing.TestMx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outbound delivery against a scripted remote MX and a DNS responder, both on loopback. */
class OutboundQueueTest {

    @TempDir
    Path dir;
    TestDns dns;
    TestMx mx;
    SmtpFixture smtp;

    @BeforeEach
    void start() throws Exception {
        dns = new TestDns().mx("remote.test", 10, "mx.remote.test").a("mx.remote.test", "127.0.0.1")
                .mx("alias.test", 10, "alias-mx.alias.test").cname("alias-mx.alias.test", "mx.remote.test")
                .mx("nomail.test", 0, ".").a("implicit.test", "127.0.0.1");
        mx = new TestMx();
    }

    @AfterEach
    void stop() throws Exception {
        if (smtp != null) {
            smtp.closeAll();
        }
        mx.close();
        dns.close();
    }

    SmtpFixture server(int remotePort, Duration maxAge, Duration delayNotice) throws Exception {
        UnaryOperator<SmtpConfig> c = cfg -> SmtpFixture.withQueue(cfg, new SmtpConfig.Queue(
                List.of(Duration.ofMillis(300)), maxAge, delayNotice, 2, 10, List.of(dns.address()), remotePort,
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(100)));
        return smtp == null ? new SmtpFixture(dir, c, null, x -> x) : new SmtpFixture(dir, c, null, x -> x, smtp.auth, true);
    }

    String send(String to) throws Exception {
        Path message = dir.resolve("msg-" + System.nanoTime() + ".eml");
        Files.writeString(message, "From: Alice <alice@example.test>\r\nTo: <" + to + ">\r\nBcc: <secret@remote.test>\r\n"
                + "Subject: outbound\r\n\r\nHello .\r\n.leading dot\r\n", StandardCharsets.UTF_8);
        return smtp.server.webmail().submit("alice@example.test", message, List.of(to)).oneLine();
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(50);
        }
    }

    @Test
    void deliversThroughMxWithStartTlsPipeliningAndDkim() throws Exception {
        smtp = server(mx.port(), Duration.ofDays(5), Duration.ofHours(4));
        assertThat(send("carol@remote.test")).startsWith("250 2.0.0");
        await(() -> mx.received.size() == 1);
        TestMx.Received got = mx.received.get(0);
        assertThat(got.mailFrom()).startsWith("<alice@example.test> SIZE=").endsWith(" BODY=8BITMIME");
        assertThat(got.rcptTo()).containsExactly("<carol@remote.test>");
        assertThat(got.tls()).isTrue();
        assertThat(got.data()).startsWith("DKIM-Signature: ").contains("d=example.test;", "s=facteur;", "a=rsa-sha256;")
                .contains("Message-ID: <", "Date: ", "\r\nHello .\r\n.leading dot\r\n")
                .doesNotContain("Bcc:", "secret@remote.test");
        // The signature verifies with the key that `facteur dns-records` publishes (jDKIM's verifier).
        String dkimRecord = smtp.server.dnsRecords("example.test").stream().filter(l -> l.startsWith("facteur._domainkey"))
                .findFirst().orElseThrow();
        String p = dkimRecord.substring(dkimRecord.indexOf("p=") + 2).replaceAll("[\"() ]", "");
        var verifier = new org.apache.james.jdkim.DKIMVerifier((method, selector, domain) -> List.of("v=DKIM1; k=rsa; p=" + p));
        assertThat(verifier.verify(new java.io.ByteArrayInputStream(got.data().getBytes(StandardCharsets.UTF_8)))).hasSize(1);
        // PIPELINING: MAIL, RCPT and DATA went out in one write, before any reply was read.
        List<String> commands = mx.commands.stream().map(c -> c.replaceAll(" SIZE=\\d+", "")).toList();
        assertThat(commands).containsSubsequence("MAIL FROM:<alice@example.test> BODY=8BITMIME", "RCPT TO:<carol@remote.test>", "DATA", "QUIT");
        await(() -> queueSize() == 0);
    }

    @Test
    void mxTargetThatIsACnameIsFollowedAndImplicitMxWorks() throws Exception {
        smtp = server(mx.port(), Duration.ofDays(5), Duration.ofHours(4));
        send("dave@alias.test");
        send("erin@implicit.test");
        await(() -> mx.received.size() == 2);
    }

    @Test
    void temporaryFailureIsRetriedThenDelivered() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        mx.rcptReply(a -> tries.incrementAndGet() < 3 ? "451 4.3.0 try later" : "250 2.1.5 OK");
        smtp = server(mx.port(), Duration.ofDays(5), Duration.ofHours(4));
        send("carol@remote.test");
        await(() -> mx.received.size() == 1);
        assertThat(tries.get()).isEqualTo(3);
        await(() -> queueSize() == 0);
        assertThat(smtp.inbox("alice@example.test")).isEmpty(); // no DSN for a success
    }

    @Test
    void permanentFailureBouncesWithAnRfc3464Report() throws Exception {
        mx.rcptReply(a -> a.startsWith("gone") ? "550 5.1.1 no such user" : "250 2.1.5 OK");
        smtp = server(mx.port(), Duration.ofDays(5), Duration.ofHours(4));
        Path message = dir.resolve("two.eml");
        Files.writeString(message, "From: <alice@example.test>\r\nSubject: two\r\n\r\nbody\r\n");
        smtp.server.webmail().submit("alice@example.test", message, List.of("gone@remote.test", "carol@remote.test"));
        await(() -> mx.received.size() == 1);
        await(() -> smtpInbox().size() == 1);
        String dsn = smtpInbox().get(0);
        assertThat(dsn).startsWith("Return-Path: <>\r\n")
                .contains("Content-Type: multipart/report; report-type=delivery-status;",
                        "Content-Type: message/delivery-status", "Reporting-MTA: dns; mx.example.test",
                        "Final-Recipient: rfc822; gone@remote.test", "Action: failed", "Status: 5.1.1",
                        "Remote-MTA: dns; mx.remote.test", "Diagnostic-Code: smtp; 550 5.1.1 no such user",
                        "Content-Type: message/rfc822", "Subject: two")
                .doesNotContain("Final-Recipient: rfc822; carol@remote.test");
        await(() -> queueSize() == 0);
    }

    @Test
    void nullMxFailsAtOnceAndABounceIsNeverBounced() throws Exception {
        smtp = server(mx.port(), Duration.ofDays(5), Duration.ofHours(4));
        send("x@nomail.test");
        await(() -> smtpInbox().size() == 1);
        assertThat(smtpInbox().get(0)).contains("Status: 5.1.10", "null MX");
        // A message from <> that fails is dropped, not bounced.
        try (var c = smtp.mta()) {
            c.ehlo();
            c.cmd("MAIL FROM:<>");
            assertThat(c.cmd("RCPT TO:<forward@example.test>")).startsWith("250"); // forwards to carol@remote.test
        }
        mx.rcptReply(a -> "550 5.1.1 no");
        try (var c = smtp.mta()) {
            c.ehlo();
            assertThat(c.send("", List.of("forward@example.test"), "Subject: dsn\r\n\r\nx\r\n")).startsWith("250");
        }
        await(() -> queueSize() == 0);
        Thread.sleep(300);
        assertThat(smtpInbox()).hasSize(1);
    }

    @Test
    void expiryBouncesAfterADelayNotice() throws Exception {
        mx.rcptReply(a -> "451 4.4.5 busy");
        smtp = server(mx.port(), Duration.ofSeconds(5), Duration.ofMillis(1));
        send("carol@remote.test");
        await(() -> smtpInbox().size() == 2);
        assertThat(smtpInbox().get(0)).contains("Action: delayed", "Status: 4.4.5", "Will-Retry-Until:");
        assertThat(smtpInbox().get(1)).contains("Action: failed", "Status: 4.4.7", "Delivery time expired");
        await(() -> queueSize() == 0);
    }

    @Test
    void restartResumesAFullQueueAndTheAdminApiWorks() throws Exception {
        smtp = server(closedPort(), Duration.ofDays(5), Duration.ofHours(4));
        for (int i = 0; i < 5; i++) {
            send("user" + i + "@remote.test");
        }
        await(() -> {
            try {
                return smtp.server.queue().list().stream().allMatch(e -> e.attempts() >= 1);
            } catch (Exception e) {
                return false;
            }
        });
        List<QueueEntry> entries = smtp.server.queue().list();
        assertThat(entries).hasSize(5);
        QueueRecipient r = entries.get(0).recipients().get(0);
        assertThat(r.state()).isEqualTo(QueueRecipient.State.PENDING);
        assertThat(r.diagnostic()).contains("connection to mx.remote.test failed");
        String doomed = entries.get(4).id();
        assertThat(smtp.server.queue().show(doomed)).isPresent();
        assertThat(smtp.server.queue().delete(doomed)).isTrue();
        assertThat(smtp.server.queue().show("../etc")).isEmpty();
        smtp.close();

        smtp = server(mx.port(), Duration.ofDays(5), Duration.ofHours(4));
        for (QueueEntry e : smtp.server.queue().list()) {
            smtp.server.queue().retry(e.id());
        }
        await(() -> mx.received.size() == 4);
        await(() -> queueSize() == 0);
    }

    @Test
    void dsnHonoursNotifyRetEnvidAndOrcpt() throws Exception {
        mx.rcptReply(a -> a.startsWith("gone") ? "550 5.1.1 no such user" : "250 2.1.5 OK");
        smtp = server(mx.port(), Duration.ofDays(5), Duration.ofHours(4));
        try (var c = smtp.submission()) {
            c.ehlo();
            c.startTls();
            c.ehlo();
            assertThat(c.authPlain(SmtpFixture.ALICE, org.facteur.auth.testing.TestDirectory.ALICE_PASSWORD)).startsWith("235");
            assertThat(c.cmd("MAIL FROM:<alice@example.test> RET=HDRS ENVID=env+2B42")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<gone1@remote.test> NOTIFY=NEVER")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<gone2@remote.test> NOTIFY=FAILURE ORCPT=rfc822;orig+40x.test")).startsWith("250");
            assertThat(c.cmd("DATA")).startsWith("354");
            c.raw("From: <alice@example.test>\r\nSubject: dsn params\r\n\r\nsecret body\r\n.\r\n");
            assertThat(c.reply()).startsWith("250");
        }
        await(() -> smtpInbox().size() == 1);
        String dsn = smtpInbox().get(0);
        assertThat(dsn).contains("Original-Envelope-Id: env+42", "Original-Recipient: rfc822;orig@x.test",
                        "Final-Recipient: rfc822; gone2@remote.test", "Content-Type: text/rfc822-headers", "Subject: dsn params")
                .doesNotContain("gone1@remote.test", "secret body");
        await(() -> queueSize() == 0);
    }

    @Test
    void notifySuccessOnLocalDeliveryGivesADeliveredNotice() throws Exception {
        smtp = server(mx.port(), Duration.ofDays(5), Duration.ofHours(4));
        try (var c = smtp.mta()) {
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<alice@example.test> ENVID=local+2B1")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<bob@example.test> NOTIFY=SUCCESS ORCPT=rfc822;bob@example.test")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<alice@example.test>")).startsWith("250");   // no NOTIFY: no success notice
            assertThat(c.cmd("DATA")).startsWith("354");
            c.raw("From: <alice@example.test>\r\nSubject: deliver me\r\n\r\nsecret body\r\n.\r\n");
            assertThat(c.reply()).startsWith("250");
        }
        // RFC 3461 §5.2.2 / RFC 3464: one notice, back to the sender, for bob only, headers only
        await(() -> smtpInbox().size() == 2);
        String dsn = smtpInbox().stream().filter(m -> m.contains("multipart/report")).findFirst().orElseThrow();
        assertThat(dsn).contains("Return-Path: <>", "Action: delivered", "Status: 2.0.0", "Original-Envelope-Id: local+1",
                        "Original-Recipient: rfc822;bob@example.test", "Final-Recipient: rfc822; bob@example.test",
                        "Content-Type: text/rfc822-headers", "Subject: deliver me")
                .doesNotContain("Final-Recipient: rfc822; alice@example.test", "secret body");
    }

    @Test
    void notifySuccessGivesARelayedNoticeOnlyWhenTheNextHopHasNoDsn() throws Exception {
        smtp = server(mx.port(), Duration.ofDays(5), Duration.ofHours(4));
        mx.offerDsn = true;
        submit("RCPT TO:<kept@remote.test> NOTIFY=SUCCESS", "with dsn");
        await(() -> mx.received.size() == 1 && queueSize() == 0);
        mx.offerDsn = false;
        submit("RCPT TO:<far@remote.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;far@remote.test", "without dsn");
        await(() -> smtpInbox().size() == 1);
        String dsn = smtpInbox().get(0);
        assertThat(dsn).contains("Action: relayed", "Status: 2.0.0", "Final-Recipient: rfc822; far@remote.test",
                "Original-Recipient: rfc822;far@remote.test", "Remote-MTA: dns; ", "Subject: without dsn")
                .doesNotContain("kept@remote.test");
        assertThat(mx.received).hasSize(2);
    }

    @Test
    void perDomainConcurrencyBoundsConnectionsToOneDestination() throws Exception {
        smtp = server(mx.port(), Duration.ofDays(5), Duration.ofHours(4));   // perDomainConcurrency = 2
        mx.dataDelayMillis = 300;
        for (int i = 0; i < 6; i++) {
            assertThat(send("user" + i + "@remote.test")).startsWith("250");
        }
        await(() -> mx.received.size() == 6 && queueSize() == 0);
        assertThat(mx.maxOpen.get()).isBetween(1, 2);
    }

    private void submit(String rcpt, String subject) throws Exception {
        try (var c = smtp.submission()) {
            c.ehlo();
            c.startTls();
            c.ehlo();
            assertThat(c.authPlain(SmtpFixture.ALICE, org.facteur.auth.testing.TestDirectory.ALICE_PASSWORD)).startsWith("235");
            assertThat(c.cmd("MAIL FROM:<alice@example.test>")).startsWith("250");
            assertThat(c.cmd(rcpt)).startsWith("250");
            assertThat(c.cmd("DATA")).startsWith("354");
            c.raw("From: <alice@example.test>\r\nSubject: " + subject + "\r\n\r\nbody\r\n.\r\n");
            assertThat(c.reply()).startsWith("250");
        }
    }

    @Test
    void smarthostWithStartTlsAndAuthReplacesMxDelivery() throws Exception {
        smtp = new SmtpFixture(dir, cfg -> {
            SmtpConfig q = SmtpFixture.withQueue(cfg, new SmtpConfig.Queue(List.of(Duration.ofMillis(300)), Duration.ofDays(5),
                    Duration.ofHours(4), 2, 10, List.of("127.0.0.1:9"), 9, Duration.ofSeconds(5), Duration.ofSeconds(10),
                    Duration.ofMillis(100)));
            return new SmtpConfig(q.hostname(), q.greeting(), q.listeners(), q.limits(), q.connections(),
                    q.senderExceptions(), q.queue(), new SmtpConfig.Smarthost("127.0.0.1", mx.port(),
                    SmtpConfig.SmarthostTls.STARTTLS, "relay-user", "relay-pass"), q.dkim(), q.autoReply());
        }, null, x -> x);
        send("anyone@nowhere.invalid");
        await(() -> mx.received.size() == 1);
        assertThat(mx.received.get(0).tls()).isTrue();
        assertThat(mx.logins).containsExactly("\0relay-user\0relay-pass");
    }

    private List<String> smtpInbox() {
        try {
            return smtp.inbox("alice@example.test");
        } catch (Exception e) {
            return List.of();
        }
    }

    private int queueSize() {
        try {
            return smtp.server.queue().list().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int closedPort() throws Exception {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
