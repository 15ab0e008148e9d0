package org.facteur.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.facteur.config.DataSize;
import org.facteur.smtp.testing.SmtpFixture;
import org.facteur.smtp.testing.SmtpWire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Port 25 over real sockets, byte by byte. */
class InboundSessionTest {

    @TempDir
    Path dir;
    SmtpFixture smtp;

    @BeforeEach
    void start() throws Exception {
        smtp = new SmtpFixture(dir);
    }

    @AfterEach
    void stop() {
        smtp.closeAll();
    }

    static final String MESSAGE = "From: <x@remote.test>\r\nTo: <alice@example.test>\r\nSubject: hi\r\n\r\nHello Alice\r\n";

    @Test
    void greetingAndCapabilitiesComeFromOneList() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            assertThat(c.greeting).startsWith("220 mx.example.test ");
            String ehlo = c.ehlo();
            assertThat(ehlo).startsWith("250-mx.example.test greets client.remote.test")
                    .contains("250-PIPELINING", "250-SIZE 52428800", "250-8BITMIME", "250-SMTPUTF8",
                            "250-ENHANCEDSTATUSCODES", "250-CHUNKING", "250-DSN", "STARTTLS")
                    .doesNotContain("AUTH");
            assertThat(c.cmd("QUIT")).startsWith("221 2.0.0");
        }
    }

    @Test
    void deliversToLocalUserWithReceivedAndReturnPath() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.send("x@remote.test", List.of("alice@example.test"), MESSAGE)).startsWith("250 2.0.0");
        }
        List<String> inbox = smtp.inbox("alice@example.test");
        assertThat(inbox).hasSize(1);
        assertThat(inbox.get(0)).startsWith("Return-Path: <x@remote.test>\r\nReceived: from client.remote.test ([127.0.0.1])\r\n\tby mx.example.test (Facteur) with ESMTP id ")
                .contains("for <alice@example.test>").endsWith("\r\n\r\nHello Alice\r\n");
    }

    @Test
    void anAccountAddedOrRemovedWhileTheServerRunsCountsAtTheNextRcpt() throws Exception {
        // RCPT answers are cached by the directory (auth's RecipientCache) until the directory changes.
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<x@remote.test>")).startsWith("250 2.1.0");
            assertThat(c.cmd("RCPT TO:<carol@example.test>")).startsWith("550 5.1.1");
            assertThat(c.cmd("RCPT TO:<carol@example.test>")).startsWith("550 5.1.1");
            smtp.auth.directory().addAccount("carol@example.test", "carol-Pa55word", false);
            assertThat(c.cmd("RCPT TO:<carol@example.test>")).startsWith("250 2.1.5");
            assertThat(c.cmd("DATA")).startsWith("354");
            assertThat(c.cmd(MESSAGE + ".")).startsWith("250 2.0.0");
            assertThat(smtp.inbox("carol@example.test")).hasSize(1);
            smtp.auth.directory().removeAccount("carol@example.test");
            assertThat(c.cmd("MAIL FROM:<x@remote.test>")).startsWith("250 2.1.0");
            assertThat(c.cmd("RCPT TO:<carol@example.test>")).startsWith("550 5.1.1");
        }
    }

    @Test
    void pipelinedSessionGetsEveryReplyInOrder() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            c.raw("MAIL FROM:<x@remote.test>\r\nRCPT TO:<alice@example.test>\r\nRCPT TO:<nobody@example.test>\r\n"
                    + "RCPT TO:<bob@example.test>\r\nDATA\r\n");
            assertThat(c.reply()).startsWith("250 2.1.0");
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("550 5.1.1");
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("354");
            c.raw(MESSAGE + ".\r\nMAIL FROM:<>\r\nRCPT TO:<team@example.test>\r\nDATA\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0");
            assertThat(c.reply()).startsWith("250 2.1.0");
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("354");
            c.raw("Subject: bounce\r\n\r\nx\r\n.\r\nQUIT\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0");
            assertThat(c.reply()).startsWith("221");
        }
        assertThat(smtp.inbox("alice@example.test")).hasSize(2);
        assertThat(smtp.inbox("bob@example.test")).hasSize(2);
        assertThat(smtp.inbox("bob@example.test").get(1)).startsWith("Return-Path: <>\r\n");
    }

    @Test
    void unknownUserIsRefusedAtRcptAndRelayIsDenied() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<x@remote.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<nobody@example.test>")).startsWith("550 5.1.1");
            assertThat(c.cmd("RCPT TO:<someone@elsewhere.test>")).startsWith("554 5.7.1");
            assertThat(c.cmd("RCPT TO:<alice+news@example.test>")).startsWith("250 2.1.5");
            assertThat(c.cmd("RCPT TO:<Postmaster>")).startsWith("250 2.1.5");
        }
    }

    @Test
    void relayTricksAreRefused() throws Exception {
        // Every form a 1990s MTA would have forwarded elsewhere; none may reach anyone but a local user.
        List<String> tricks = List.of(
                "<user%elsewhere.test@example.test>",
                "<elsewhere.test!user@example.test>",
                "<\"user@elsewhere.test\"@example.test>",
                "<user@elsewhere.test@example.test>",
                "<alice@[127.0.0.1]>",
                "<@example.test:user@elsewhere.test>",
                "<@example.test,@mx.example.test:user@elsewhere.test>",
                "<\"user%elsewhere.test\"@example.test>",
                "<user@elsewhere.test.>");
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<x@remote.test>")).startsWith("250");
            for (String trick : tricks) {
                String reply = c.cmd("RCPT TO:" + trick);
                assertThat(reply).as(trick).matches("5\\d\\d .*");
                c.cmd("RSET");
                c.cmd("MAIL FROM:<x@remote.test>");
            }
            // A source route to a local user is accepted and ignored (RFC 5321 §3.6.1).
            assertThat(c.cmd("RCPT TO:<@relay.test:alice@example.test>")).startsWith("250");
        }
    }

    @Test
    void vrfyAndExpnRevealNothing() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.cmd("VRFY alice")).startsWith("252");
            assertThat(c.cmd("VRFY nobody")).startsWith("252");
            assertThat(c.cmd("EXPN team")).startsWith("502");
        }
    }

    @Test
    void dotStuffingIsUndone() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            String body = "Subject: dots\r\n\r\n..\r\n...leading\r\n.x\r\nend.\r\n. \r\n";
            assertThat(c.send("x@remote.test", List.of("alice@example.test"), body)).startsWith("250");
        }
        assertThat(smtp.inbox("alice@example.test").get(0)).endsWith("\r\n\r\n.\r\n..leading\r\nx\r\nend.\r\n \r\n");
    }

    @Test
    void bareLfSmugglingIsOneRefusedMessage() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            c.cmd("MAIL FROM:<x@remote.test>");
            c.cmd("RCPT TO:<alice@example.test>");
            assertThat(c.cmd("DATA")).startsWith("354");
            // The CVE-2023-51766 shapes: "\n.\n", "\n.\r\n", "\r\n.\n" each followed by a smuggled transaction.
            c.raw("Subject: a\r\n\r\nfirst\n.\nMAIL FROM:<evil@remote.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n"
                    + "smuggled\r\n\n.\r\nmore\r\n.\nRSET\r\n.\r\n");
            assertThat(c.reply()).startsWith("550 5.6.0");
            assertThat(c.cmd("NOOP")).startsWith("250");
        }
        assertThat(smtp.inbox("alice@example.test")).isEmpty();
        assertThat(smtp.inbox("bob@example.test")).isEmpty();
    }

    @Test
    void nulInDataAndCommandIsRefused() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.cmd("NOOP\0x")).startsWith("500 5.5.2");
            assertThat(c.send("x@remote.test", List.of("alice@example.test"), "Subject: nul\r\n\r\na\0b")).startsWith("550 5.6.0");
        }
        assertThat(smtp.inbox("alice@example.test")).isEmpty();
    }

    @Test
    void dataWithoutEndThenDisconnectDeliversNothing() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            c.cmd("MAIL FROM:<x@remote.test>");
            c.cmd("RCPT TO:<alice@example.test>");
            c.cmd("DATA");
            c.raw("Subject: cut\r\n\r\nno end in sight\r\n");
        }
        Thread.sleep(300);
        assertThat(smtp.inbox("alice@example.test")).isEmpty();
        try (var files = java.nio.file.Files.list(smtp.spool.resolve("incoming"))) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void sizeLimitIsAdvertisedAndEnforced() throws Exception {
        smtp.config.set(SmtpFixture.withLimits(smtp.config.get(), limits(DataSize.ofKilobytes(1), 100, 10)));
        try (SmtpWire c = smtp.mta()) {
            assertThat(c.ehlo()).contains("SIZE 1024");
            assertThat(c.cmd("MAIL FROM:<x@remote.test> SIZE=5000")).startsWith("552 5.3.4");
            String big = "Subject: big\r\n\r\n" + ("x".repeat(70) + "\r\n").repeat(40);
            assertThat(c.send("x@remote.test", List.of("alice@example.test"), big)).startsWith("552 5.3.4");
            assertThat(c.cmd("NOOP")).startsWith("250");
        }
        assertThat(smtp.inbox("alice@example.test")).isEmpty();
    }

    @Test
    void recipientLimitGives452() throws Exception {
        smtp.config.set(SmtpFixture.withLimits(smtp.config.get(), limits(DataSize.ofMegabytes(1), 2, 10)));
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            c.cmd("MAIL FROM:<x@remote.test>");
            assertThat(c.cmd("RCPT TO:<alice@example.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<bob@example.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<team@example.test>")).startsWith("452 4.5.3");
        }
    }

    @Test
    void tooManyErrorsCloseTheConnection() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            for (int i = 0; i < 9; i++) {
                assertThat(c.cmd("BOGUS")).startsWith("500 5.5.1");
            }
            assertThat(c.cmd("BOGUS")).startsWith("500 5.5.1");
            assertThat(c.reply()).startsWith("421 4.7.0");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void overlongCommandAndTenMegabyteDataLine() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.cmd("NOOP " + "x".repeat(20_000))).startsWith("500 5.5.2");
            c.cmd("MAIL FROM:<x@remote.test>");
            c.cmd("RCPT TO:<alice@example.test>");
            c.cmd("DATA");
            byte[] line = new byte[10 * 1024 * 1024];
            java.util.Arrays.fill(line, (byte) 'a');
            c.raw("Subject: long\r\n\r\n");
            c.raw(line);
            c.raw("\r\n");
            assertThat(c.reply()).startsWith("554 5.6.0").contains("longer than");
            assertThat(c.closed()).isTrue();
        }
        assertThat(smtp.inbox("alice@example.test")).isEmpty();
    }

    @Test
    void bdatChunksIncludingBinary() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            byte[] part1 = "Subject: chunks\r\n\r\nline one\r\n.\r\n".getBytes(StandardCharsets.UTF_8);
            byte[] part2 = "bin\0ary\n".getBytes(StandardCharsets.UTF_8);
            c.raw("MAIL FROM:<x@remote.test> BODY=BINARYMIME\r\nRCPT TO:<alice@example.test>\r\nBDAT " + part1.length + "\r\n");
            c.raw(part1);
            c.raw("BDAT " + part2.length + " LAST\r\n");
            c.raw(part2);
            assertThat(c.reply()).startsWith("250 2.1.0");
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("250 2.0.0 " + part1.length);
            assertThat(c.reply()).startsWith("250 2.0.0 Message accepted");
            // BDAT without a transaction still consumes its bytes.
            c.raw("BDAT 6 LAST\r\nQUIT\r\n");
            assertThat(c.reply()).startsWith("503 5.5.1");
            assertThat(c.cmd("NOOP")).startsWith("250");
        }
        assertThat(smtp.inbox("alice@example.test").get(0)).endsWith("\r\n\r\nline one\r\n.\r\nbin\0ary\n");
    }

    @Test
    void utf8AddressesNeedSmtpUtf8() throws Exception {
        smtp.auth.directory().addAccount("jörg@example.test", "jörg-Pa55word", false);
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<josé@remote.test>")).startsWith("553 5.6.7");
            assertThat(c.cmd("MAIL FROM:<josé@remote.test> SMTPUTF8 BODY=8BITMIME")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<jörg@example.test>")).startsWith("250");
            assertThat(c.cmd("DATA")).startsWith("354");
            c.raw("Subject: Grüße\r\n\r\nÇa va?\r\n.\r\n");
            assertThat(c.reply()).startsWith("250");
        }
        assertThat(smtp.inbox("jörg@example.test").get(0)).contains("with UTF8SMTP").contains("Ça va?");
    }

    @Test
    void starttlsInjectionIsRefused() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            c.raw("STARTTLS\r\nMAIL FROM:<evil@remote.test>\r\n");
            assertThat(c.reply()).startsWith("421 4.7.0");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void starttlsResetsStateAndAuthNeedsTls() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.cmd("AUTH PLAIN AGFsaWNlAHNlY3JldA==")).startsWith("538 5.7.11");
            c.startTls();
            assertThat(c.cmd("MAIL FROM:<x@remote.test>")).startsWith("503 5.5.1");
            String ehlo = c.ehlo();
            assertThat(ehlo).contains("AUTH ", "PLAIN", "LOGIN").doesNotContain("STARTTLS");
            assertThat(c.send("x@remote.test", List.of("alice@example.test"), MESSAGE)).startsWith("250");
        }
        assertThat(smtp.inbox("alice@example.test").get(0)).contains("with ESMTPS").contains("\ttls TLS_");
    }

    @Test
    void quotaFullAtRcptAndAtData() throws Exception {
        smtp.closeAll();
        smtp = new SmtpFixture(dir.resolve("quota"), c -> c, null,
                c -> org.facteur.storage.testing.TestStore.withQuota(c, 2000, -1));
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.send("x@remote.test", List.of("bob@example.test"), MESSAGE)).startsWith("250");
            assertThat(c.cmd("MAIL FROM:<x@remote.test> SIZE=5000")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<bob@example.test>")).startsWith("452 4.2.2");
            c.cmd("RSET");
            String big = "Subject: big\r\n\r\n" + ("x".repeat(70) + "\r\n").repeat(40);
            assertThat(c.send("x@remote.test", List.of("bob@example.test"), big)).startsWith("552 5.2.2");
        }
        assertThat(smtp.inbox("bob@example.test")).hasSize(1);
    }

    @Test
    void storageFailureIsTemporaryUnlessSomethingWasStored() throws Exception {
        // Bob's maildir cannot be created: a plain file is in its way (a real I/O failure, no mock).
        java.nio.file.Files.createDirectories(smtp.mailRoot.resolve("example.test"));
        java.nio.file.Files.writeString(smtp.mailRoot.resolve("example.test").resolve("bob"), "in the way");
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            assertThat(c.send("x@remote.test", List.of("bob@example.test"), MESSAGE)).startsWith("451 4.3.0");
            // One copy stored: the message is accepted and Bob's copy waits in the queue for a retry.
            assertThat(c.send("x@remote.test", List.of("alice@example.test", "bob@example.test"), MESSAGE)).startsWith("250");
        }
        assertThat(smtp.inbox("alice@example.test")).hasSize(1);
        assertThat(smtp.server.queue().list()).singleElement()
                .satisfies(e -> assertThat(e.recipients().get(0).address()).isEqualTo("bob@example.test"));
    }

    @Test
    void submissionPortRequiresTlsThenAuth() throws Exception {
        try (SmtpWire c = smtp.submission()) {
            assertThat(c.ehlo()).contains("STARTTLS").doesNotContain("AUTH");
            assertThat(c.cmd("MAIL FROM:<alice@example.test>")).startsWith("530 5.7.0");
            c.startTls();
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<alice@example.test>")).startsWith("530 5.7.0 Authentication required");
            assertThat(c.authPlain("alice@example.test", "wrong")).startsWith("535 5.7.8");
            assertThat(c.cmd("AUTH LOGIN")).startsWith("334 ");
            assertThat(c.cmd("*")).startsWith("501");
            assertThat(c.cmd("AUTH PLAIN")).isEqualTo("334 ");
            assertThat(c.cmd(java.util.Base64.getEncoder().encodeToString(("\0alice@example.test\0" + org.facteur.auth.testing.TestDirectory.ALICE_PASSWORD).getBytes()))).startsWith("235 2.7.0");
            assertThat(c.cmd("MAIL FROM:<bob@example.test>")).startsWith("553 5.7.1");
            assertThat(c.cmd("MAIL FROM:<a.liddell@example.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<someone@elsewhere.test>")).startsWith("250"); // authenticated: relay allowed
        }
    }

    static SmtpConfig.Limits limits(DataSize size, int recipients, int errors) {
        return limits(size, recipients, errors, SmtpFixture.defaults().limits().maxMessagesPerAccountPerHour());
    }

    static SmtpConfig.Limits limits(DataSize size, int recipients, int errors, int perHour) {
        SmtpConfig.Limits d = SmtpFixture.defaults().limits();
        return new SmtpConfig.Limits(size, recipients, d.maxMessagesPerSession(), d.maxCommandsWithoutMail(), errors,
                d.maxCommandLength(), d.maxDataLineLength(), d.dataTimeout(), perHour);
    }

    @Test
    void authenticatedSenderRateIsLimited() throws Exception {
        smtp.config.set(SmtpFixture.withLimits(smtp.config.get(), limits(DataSize.ofMegabytes(1), 100, 10, 2)));
        try (SmtpWire c = smtp.submission()) {
            c.ehlo();
            c.startTls();
            c.ehlo();
            assertThat(c.authPlain("alice@example.test", org.facteur.auth.testing.TestDirectory.ALICE_PASSWORD)).startsWith("235");
            for (int i = 0; i < 2; i++) {
                assertThat(c.cmd("MAIL FROM:<alice@example.test>")).startsWith("250");
                c.cmd("RSET");
            }
            assertThat(c.cmd("MAIL FROM:<alice@example.test>")).startsWith("450 4.7.1");
        }
    }

    @Test
    void messagesPerSessionLimitAsksTheClientToReconnect() throws Exception {
        SmtpConfig.Limits d = SmtpFixture.defaults().limits();
        smtp.config.set(SmtpFixture.withLimits(smtp.config.get(), new SmtpConfig.Limits(d.maxMessageSize(),
                d.maxRecipients(), 2, d.maxCommandsWithoutMail(), d.maxErrors(), d.maxCommandLength(),
                d.maxDataLineLength(), d.dataTimeout(), d.maxMessagesPerAccountPerHour())));
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();
            for (int i = 0; i < 2; i++) {
                assertThat(c.send("x@remote.test", List.of("alice@example.test"), "Subject: " + i + "\r\n\r\nbody\r\n"))
                        .startsWith("250");
            }
            assertThat(c.cmd("MAIL FROM:<x@remote.test>")).startsWith("421 4.7.0");
        }
        assertThat(smtp.inbox("alice@example.test")).hasSize(2);
    }

    @Test
    void commandsWithoutAMessageAreLimited() throws Exception {
        int allowed = SmtpFixture.defaults().limits().maxCommandsWithoutMail();
        try (SmtpWire c = smtp.mta()) {
            c.ehlo();   // EHLO counts as one of them
            for (int i = 1; i < allowed; i++) {
                assertThat(c.cmd("NOOP")).startsWith("250");
            }
            assertThat(c.cmd("NOOP")).startsWith("421 4.7.0");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void connectionsPerIpOverTheLimitGet421() throws Exception {
        SmtpConfig c0 = smtp.config.get();
        org.facteur.net.ConnectionLimits l = c0.connections();
        smtp.config.set(new SmtpConfig(c0.hostname(), c0.greeting(), c0.listeners(), c0.limits(),
                new org.facteur.net.ConnectionLimits(l.maxConnections(), 2, l.idleTimeout(), l.maxLineLength(),
                        l.handshakeTimeout()), c0.senderExceptions(), c0.queue(), c0.smarthost(), c0.dkim(), c0.autoReply()));
        try (SmtpWire a = smtp.mta(); SmtpWire b = smtp.mta(); SmtpWire third = smtp.mta()) {
            assertThat(a.cmd("NOOP")).startsWith("250");
            assertThat(b.cmd("NOOP")).startsWith("250");
            assertThat(third.greeting).startsWith("421 4.7.0");
        }
    }
}
