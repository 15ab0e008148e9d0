package org.facteur.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.pop3.testing.Pop3TestServer.PASSWORD;
import static org.facteur.pop3.testing.Pop3TestServer.message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.facteur.net.testing.TestPki;
import org.facteur.pop3.Pop3Config;
import org.facteur.pop3.testing.Pop3Client;
import org.facteur.pop3.testing.Pop3TestServer;
import org.facteur.pop3.testing.SaslClients;
import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxEvent;
import org.facteur.storage.MessageMeta;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The POP3 state machine over real sockets and TLS, driven by a scripted client. */
class Pop3SessionTest {

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path temp;
    // One real store and directory for the class (they are slow to create); each test gets its own accounts.
    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path sharedTemp;
    private static Pop3TestServer shared;
    private static final java.util.concurrent.atomic.AtomicInteger ACCOUNTS = new java.util.concurrent.atomic.AtomicInteger();

    private Pop3TestServer server;
    /** This test's account, with three messages, and a second one. */
    private String user;
    private String other;

    @BeforeAll
    static void startShared() throws Exception {
        shared = Pop3TestServer.start(sharedTemp);
    }

    @AfterAll
    static void stopShared() {
        shared.close();
    }

    @BeforeEach
    void start() throws Exception {
        int n = ACCOUNTS.incrementAndGet();
        user = "user" + n + "@example.test";
        other = "other" + n + "@example.test";
        use(shared);
    }

    /** Switches this test to {@code s}, with this test's accounts and messages. */
    private void use(Pop3TestServer s) throws Exception {
        server = s;
        server.directory().directory().addAccount(user, PASSWORD, false);
        server.directory().directory().addAccount(other, PASSWORD, false);
        server.deliver(user, message("one", "First body\r\n.starts with a dot\r\n"));
        server.deliver(user, message("two", "Second\r\nline 2\r\nline 3\r\n"));
        server.deliver(user, message("three", "Third\r\n"));
    }

    /** A server of its own with another configuration (closed after the test). */
    private void restart(java.util.function.UnaryOperator<Pop3Config> change) throws Exception {
        use(Pop3TestServer.start(temp, change));
    }

    @AfterEach
    void stop() {
        if (server != shared) {
            server.close();
        }
    }

    private Pop3Client alice() throws Exception {
        return Pop3Client.tls(server.tlsPort()).login(user, PASSWORD);
    }

    private List<MessageMeta> inbox(String account) throws Exception {
        try (Mailbox box = server.store().account(account).open("INBOX", true, e -> { })) {
            return box.messages();
        }
    }

    @Test
    void greetingAndCapabilitiesBeforeTls() throws Exception {
        try (Pop3Client c = Pop3Client.plain(server.stlsPort())) {
            List<String> capa = c.multi("CAPA");
            assertThat(capa).contains("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "STLS", "UTF8 USER",
                    "IMPLEMENTATION Facteur");
            assertThat(capa).doesNotContain("USER").noneMatch(l -> l.startsWith("SASL") && l.contains("PLAIN"));
        }
    }

    @Test
    void capabilitiesAfterStls() throws Exception {
        try (Pop3Client c = Pop3Client.plain(server.stlsPort()).stls()) {
            assertThat(c.secure()).isTrue();
            List<String> capa = c.multi("CAPA");
            assertThat(capa).contains("USER", "SASL SCRAM-SHA-256 PLAIN LOGIN CRAM-MD5").doesNotContain("STLS");
            assertThat(c.command("STLS")).startsWith("-ERR");
            c.login(user, PASSWORD);
            assertThat(c.multi("CAPA")).doesNotContain("USER").noneMatch(l -> l.startsWith("SASL"));
        }
    }

    @Test
    void noPasswordBeforeTls() throws Exception {
        try (Pop3Client c = Pop3Client.plain(server.stlsPort())) {
            assertThat(c.command("USER " + user)).startsWith("-ERR [AUTH] ");
            assertThat(c.command("PASS " + PASSWORD)).startsWith("-ERR [AUTH] ");
            String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + plain)).startsWith("-ERR [AUTH] ");
            assertThat(c.command("AUTH LOGIN")).startsWith("-ERR [AUTH] ");
            assertThat(c.command("STAT")).startsWith("-ERR");
        }
    }

    @Test
    void stlsOnTheImplicitPortIsRefused() throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            assertThat(c.command("STLS")).isEqualTo("-ERR TLS is already active");
            assertThat(c.multi("CAPA")).doesNotContain("STLS").contains("USER");
        }
    }

    @Test
    void cleartextPipelinedAfterStlsIsDiscarded() throws Exception {
        // RFC 2595 §3.1 / CVE-2011-0411: a command injected behind STLS must not run once TLS is up.
        try (Pop3Client c = Pop3Client.plain(server.stlsPort()).stls("USER " + user + "\r\n")) {
            assertThat(c.secure()).isTrue();
            assertThat(c.command("PASS " + PASSWORD)).isEqualTo("-ERR Send USER first");
        }
    }

    @Test
    void transactionCommands() throws Exception {
        try (Pop3Client c = alice()) {
            String stat = c.command("STAT");
            long total = inbox(user).stream().mapToLong(MessageMeta::size).sum();
            assertThat(stat).isEqualTo("+OK 3 " + total);
            List<String> list = c.multi("LIST");
            assertThat(list).hasSize(3);
            assertThat(list.get(0)).isEqualTo("1 " + inbox(user).get(0).size());
            assertThat(c.command("LIST 2")).isEqualTo("+OK 2 " + inbox(user).get(1).size());
            assertThat(c.multi("UIDL")).hasSize(3).allMatch(l -> l.matches("\\d \\p{XDigit}{16}"));
            List<String> retr = c.multi("RETR 1");
            assertThat(retr).contains("Subject: one", "", "First body", ".starts with a dot");
            assertThat(c.multi("TOP 2 1")).endsWith("", "Second").doesNotContain("line 2");
            assertThat(c.multi("TOP 2 0")).last().isEqualTo("");
            assertThat(c.command("NOOP")).isEqualTo("+OK");
            assertThat(c.command("DELE 1")).startsWith("+OK");
            assertThat(c.command("DELE 1")).startsWith("-ERR");
            assertThat(c.command("RETR 1")).startsWith("-ERR");
            assertThat(c.command("LIST 1")).startsWith("-ERR");
            assertThat(c.multi("LIST")).hasSize(2).first().asString().startsWith("2 ");
            assertThat(c.command("STAT")).startsWith("+OK 2 ");
            assertThat(c.command("RSET")).startsWith("+OK Maildrop has 3 messages");
            assertThat(c.command("STAT")).startsWith("+OK 3 ");
            assertThat(c.command("DELE 3")).startsWith("+OK");
            assertThat(c.command("QUIT")).startsWith("+OK");
            assertThat(c.closedByServer()).isTrue();
        }
        List<MessageMeta> left = inbox(user);
        assertThat(left).hasSize(2);
        // RETR'd messages are \Seen for IMAP users; untouched ones are not.
        assertThat(left.get(0).has(Flags.SEEN)).isTrue();
        assertThat(left.get(1).has(Flags.SEEN)).isFalse();
    }

    @Test
    void uidlIsStableAcrossSessionsAndDerivedFromUidValidityAndUid() throws Exception {
        List<String> first;
        try (Pop3Client c = alice()) {
            first = c.multi("UIDL");
            c.command("DELE 1");
            c.command("QUIT");
        }
        server.deliver(user, message("four", "x\r\n"));
        try (Pop3Client c = alice()) {
            List<String> second = c.multi("UIDL");
            assertThat(second.stream().map(l -> l.split(" ")[1]).toList())
                    .containsSubsequence(first.get(1).split(" ")[1], first.get(2).split(" ")[1]);
            assertThat(c.command("UIDL 1")).isEqualTo("+OK 1 " + first.get(1).split(" ")[1]);
        }
        try (Mailbox box = server.store().account(user).open("INBOX", true, e -> { })) {
            MessageMeta m = box.messages().get(0);
            assertThat(first.get(1).split(" ")[1]).isEqualTo(Maildrop.uniqueId(box.uidValidity(), m.uid()));
        }
    }

    @Test
    void uidlSurvivesRestartAndIndexRebuild() throws Exception {
        String alice = Pop3TestServer.ALICE;
        Pop3TestServer own = Pop3TestServer.start(temp);
        try {
            own.deliver(alice, message("a", "1\r\n"));
            own.deliver(alice, message("b", "2\r\n"));
            List<String> before;
            try (Pop3Client c = Pop3Client.tls(own.tlsPort()).login(alice, PASSWORD)) {
                before = c.multi("UIDL");
            }
            own = own.restart(false);
            try (Pop3Client c = Pop3Client.tls(own.tlsPort()).login(alice, PASSWORD)) {
                assertThat(c.multi("UIDL")).isEqualTo(before);
            }
            own = own.restart(true);
            try (Pop3Client c = Pop3Client.tls(own.tlsPort()).login(alice, PASSWORD)) {
                assertThat(c.multi("UIDL")).isEqualTo(before);
            }
        } finally {
            own.close();
        }
    }

    @Test
    void wrongPasswordGetsAuthCodeAndTooManyClose() throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            c.command("USER " + user);
            assertThat(c.command("PASS wrong")).startsWith("-ERR [AUTH] ");
            assertThat(c.command("PASS " + PASSWORD)).isEqualTo("-ERR Send USER first");
            c.command("USER " + user);
            assertThat(c.command("PASS wrong")).startsWith("-ERR [AUTH] ");
            c.command("USER nobody@example.test");
            assertThat(c.command("PASS wrong")).startsWith("-ERR [AUTH] ");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void throttledLoginGetsSysTemp() throws Exception {
        restart(c -> c);
        var d = server.directory().config();
        server.directory().reconfigure(new org.facteur.auth.AuthConfig(d.mechanisms(), d.subaddressSeparator(), d.hashing(),
                new org.facteur.auth.AuthConfig.Throttling(0, Duration.ofMillis(1), Duration.ofMillis(1), 1000, 1,
                        Duration.ofMinutes(15)), d.external(), d.senderPermissions(), d.passwordCache(), d.recipientCache()));
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            c.command("USER " + user);
            assertThat(c.command("PASS wrong")).startsWith("-ERR [AUTH] ");
            // The account is now locked out: even the right password gets a temporary failure (RFC 3206 §4).
            c.command("USER " + user);
            assertThat(c.command("PASS " + PASSWORD)).startsWith("-ERR [SYS/TEMP] ");
        }
    }

    @Test
    void maildropIsLockedAgainstASecondPop3Session() throws Exception {
        try (Pop3Client first = alice(); Pop3Client second = Pop3Client.tls(server.tlsPort())) {
            second.command("USER " + user);
            assertThat(second.command("PASS " + PASSWORD)).startsWith("-ERR [IN-USE] ");
            // Bob's maildrop is another one.
            try (Pop3Client bob = Pop3Client.tls(server.tlsPort())) {
                bob.login(other, PASSWORD);
            }
            first.command("QUIT");
            assertThat(first.closedByServer()).isTrue();
            second.login(user, PASSWORD);
            assertThat(second.command("STAT")).startsWith("+OK 3 ");
        }
    }

    @Test
    void loginByAnotherAddressOpensAndLocksTheSameMaildrop() throws Exception {
        // The directory names the account; the lock and the store use that name, whatever the client typed.
        String alice = Pop3TestServer.ALICE;
        server.deliver(alice, message("for alice", "x\r\n"));
        try (Pop3Client byAlias = Pop3Client.tls(server.tlsPort())
                .login(org.facteur.auth.testing.TestDirectory.ALICE_ALIAS_ADDRESS, PASSWORD);
             Pop3Client byName = Pop3Client.tls(server.tlsPort())) {
            assertThat(byAlias.multi("TOP 1 0")).contains("Subject: for alice");
            byName.command("USER " + alice.toUpperCase(java.util.Locale.ROOT));
            assertThat(byName.command("PASS " + PASSWORD)).startsWith("-ERR [IN-USE] ");
            assertThat(byAlias.command("QUIT")).startsWith("+OK");
        }
    }

    @Test
    void droppedConnectionLeavesTheLockAndTheMailAlone() throws Exception {
        Pop3Client c = alice();
        c.command("DELE 1");
        c.command("DELE 2");
        assertThat(inbox(user).stream().filter(m -> m.has(Flags.DELETED))).hasSize(2);
        c.drop();
        waitFor(() -> server.server().lockedMaildrops() == 0);
        assertThat(inbox(user)).hasSize(3).noneMatch(m -> m.has(Flags.DELETED));
        try (Pop3Client again = alice()) {
            assertThat(again.command("STAT")).startsWith("+OK 3 ");
        }
    }

    @Test
    void snapshotAtLoginHidesLaterDeliveries() throws Exception {
        try (Pop3Client c = alice()) {
            server.deliver(user, message("late", "x\r\n"));
            assertThat(c.command("STAT")).startsWith("+OK 3 ");
            assertThat(c.command("RETR 4")).startsWith("-ERR");
            c.command("QUIT");
        }
        try (Pop3Client c = alice()) {
            assertThat(c.command("STAT")).startsWith("+OK 4 ");
        }
    }

    @Test
    void imapSessionSeesDeleteMarksAndTheExpunge() throws Exception {
        BlockingQueue<MailboxEvent> events = new LinkedBlockingQueue<>();
        try (Mailbox imap = server.store().account(user).open("INBOX", false, events::add)) {
            long firstUid = imap.messages().get(0).uid();
            try (Pop3Client c = alice()) {
                c.command("DELE 1");
                MailboxEvent flags = events.poll(5, TimeUnit.SECONDS);
                assertThat(flags).isInstanceOf(MailboxEvent.FlagsChanged.class);
                assertThat(((MailboxEvent.FlagsChanged) flags).messages().get(0).has(Flags.DELETED)).isTrue();
                // The IMAP user keeps working meanwhile.
                imap.store(List.of(imap.messages().get(2).uid()), org.facteur.storage.FlagChange.ADD, java.util.Set.of(Flags.FLAGGED), -1);
                assertThat(c.command("QUIT")).startsWith("+OK");
            }
            MailboxEvent expunged;
            do {
                expunged = events.poll(5, TimeUnit.SECONDS);
            } while (expunged != null && !(expunged instanceof MailboxEvent.Expunged));
            assertThat(expunged).isInstanceOf(MailboxEvent.Expunged.class);
            assertThat(((MailboxEvent.Expunged) expunged).uids()).containsExactly(firstUid);
        }
    }

    @Test
    void messageExpungedByImapMeanwhileIsAnErrorNotACrash() throws Exception {
        try (Pop3Client c = alice()) {
            try (Mailbox imap = server.store().account(user).open("INBOX", false, e -> { })) {
                imap.expunge(List.of(imap.messages().get(1).uid()));
            }
            assertThat(c.command("RETR 2")).isEqualTo("-ERR Message 2 was removed by another session");
            assertThat(c.command("TOP 2 0")).startsWith("-ERR");
            assertThat(c.command("DELE 2")).startsWith("+OK");
            assertThat(c.multi("RETR 3")).contains("Third");
            assertThat(c.command("QUIT")).startsWith("+OK");
        }
        assertThat(inbox(user)).hasSize(2);
    }

    @Test
    void leaveOnServerKeepsMessagesAndMarksThemSeen() throws Exception {
        restart(c -> Pop3TestServer.with(c, true, c.maxMessages(), c.limits()));
        try (Pop3Client c = alice()) {
            c.command("DELE 1");
            assertThat(c.command("STAT")).startsWith("+OK 2 ");
            assertThat(inbox(user).get(0).has(Flags.DELETED)).isFalse();
            assertThat(c.command("QUIT")).startsWith("+OK");
        }
        assertThat(inbox(user)).hasSize(3).first().matches(m -> m.has(Flags.SEEN) && !m.has(Flags.DELETED));
    }

    @Test
    void maxMessagesListsTheNewest() throws Exception {
        restart(c -> Pop3TestServer.with(c, false, 2, c.limits()));
        for (int i = 1; i <= 5; i++) {
            server.deliver(user, message("m" + i, "x\r\n"));
        }
        try (Pop3Client c = alice()) {
            assertThat(c.command("STAT")).startsWith("+OK 2 ");
            assertThat(c.multi("TOP 1 0")).contains("Subject: m4");
            assertThat(c.multi("TOP 2 0")).contains("Subject: m5");
        }
    }

    @Test
    void aReloadAppliesToTheNextConnection() throws Exception {
        restart(c -> c);
        try (Pop3Client before = alice()) {
            assertThat(before.command("STAT")).startsWith("+OK 3 ");
            server.reconfigure(c -> Pop3TestServer.with(c, c.leaveOnServer(), 1, c.limits()));
            assertThat(before.command("STAT")).startsWith("+OK 3 "); // a session keeps the config it started with
            before.command("QUIT");
        }
        try (Pop3Client after = alice()) {
            assertThat(after.command("STAT")).startsWith("+OK 1 ");
        }
    }

    @Test
    void messagesAlreadyMarkedDeletedByImapAreNotListed() throws Exception {
        try (Mailbox imap = server.store().account(user).open("INBOX", false, e -> { })) {
            imap.store(List.of(imap.messages().get(0).uid()), org.facteur.storage.FlagChange.ADD, java.util.Set.of(Flags.DELETED), -1);
        }
        try (Pop3Client c = alice()) {
            assertThat(c.command("STAT")).startsWith("+OK 2 ");
        }
    }

    @Test
    void idleSessionIsClosedWithoutUpdate() throws Exception {
        restart(c -> Pop3TestServer.with(c, false, 0,
                new Pop3Config.Pop3Limits(255, 12288, 3, 20, Duration.ofMillis(700))));
        try (Pop3Client c = alice()) {
            c.command("DELE 1");
            // RFC 1939 §3: closed without a response and without entering UPDATE.
            assertThat(c.closedByServer()).isTrue();
        }
        waitFor(() -> server.server().lockedMaildrops() == 0);
        assertThat(inbox(user)).hasSize(3).noneMatch(m -> m.has(Flags.DELETED));
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (Pop3Client c = alice()) {
            c.sendRaw("STAT\r\nLIST 1\r\nRETR 3\r\nNOOP\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readLine()).startsWith("+OK 3 ");
            assertThat(c.readLine()).startsWith("+OK 1 ");
            assertThat(c.readLine()).startsWith("+OK");
            assertThat(c.readMultiLine()).contains("Third");
            assertThat(c.readLine()).isEqualTo("+OK");
            assertThat(c.readLine()).startsWith("+OK Bye");
        }
    }

    @Test
    void utf8Command() throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            assertThat(c.command("UTF8")).isEqualTo("+OK UTF8 enabled");
            c.login(user, PASSWORD);
            assertThat(c.command("UTF8")).startsWith("-ERR");
        }
    }

    // --- SASL (RFC 5034) ---

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authPlainWithInitialResponse() throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            assertThat(c.command("AUTH PLAIN " + b64("\0" + user + "\0" + PASSWORD))).startsWith("+OK Logged in");
        }
    }

    @Test
    void authPlainAfterEmptyChallenge() throws Exception {
        try (Pop3Client c = Pop3Client.plain(server.stlsPort()).stls()) {
            assertThat(c.command("auth plain")).isEqualTo("+ ");
            assertThat(c.command(b64("\0" + user + "\0" + PASSWORD))).startsWith("+OK");
        }
    }

    @Test
    void authLogin() throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            assertThat(c.command("AUTH LOGIN")).isEqualTo("+ " + b64("Username:"));
            assertThat(c.command(b64(user))).isEqualTo("+ " + b64("Password:"));
            assertThat(c.command(b64(PASSWORD))).startsWith("+OK");
        }
    }

    @Test
    void authExternalWithClientCertificate() throws Exception {
        var context = TestPki.shared().clientContext("CN=Test User", user);
        try (Pop3Client c = Pop3Client.tls(server.tlsPort(), context)) {
            assertThat(c.multi("CAPA")).anyMatch(l -> l.startsWith("SASL ") && l.contains("EXTERNAL"));
            assertThat(c.command("AUTH EXTERNAL =")).startsWith("+OK");
        }
        try (Pop3Client c = Pop3Client.plain(server.stlsPort()).stls(context)) {
            assertThat(c.command("AUTH EXTERNAL")).isEqualTo("+ ");
            assertThat(c.command(b64(user))).startsWith("+OK");
        }
    }

    @Test
    void authExternalWithoutCertificateIsRefused() throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            assertThat(c.command("AUTH EXTERNAL =")).startsWith("-ERR Unsupported");
            assertThat(c.multi("CAPA")).noneMatch(l -> l.contains("EXTERNAL"));
        }
    }

    @Test
    void authScramSha256SendsTheServerSignatureAsALastChallenge() throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            SaslClients.Scram scram = new SaslClients.Scram(user, PASSWORD);
            String serverFirst = c.command("AUTH SCRAM-SHA-256 " + Base64.getEncoder().encodeToString(scram.clientFirst()));
            assertThat(serverFirst).startsWith("+ ");
            byte[] clientFinal = scram.clientFinal(Base64.getDecoder().decode(serverFirst.substring(2)));
            String serverFinal = c.command(Base64.getEncoder().encodeToString(clientFinal));
            // RFC 5034 §4: additional data with success goes in a last challenge, answered by an empty line.
            assertThat(serverFinal).startsWith("+ ");
            assertThat(scram.verifyServerFinal(Base64.getDecoder().decode(serverFinal.substring(2)))).isTrue();
            assertThat(c.command("")).startsWith("+OK Logged in");
        }
    }

    @Test
    void authScramSha256WithoutInitialResponse() throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            SaslClients.Scram scram = new SaslClients.Scram(other, PASSWORD);
            assertThat(c.command("AUTH SCRAM-SHA-256")).isEqualTo("+ ");
            String serverFirst = c.command(Base64.getEncoder().encodeToString(scram.clientFirst()));
            String serverFinal = c.command(Base64.getEncoder().encodeToString(
                    scram.clientFinal(Base64.getDecoder().decode(serverFirst.substring(2)))));
            assertThat(scram.verifyServerFinal(Base64.getDecoder().decode(serverFinal.substring(2)))).isTrue();
            assertThat(c.command("")).startsWith("+OK");
        }
    }

    @Test
    void authScramSha256WithWrongPassword() throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            SaslClients.Scram scram = new SaslClients.Scram(user, "wrong");
            String serverFirst = c.command("AUTH SCRAM-SHA-256 " + Base64.getEncoder().encodeToString(scram.clientFirst()));
            String answer = c.command(Base64.getEncoder().encodeToString(
                    scram.clientFinal(Base64.getDecoder().decode(serverFirst.substring(2)))));
            assertThat(answer).startsWith("-ERR [AUTH] ");
        }
    }

    @Test
    void authCramMd5() throws Exception {
        try (Pop3Client c = Pop3Client.plain(server.stlsPort()).stls()) {
            String challenge = c.command("AUTH CRAM-MD5");
            assertThat(challenge).startsWith("+ ");
            byte[] response = SaslClients.cramMd5(user, PASSWORD, Base64.getDecoder().decode(challenge.substring(2)));
            assertThat(c.command(Base64.getEncoder().encodeToString(response))).startsWith("+OK Logged in");
        }
    }

    @Test
    void authCancelAndGarbage() throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            assertThat(c.multi("AUTH")).contains("PLAIN", "LOGIN");
            c.command("AUTH LOGIN");
            assertThat(c.command("*")).startsWith("-ERR [AUTH] Authentication cancelled");
            assertThat(c.command("AUTH PLAIN !!!notbase64")).startsWith("-ERR");
            assertThat(c.command("AUTH NOSUCH")).startsWith("-ERR Unsupported");
            c.command("AUTH PLAIN");
            assertThat(c.command("@@@")).startsWith("-ERR [AUTH]");
            // After two failures and one cancel the connection is closed (authFailures = 3).
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void authPlainWithWrongPassword() throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            assertThat(c.command("AUTH PLAIN " + b64("\0" + user + "\0wrong"))).startsWith("-ERR [AUTH] ");
            assertThat(c.command("STAT")).startsWith("-ERR");
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.sleep(20);
        }
    }
}
