package org.facteur.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.facteur.auth.H2Directory;
import org.facteur.filters.FilterConfig;
import org.facteur.net.TlsContexts;
import org.facteur.net.testing.TestDns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message's whole journey through the one JVM, with real clients over real TLS: received on port 25 and on
 * submission, judged by the filter chain, stored in the maildir, read over IMAPS and retrieved and deleted over
 * POP3S while an IMAP session has the same INBOX selected and sees the deletion. Every part is the one {@code ./facteur start} runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailFlowTest {

    private static final String DOMAIN = "flow.test";
    private static final String ALICE = "alice@" + DOMAIN;
    private static final String BOB = "bob@" + DOMAIN;
    private static final String PASSWORD = "correct horse battery staple";
    // SpamAssassin's GTUBE: any filter setup must mark a message carrying it as spam.
    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    @TempDir
    static Path dir;

    // The tests' blocklists, on the loopback DNS responder: clients 127.0.0.2 (scored) and 127.0.0.3 (refused).
    private static final String SCORING_ZONE = "score.bl.flow.test";
    private static final String REFUSING_ZONE = "refuse.bl.flow.test";

    private Facteur facteur;
    private MailClients clients;
    private SSLSocketFactory trusting;
    private TestDns dns;

    @BeforeAll
    void start() throws Exception {
        dns = new TestDns()
                .a("2.0.0.127." + SCORING_ZONE, "127.0.0.2")
                .a("3.0.0.127." + REFUSING_ZONE, "127.0.0.2");
        ConfigLocation location = ConfigLocation.of(null, dir.resolve("data"));
        Setup.Prepared prepared = Setup.prepare(location,
                c -> ConfigTrees.map(PortPolicy.ephemeral(c), this::asFromTheInternet),
                Optional.empty());
        facteur = Facteur.start(location);
        X509Certificate certificate = TlsContexts.readCertificates(
                prepared.layout().certificate(prepared.config().tls())).getFirst();
        clients = new MailClients(facteur, certificate, PASSWORD);
        trusting = clients.trusting();
        // The admin CLI's path: the directory opened beside the running server (H2 AUTO_SERVER).
        try (H2Directory directory = H2Directory.openInDataDirectory(facteur.layout().database(),
                () -> facteur.config().auth())) {
            directory.addDomain(DOMAIN);
            directory.addAccount(ALICE, PASSWORD, false);
            directory.addAccount(BOB, PASSWORD, false);
        }
    }

    /**
     * Loopback listeners only, and loopback not trusted: the test client must be judged as a stranger from the
     * internet would be (no relaying, every filter applied). DNS from the tests' responder, with two blocklists.
     */
    private Object asFromTheInternet(String path, java.lang.reflect.RecordComponent component, Object value) {
        return switch (path) {
            case "filters.dns.resolver" -> dns.address();
            case "filters.dnsbl.zones" -> List.of(
                    new FilterConfig.DnsZone(SCORING_ZONE, 2.5, List.of(), false),
                    new FilterConfig.DnsZone(REFUSING_ZONE, 5.0, List.of("127.0.0.2"), true));
            default -> switch (component.getName()) {
                case "address" -> "0.0.0.0".equals(value) ? "127.0.0.1" : value;
                case "trustedNetworks" -> List.of();
                default -> value;
            };
        };
    }

    @AfterAll
    void stop() {
        if (facteur != null) {
            facteur.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    @Order(1)
    void mailFromTheInternetReachesTheInbox() throws Exception {
        send(smtpSession("smtp", false), "sender@elsewhere.example", BOB, "From the internet", "Hello Bob.");
        Message[] inbox = awaitMessages(BOB, "INBOX", 1);
        MimeMessage message = (MimeMessage) inbox[0];
        assertThat(message.getSubject()).isEqualTo("From the internet");
        assertThat(message.getHeader("Received")[0]).contains("TLS");
        assertThat(message.getHeader("X-Spam-Status")).isNotNull();
        assertThat(message.getHeader("X-Spam-Status")[0]).startsWith("No");
        assertThat(message.getHeader("Return-Path")[0]).contains("sender@elsewhere.example");
    }

    @Test
    @Order(2)
    void submissionRelaysOnlyForAuthenticatedUsers() throws Exception {
        send(smtpSession("submission", true), ALICE, BOB, "From Alice", "Hello again.");
        awaitMessages(BOB, "INBOX", 2);
        // RFC 5321 §3.6.2: no relaying for strangers on port 25.
        assertThatThrownBy(() -> send(smtpSession("smtp", false), "sender@elsewhere.example",
                "victim@elsewhere.example", "Relay me", "Spam."))
                .isInstanceOf(MessagingException.class)
                .hasStackTraceContaining("554");
    }

    @Test
    @Order(3)
    void spamLandsInJunkWithItsReasons() throws Exception {
        send(smtpSession("smtp", false), "sender@elsewhere.example", BOB, "Test spam", GTUBE);
        Message[] junk = awaitMessages(BOB, "Junk", 1);
        assertThat(junk[0].getHeader("X-Spam-Status")[0]).startsWith("Yes");
        assertThat(String.join("\n", junk[0].getHeader("X-Spam-Report"))).containsIgnoringCase("GTUBE");
        assertThat(count(BOB, "INBOX")).isEqualTo(2);
    }

    @Test
    @Order(4)
    void pop3DeletesWhileAnImapSessionWatchesTheSameInbox() throws Exception {
        // Bob's phone keeps INBOX selected over IMAP while an old client fetches and deletes over POP3.
        try (RawImap watching = new RawImap(trusting, port("imaps"))) {
            watching.command("LOGIN " + BOB + " \"" + PASSWORD + "\"");
            assertThat(watching.command("SELECT INBOX")).contains("* 2 EXISTS");

            Store pop3 = Session.getInstance(pop3Properties()).getStore("pop3s");
            pop3.connect("localhost", port("pop3s"), BOB, PASSWORD);
            Folder inbox = pop3.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertThat(inbox.getMessageCount()).isEqualTo(2);
            assertThat(inbox.getMessage(1).getSubject()).isEqualTo("From the internet");
            inbox.getMessage(1).setFlag(jakarta.mail.Flags.Flag.DELETED, true);
            inbox.close(true); // QUIT: RFC 1939 §6, the UPDATE state expunges
            pop3.close();

            // RFC 9051 §7.5.1: the selected session is told at its next command.
            assertThat(watching.command("NOOP")).contains("* 1 EXPUNGE");
        }
        assertThat(count(BOB, "INBOX")).isEqualTo(1);
    }

    @Test
    @Order(5)
    void movingMailIntoJunkOverImapTrainsBayes() throws Exception {
        org.facteur.filters.bayes.TokenStore tokens = facteur.filters().bayes().store();
        int before = tokens.totals(List.of(BOB)).spam();
        Store imap = imapStore(BOB);
        org.eclipse.angus.mail.imap.IMAPFolder inbox = (org.eclipse.angus.mail.imap.IMAPFolder) imap.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        assertThat(inbox.getMessageCount()).isEqualTo(1);
        inbox.moveMessages(inbox.getMessages(), imap.getFolder("Junk")); // RFC 6851 MOVE
        inbox.close(false);
        imap.close();
        // The store tells its reclassification listener; the trainer learns the message as spam for Bob.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (tokens.totals(List.of(BOB)).spam() <= before && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(tokens.totals(List.of(BOB)).spam()).isEqualTo(before + 1);
        assertThat(count(BOB, "Junk")).isEqualTo(2);
    }

    @Test
    @Order(6)
    void adminCommandsBesideTheRunningServer() {
        String data = dir.resolve("data").toString();
        // Plain files and the AUTO_SERVER directory: fine while the server runs.
        assertThat(cli("queue", "list", "--json", "--data", data)).isZero();
        assertThat(cli("quarantine", "list", "--json", "--data", data)).isZero();
        assertThat(cli("dns-records", DOMAIN, "--data", data)).isZero();
        // (The index and filter databases are embedded H2: another process is refused by the file lock, but
        // inside this JVM H2 would share the open database, so that refusal cannot be shown here.)
    }

    @Test
    @Order(7)
    void movingMailOutOfJunkTrainsItAsHam() throws Exception {
        org.facteur.filters.bayes.TokenStore tokens = facteur.filters().bayes().store();
        int before = tokens.totals(List.of(BOB)).ham();
        Store imap = imapStore(BOB);
        org.eclipse.angus.mail.imap.IMAPFolder junk = (org.eclipse.angus.mail.imap.IMAPFolder) imap.getFolder("Junk");
        junk.open(Folder.READ_WRITE);
        Message wanted = java.util.Arrays.stream(junk.getMessages())
                .filter(m -> {
                    try {
                        return !"Test spam".equals(m.getSubject());
                    } catch (MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                }).findFirst().orElseThrow();
        junk.moveMessages(new Message[] {wanted}, imap.getFolder("INBOX")); // "Not spam"
        junk.close(false);
        imap.close();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (tokens.totals(List.of(BOB)).ham() <= before && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(tokens.totals(List.of(BOB)).ham()).isEqualTo(before + 1);
    }

    /** `facteur user quota` beside the running server: the next RCPT already sees it (RFC 3463 4.2.2). */
    @Test
    @Order(8)
    void anAccountsOwnQuotaSetByTheCliAppliesAtOnce() throws Exception {
        String data = dir.resolve("data").toString();
        int before = count(ALICE, "INBOX");
        assertThat(cli("user", "quota", ALICE, "--messages", Integer.toString(before), "--data", data)).isZero();
        assertThatThrownBy(() -> send(smtpSession("smtp", false), "sender@elsewhere.example", ALICE, "Full?", "No room."))
                .isInstanceOf(MessagingException.class)
                .hasStackTraceContaining("452")
                .hasStackTraceContaining("4.2.2");
        assertThat(cli("user", "quota", ALICE, "--messages", "default", "--data", data)).isZero();
        send(smtpSession("smtp", false), "sender@elsewhere.example", ALICE, "Room again", "Hello.");
        awaitMessages(ALICE, "INBOX", before + 1);
    }

    /** Settings a user saves in the webmail apply to the next message: the filters' and the SMTP server's reads. */
    @Test
    @Order(20)
    void usersOwnSettingsKeepSpamInTheInboxAndSendTheVacationReply() throws Exception {
        try (H2Directory directory = H2Directory.openInDataDirectory(facteur.layout().database(),
                () -> facteur.config().auth())) {
            directory.settings().save(BOB, new org.facteur.auth.settings.UserSettings("Bob", "", "", Optional.empty(),
                    org.facteur.auth.settings.UserSettings.SpamPlacement.INBOX));
            directory.settings().saveVacation(ALICE, new org.facteur.auth.settings.Vacation(true, "Away", "Back soon.",
                    null, null));
        }
        try {
            int bobs = count(BOB, "INBOX");
            send(smtpSession("smtp", false), "sender@elsewhere.example", BOB, "Tagged spam", GTUBE);
            awaitMessages(BOB, "INBOX", bobs + 1);
            send(smtpSession("submission", true), BOB, ALICE, "Are you there?", "Hello Alice.");
            MimeMessage reply = (MimeMessage) Arrays.stream(awaitMessages(BOB, "INBOX", bobs + 2))
                    .filter(m -> subjectOf(m).equals("Away")).findFirst().orElseThrow();
            assertThat(reply.getHeader("Auto-Submitted")[0]).isEqualTo("auto-replied");
            assertThat(reply.getHeader("Return-Path")[0]).isEqualTo("<>");
            assertThat(reply.getFrom()[0].toString()).isEqualTo(ALICE);
        } finally {
            // Later tests write to Alice from outside: no reply may head for a remote MX (loopback only here).
            try (H2Directory directory = H2Directory.openInDataDirectory(facteur.layout().database(),
                    () -> facteur.config().auth())) {
                directory.settings().saveVacation(ALICE, org.facteur.auth.settings.Vacation.OFF);
                directory.settings().save(BOB, org.facteur.auth.settings.UserSettings.DEFAULT);
            }
        }
    }

    private static int cli(String... args) {
        picocli.CommandLine line = org.facteur.app.cli.FacteurCommand.commandLine();
        line.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
        line.setErr(new java.io.PrintWriter(new java.io.StringWriter(), true));
        return line.execute(args);
    }

    /** IMAP at the protocol level, to see exactly which untagged responses a selected session is sent. */
    private static final class RawImap implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.BufferedReader in;
        private int tag;

        RawImap(SSLSocketFactory tls, int port) throws java.io.IOException {
            socket = tls.createSocket("localhost", port);
            socket.setSoTimeout(30_000);
            in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("* OK");
        }

        /** Sends one command and returns every line up to and including its tagged OK. */
        List<String> command(String command) throws java.io.IOException {
            String t = "t" + ++tag;
            socket.getOutputStream().write((t + " " + command + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            List<String> lines = new java.util.ArrayList<>();
            String line;
            do {
                line = in.readLine();
                lines.add(line);
            } while (line != null && !line.startsWith(t + " "));
            assertThat(line).startsWith(t + " OK");
            return lines;
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    private Properties pop3Properties() {
        Properties p = new Properties();
        p.put("mail.pop3s.ssl.socketFactory", trusting);
        p.put("mail.pop3s.timeout", "30000");
        return p;
    }

    @Test
    @Order(9)
    void aClientOnAScoringBlocklistIsDeliveredWithTheListingInItsReport() throws Exception {
        int before = count(BOB, "INBOX");
        send(smtpSession("smtp", false, "127.0.0.2"), "sender@elsewhere.example", BOB, "Listed", "Hello.");
        Message received = Arrays.stream(awaitMessages(BOB, "INBOX", before + 1))
                .filter(m -> subjectOf(m).equals("Listed")).findFirst().orElseThrow();
        String report = String.join("\n", received.getHeader("X-Spam-Report"));
        assertThat(report).contains("DNSBL_SCORE_BL_FLOW_TEST").contains("127.0.0.2");
    }

    @Test
    @Order(10)
    void aClientOnARefusingBlocklistIsTurnedAwayNamingTheList() {
        // RFC 5782 §2.1: a policy refusal that names the list, so the sender can act on it
        assertThatThrownBy(() -> send(smtpSession("smtp", false, "127.0.0.3"), "sender@elsewhere.example", BOB,
                "Refused", "Hello."))
                .isInstanceOf(MessagingException.class)
                .hasStackTraceContaining("554 5.7.1")
                .hasStackTraceContaining(REFUSING_ZONE);
    }

    @Test
    @Order(99)
    void forgedVerdictAndAuthenticationResultsAreRemoved() throws Exception {
        String ours = facteur.config().filters().effectiveAuthservId();
        Session session = smtpSession("smtp", false);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("sender@elsewhere.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(ALICE));
        message.setSubject("Forged");
        message.setText("Trust me.");
        int before = count(ALICE, "INBOX"); // earlier tests may have left mail there
        message.addHeader("X-Spam-Status", "No, score=-100.0 required=5.0 tests=FORGED");
        message.addHeader("X-Spam-Flag", "NO");
        message.addHeader("Authentication-Results", ours + "; dkim=pass header.d=bank.example");
        message.addHeader("Authentication-Results", "relay.elsewhere.example; spf=pass smtp.mailfrom=elsewhere.example");
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(message, message.getAllRecipients());
        }
        MimeMessage received = (MimeMessage) Arrays.stream(awaitMessages(ALICE, "INBOX", before + 1))
                .filter(m -> subjectOf(m).equals("Forged"))
                .findFirst()
                .orElseThrow();
        // RFC 8601 §5: ours are removed before we add our own; another server's stay.
        assertThat(received.getHeader("X-Spam-Status")).hasSize(1);
        assertThat(received.getHeader("X-Spam-Status")[0]).doesNotContain("FORGED");
        assertThat(received.getHeader("X-Spam-Flag")).isNull();
        assertThat(received.getHeader("Authentication-Results"))
                .noneMatch(v -> v.contains("bank.example"))
                .anyMatch(v -> v.startsWith(ours))
                .anyMatch(v -> v.startsWith("relay.elsewhere.example"));
        assertThat(received.getContent().toString()).contains("Trust me.");
    }

    // --- clients: the shared ones of MailClients --------------------------------------------------------

    private Session smtpSession(String endpoint, boolean authenticate) {
        return clients.smtpSession(endpoint, authenticate);
    }

    private Session smtpSession(String endpoint, boolean authenticate, String clientAddress) {
        return clients.smtpSession(endpoint, authenticate, clientAddress);
    }

    private void send(Session session, String from, String to, String subject, String body) throws Exception {
        clients.send(session, from, to, subject, body);
    }

    private Message[] awaitMessages(String user, String folder, int expected) throws Exception {
        return clients.awaitMessages(user, folder, expected);
    }

    private static String subjectOf(Message message) {
        return MailClients.subjectOf(message);
    }

    private int count(String user, String folder) throws Exception {
        return clients.count(user, folder);
    }

    private Store imapStore(String user) throws Exception {
        return clients.imapStore(user);
    }

    private int port(String endpoint) {
        return clients.port(endpoint);
    }
}
