package org.facteur.webmail.bench;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.storage.AccountStore;
import org.facteur.webmail.WebmailFixture;
import org.facteur.webmail.browser.Browser;
import org.openqa.selenium.By;

/**
 * Not a test (its name keeps it out of Surefire's default includes): run by {@code bench/webmail/run.sh}. Times, in headless Chromium, how long a click on a folder takes
 * to show its first rows, for a large and a small folder, and estimates the server heap per logged-in session.
 *
 * <p>System properties {@code webmail.bench.size} and {@code webmail.bench.sessions} (defaults 100000 and 5).
 */
class FirstPageBench {

    @org.junit.jupiter.api.Test
    void firstPageAndSessionMemory() throws Exception {
        int big = Integer.getInteger("webmail.bench.size", 100_000);
        int sessions = Integer.getInteger("webmail.bench.sessions", 5);
        Path dir = Files.createTempDirectory("webmail-bench-");
        try (WebmailFixture webmail = WebmailFixture.start(dir)) {
            AccountStore alice = webmail.store.account(TestDirectory.ALICE);
            alice.create("Big", Optional.empty());
            alice.create("Small", Optional.empty());
            long t0 = System.nanoTime();
            fill(alice, "Big", big);
            fill(alice, "Small", 100);
            System.out.printf("filled %d + 100 messages in %d s%n", big, (System.nanoTime() - t0) / 1_000_000_000L);

            List<Browser> browsers = new ArrayList<>();
            try {
                Browser first = login(webmail);
                browsers.add(first);
                for (String folder : List.of("Small", "Big", "Small", "Big", "Small", "Big", "Small", "Big")) {
                    long ms = openFolder(first, folder);
                    System.out.printf("first page of %-5s: %4d ms%n", folder, ms);
                }
                long before = usedHeapAfterGc();
                for (int i = 1; i < sessions; i++) {
                    Browser b = login(webmail);
                    openFolder(b, "Big");
                    browsers.add(b);
                }
                long after = usedHeapAfterGc();
                if (sessions > 1) {
                    System.out.printf("heap per session: %.2f MB (%d sessions)%n",
                            (after - before) / 1024.0 / 1024 / (sessions - 1), sessions - 1);
                }
            } finally {
                for (Browser b : browsers) {
                    b.close();
                }
            }
        }
    }

    private static void fill(AccountStore store, String folder, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            String m = "From: Sender " + (i % 500) + " <s" + (i % 500) + "@example.org>\r\nTo: alice@example.test\r\n"
                    + "Subject: Message number " + i + "\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\n"
                    + "Message-ID: <" + i + "." + folder + "@bench>\r\n\r\nBody of message " + i + "\r\n";
            store.append(folder, new ByteArrayInputStream(m.getBytes(StandardCharsets.UTF_8)), Set.of(), null);
        }
    }

    private static Browser login(WebmailFixture webmail) throws Exception {
        Browser b = new Browser();
        b.driver.get(webmail.url("/login"));
        b.type("login-user", TestDirectory.ALICE);
        b.type("login-password", TestDirectory.ALICE_PASSWORD);
        b.click("login-button");
        b.element(By.id("account"));
        return b;
    }

    /** Milliseconds from the click to the first row of the folder being displayed. */
    private static long openFolder(Browser b, String folder) {
        b.element(By.id("folder-" + folder));
        long t0 = System.nanoTime();
        b.openFolder(folder);
        b.waitFor(d -> d.findElements(By.xpath("//vaadin-grid-cell-content[starts-with(normalize-space(.),'Message number')]"))
                .stream().anyMatch(e -> e.isDisplayed()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return ms;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
