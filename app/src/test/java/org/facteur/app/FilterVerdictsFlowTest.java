package org.facteur.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.facteur.auth.H2Directory;
import org.facteur.config.YamlConfig;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.quarantine.Quarantine;
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
 * The filters' end-of-data verdicts as a sender and the recipients see them, over real SMTP with STARTTLS into
 * the running server, read back over IMAPS: one transaction to several local accounts gives each its own
 * verdict (INBOX or Junk, its own X-Spam-Status); a recipient whose policy refuses gets its copy held while
 * the others accept; a filter that hangs (a clamd that never answers) gets the fallback's 4xx at its deadline,
 * and {@code facteur reload} changes the deadline and the fallback for the next message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FilterVerdictsFlowTest {

    private static final String DOMAIN = "verdicts.test";
    private static final String ALICE = "alice@" + DOMAIN;
    private static final String BOB = "bob@" + DOMAIN;
    private static final String CAROL = "carol@" + DOMAIN;
    private static final String DAVE = "dave@" + DOMAIN;
    /** Refuses spam (an override), where the others file it in Junk. */
    private static final String ERIN = "erin@" + DOMAIN;
    private static final String PASSWORD = "correct horse battery staple";
    private static final String SENDER = "news@elsewhere.example";
    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    @TempDir
    static Path dir;

    private Facteur facteur;
    private MailClients clients;
    private TestDns dns;
    private ConfigLocation location;
    private ServerSocket silentClamd;
    private final List<Socket> held = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        dns = new TestDns();
        location = ConfigLocation.of(null, dir.resolve("data"));
        Setup.Prepared prepared = Setup.prepare(location,
                c -> ConfigTrees.map(PortPolicy.ephemeral(c), this::asFromTheInternet), Optional.empty());
        facteur = Facteur.start(location);
        X509Certificate certificate = TlsContexts.readCertificates(
                prepared.layout().certificate(prepared.config().tls())).getFirst();
        clients = new MailClients(facteur, certificate, PASSWORD);
        try (H2Directory directory = H2Directory.openInDataDirectory(facteur.layout().database(),
                () -> facteur.config().auth())) {
            directory.addDomain(DOMAIN);
            for (String account : List.of(ALICE, BOB, CAROL, DAVE, ERIN)) {
                directory.addAccount(account, PASSWORD, false);
            }
        }
    }

    /** Loopback only and not trusted (every filter applies); DNS from the tests' responder; Erin refuses spam. */
    private Object asFromTheInternet(String path, java.lang.reflect.RecordComponent component, Object value) {
        return switch (path) {
            case "filters.dns.resolver" -> dns.address();
            case "filters.overrides" -> List.of(new FilterConfig.Override(ERIN, Optional.empty(),
                    Optional.of(FilterConfig.SpamAction.REJECT), List.of()));
            default -> switch (component.getName()) {
                case "address" -> "0.0.0.0".equals(value) ? "127.0.0.1" : value;
                case "trustedNetworks" -> List.of();
                default -> value;
            };
        };
    }

    @AfterAll
    void stop() throws Exception {
        if (facteur != null) {
            facteur.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (silentClamd != null) {
            silentClamd.close();
        }
        for (Socket s : held) {
            s.close();
        }
    }

    @Test
    @Order(1)
    void oneTransactionToTwoAccountsWhoseBayesDisagreeEndsInInboxForOneAndJunkForTheOther() throws Exception {
        // Alice's database learnt that casino mail is spam; Bob's, that it is what he wants (he runs a casino).
        for (int i = 0; i < 25; i++) {
            train(casino(i), true, ALICE);
            train(meeting(i), false, ALICE);
            train(casino(i), false, BOB);
            train(meeting(i), true, BOB);
        }
        clients.send(clients.smtpSession("smtp", false), SENDER, List.of(ALICE, BOB), "Your casino jackpot",
                "Claim your casino jackpot bonus now, lucky winner: free spins and roulette chips await.");

        Message alices = only(clients.awaitMessages(ALICE, "Junk", 1));
        Message bobs = only(clients.awaitMessages(BOB, "INBOX", 1));
        assertThat(clients.count(ALICE, "INBOX")).isZero();
        assertThat(clients.count(BOB, "Junk")).isZero();
        assertThat(alices.getHeader("X-Spam-Status")).singleElement().asString().startsWith("Yes").contains("BAYES_99");
        assertThat(bobs.getHeader("X-Spam-Status")).singleElement().asString().startsWith("No").contains("BAYES_00");
        assertThat(String.join("\n", alices.getHeader("X-Spam-Report"))).contains("casino");
    }

    @Test
    @Order(2)
    void oneTransactionToTwoAccountsWhoseListsDisagree() throws Exception {
        facteur.filters().senderLists().put(CAROL, "elsewhere.example", false);
        facteur.filters().senderLists().put(DAVE, SENDER, true);
        clients.send(clients.smtpSession("smtp", false), SENDER, List.of(CAROL, DAVE), "Newsletter", "This week's news.");

        Message carols = only(clients.awaitMessages(CAROL, "Junk", 1));
        Message daves = only(clients.awaitMessages(DAVE, "INBOX", 1));
        assertThat(carols.getHeader("X-Spam-Status")).singleElement().asString().startsWith("Yes").contains("USER_BLOCKLIST")
                .doesNotContain("USER_ALLOWLIST");
        assertThat(daves.getHeader("X-Spam-Status")).singleElement().asString().startsWith("No").contains("USER_ALLOWLIST")
                .doesNotContain("USER_BLOCKLIST");
    }

    @Test
    @Order(3)
    void aRecipientWhosePolicyRefusesGetsItsCopyHeldWhileTheOtherAccepts() throws Exception {
        Quarantine quarantine = facteur.filters().quarantine();
        int heldBefore = quarantine.list().size();
        clients.send(clients.smtpSession("smtp", false), SENDER, List.of(ERIN, DAVE), "Test spam", GTUBE);

        only(clients.awaitMessages(DAVE, "Junk", 1));
        assertThat(clients.count(ERIN, "INBOX") + clients.count(ERIN, "Junk")).isZero();
        List<Quarantine.Entry> entries = quarantine.list();
        assertThat(entries).hasSize(heldBefore + 1);
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.recipients()).containsExactly(ERIN);
            assertThat(e.reason()).contains("refused by the recipient's policy");
        });

        // Alone, Erin's refusal is the one SMTP reply (RFC 5321 §3.3).
        assertThatThrownBy(() -> clients.send(clients.smtpSession("smtp", false), SENDER, ERIN, "Test spam", GTUBE))
                .isInstanceOf(MessagingException.class)
                .hasStackTraceContaining("550");
        assertThat(quarantine.list()).hasSize(heldBefore + 1);
    }

    @Test
    @Order(4)
    void aClamdThatNeverAnswersGetsTheFallbacks4xxAtTheDeadlineAndNothingIsDelivered() throws Exception {
        silentClamd = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Socket s = silentClamd.accept(); // accepts, reads nothing, answers nothing
                    synchronized (held) {
                        held.add(s);
                    }
                }
            } catch (java.io.IOException closed) {
                // the test is over
            }
        });
        reload(f -> f.replace("clamav.enabled", true)
                .replace("clamav.address", "127.0.0.1:" + silentClamd.getLocalPort())
                .replace("clamav.timeout", Duration.ofMinutes(5))
                .replace("filter-timeout", Duration.ofSeconds(2)));
        assertThat(facteur.config().filters().filterTimeout()).isEqualTo(Duration.ofSeconds(2));

        int before = clients.count(ALICE, "INBOX");
        long start = System.nanoTime();
        assertThatThrownBy(() -> clients.send(clients.smtpSession("smtp", false), SENDER, ALICE, "Hello", "Are you there?"))
                .isInstanceOf(MessagingException.class)
                .hasStackTraceContaining("451 4.3.0");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // the deadline (2 s), not clamd's own timeout (5 min) nor the client's (30 s)
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(held).isNotEmpty();
        // refused with a 4xx: the sender keeps the message and retries; nothing was delivered
        assertThat(clients.count(ALICE, "INBOX")).isEqualTo(before);
        assertThat(clients.count(ALICE, "Junk")).isEqualTo(1);
    }

    @Test
    @Order(5)
    void reloadingTheFallbackToAcceptDeliversTheNextMessageJudgedByTheOtherFilters() throws Exception {
        reload(f -> f.replace("fallback", FilterConfig.FallbackAction.ACCEPT));
        assertThat(facteur.config().filters().fallback()).isEqualTo(FilterConfig.FallbackAction.ACCEPT);

        int before = clients.count(DAVE, "INBOX");
        clients.send(clients.smtpSession("smtp", false), SENDER, DAVE, "Unscanned", "Hello Dave.");
        Message received = Arrays.stream(clients.awaitMessages(DAVE, "INBOX", before + 1))
                .filter(m -> MailClients.subjectOf(m).equals("Unscanned")).findFirst().orElseThrow();
        // clamd was skipped; Dave's allow list and the verdict still ran
        assertThat(received.getHeader("X-Spam-Status")).singleElement().asString().startsWith("No")
                .contains("USER_ALLOWLIST");

        reload(f -> f.replace("clamav.enabled", false).replace("fallback", FilterConfig.FallbackAction.TEMPFAIL));
        assertThat(facteur.config().filters().clamav().enabled()).isFalse();
    }

    // --- helpers ------------------------------------------------------------------------------------------

    private void train(String message, boolean spam, String account) throws Exception {
        facteur.filters().trainer().train(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), spam, account);
    }

    private static String casino(int i) {
        return "From: promo" + i + "@casino.example\r\nSubject: casino jackpot bonus " + i + "\r\n\r\n"
                + "Casino jackpot bonus for the lucky winner, free spins, roulette chips, poker ref" + i + "\r\n";
    }

    private static String meeting(int i) {
        return "From: colleague" + i + "@office.example\r\nSubject: meeting agenda " + i + "\r\n\r\n"
                + "The budget review meeting agenda, minutes and project schedule, item ref" + i + "\r\n";
    }

    private static Message only(Message[] messages) {
        assertThat(messages).hasSize(1);
        return messages[0];
    }

    /** An edit of the {@code filters:} section of facteur.yaml, by key path below it. */
    private static final class FiltersEdit {
        private final java.util.Map<String, Object> changes = new java.util.LinkedHashMap<>();

        FiltersEdit replace(String key, Object value) {
            changes.put("filters." + key, value);
            return this;
        }
    }

    /** Rewrites facteur.yaml with {@code edit} and asks the running server to reload it, as {@code facteur reload}. */
    private void reload(Function<FiltersEdit, FiltersEdit> edit) throws Exception {
        FiltersEdit changes = edit.apply(new FiltersEdit());
        FacteurConfig written = YamlConfig.load(location.file(), FacteurConfig.class);
        Setup.writeConfig(location.file(), ConfigTrees.map(written,
                (path, component, value) -> changes.changes.getOrDefault(path, value)));
        Optional<String> answer = ReloadControl.request(facteur.layout(), Duration.ofSeconds(60));
        // the file watcher may have applied it first: then the request finds it unchanged
        assertThat(answer).hasValueSatisfying(a -> assertThat(a).startsWith("configuration").doesNotContain("REFUSED"));
    }
}
