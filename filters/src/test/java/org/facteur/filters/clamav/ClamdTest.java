package org.facteur.filters.clamav;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.facteur.auth.Recipient;
import org.facteur.filters.FilterChain;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Filters;
import org.facteur.filters.MessageData;
import org.facteur.filters.Verdict;
import org.facteur.filters.attachments.AttachmentFilterTest;
import org.facteur.filters.testing.Configs;
import org.facteur.filters.testing.Messages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real clamd (Debian's clamav-daemon), started offline with a one-signature database this test writes
 * (EICAR as an .ndb body signature). Skipped only when clamd is not installed.
 */
class ClamdTest {

    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    static final Path CLAMD = Path.of("/usr/sbin/clamd");

    @TempDir
    static Path dir;
    static Process clamd;
    static Path socket;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CLAMD), "clamd is not installed (Debian package clamav-daemon)");
        Path db = Files.createDirectories(dir.resolve("db"));
        Files.writeString(db.resolve("facteur-test.ndb"),
                "Facteur-Test-EICAR:0:*:" + HexFormat.of().formatHex(EICAR.getBytes(StandardCharsets.US_ASCII)) + "\n");
        socket = dir.resolve("clamd.sock");
        Path conf = dir.resolve("clamd.conf");
        Files.writeString(conf, String.join("\n",
                "LocalSocket " + socket,
                "Foreground yes",
                "DatabaseDirectory " + db,
                "LogFile " + dir.resolve("clamd.log"),
                "PidFile " + dir.resolve("clamd.pid"),
                "User " + System.getProperty("user.name"),
                "ScanMail yes",
                "StreamMaxLength 10M",
                "") );
        clamd = new ProcessBuilder(CLAMD.toString(), "--config-file=" + conf).redirectErrorStream(true)
                .redirectOutput(dir.resolve("clamd.out").toFile()).start();
        ClamdClient client = new ClamdClient(socket.toString(), Duration.ofSeconds(2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket)) {
                try {
                    if ("PONG".equals(client.ping())) {
                        return;
                    }
                } catch (Exception e) {
                    // not ready yet
                }
            }
            if (!clamd.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("clamd did not start: " + Files.readString(dir.resolve("clamd.out")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (clamd != null) {
            clamd.destroy();
            clamd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private FilterConfig config(String address, boolean optional, FilterConfig.VirusAction action) {
        FilterConfig c = Configs.defaults();
        return Configs.with(c, "clamav", Configs.with(c.clamav(), "enabled", true, "address", address,
                "optional", optional, "action", action, "timeout", Duration.ofSeconds(10)));
    }

    private static Verdict scan(Filters f, MessageData m) throws Exception {
        FilterContext ctx = Messages.mta("198.51.100.7");
        f.chain().mailFrom(ctx, "a@sender.example");
        f.chain().rcptTo(ctx, "bob@example.org", new Recipient.Local(List.of("bob@example.org"), null));
        return f.chain().data(ctx, m).verdict();
    }

    @Test
    void eicarAttachmentIsCaughtAndCleanMailPasses() throws Exception {
        ClamdClient client = new ClamdClient(socket.toString(), Duration.ofSeconds(10));
        assertThat(client.scan(new ByteArrayInputStream(EICAR.getBytes(StandardCharsets.US_ASCII))).signature())
                .startsWith("Facteur-Test-EICAR");
        FilterConfig config = config(socket.toString(), false, FilterConfig.VirusAction.REJECT);
        try (Filters f = Filters.builder(() -> config).dataDir(dir).build()) {
            String infected = AttachmentFilterTest.message("eicar.txt", "text/plain", EICAR.getBytes(StandardCharsets.US_ASCII));
            Verdict v = scan(f, Messages.write(dir, "v.eml", infected));
            assertThat(v.action()).isEqualTo(Verdict.Action.REJECT);
            assertThat(v.text()).contains("Facteur-Test-EICAR");
            Verdict clean = scan(f, Messages.write(dir, "c.eml", "Subject: hi\n\nnothing here\n"));
            assertThat(clean.action()).isEqualTo(Verdict.Action.CONTINUE);
        }
        FilterConfig quarantine = config(socket.toString(), false, FilterConfig.VirusAction.QUARANTINE);
        try (Filters f = Filters.builder(() -> quarantine).dataDir(dir.resolve("q")).build()) {
            String infected = AttachmentFilterTest.message("eicar.txt", "text/plain", EICAR.getBytes(StandardCharsets.US_ASCII));
            assertThat(scan(f, Messages.write(dir, "v2.eml", infected)).action()).isEqualTo(Verdict.Action.QUARANTINE);
            assertThat(f.quarantine().list()).singleElement().extracting(Object::toString).asString().contains("virus");
        }
    }

    @Test
    void clamdDownFallsBackOrPassesWhenOptional() throws Exception {
        String nowhere = dir.resolve("no-such.sock").toString();
        try (Filters f = Filters.builder(() -> config(nowhere, false, FilterConfig.VirusAction.REJECT)).dataDir(dir).build()) {
            Verdict v = scan(f, Messages.write(dir, "d.eml", "Subject: hi\n\nx\n"));
            assertThat(v).isEqualTo(FilterChain.DEFAULT_FALLBACK);
        }
        try (Filters f = Filters.builder(() -> config(nowhere, true, FilterConfig.VirusAction.REJECT)).dataDir(dir).build()) {
            assertThat(scan(f, Messages.write(dir, "e.eml", "Subject: hi\n\nx\n")).action()).isEqualTo(Verdict.Action.CONTINUE);
        }
    }
}
