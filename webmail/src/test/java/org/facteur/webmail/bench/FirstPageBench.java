package org.facteur.webmail.bench;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
 * Then, in each folder, it times the threaded list ("Conversations"): the switch to it, the opening of its first
 * conversation, and the switch back to the flat list. The messages form conversations of 1 to 20 messages
 * (replies carry In-Reply-To and References, RFC 5322 §3.6.4), so the index's thread ids group for real.
 *
 * <p>System properties {@code webmail.bench.size} and {@code webmail.bench.sessions} (defaults 100000 and 5).
 */
class FirstPageBench {

    @org.junit.jupiter.api.Test
    void firstPageAndSessionMemory(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        int big = Integer.getInteger("webmail.bench.size", 100_000);
        int sessions = Integer.getInteger("webmail.bench.sessions", 5);
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
                for (String folder : List.of("Small", "Big", "Small", "Big", "Small", "Big")) {
                    threadedRound(first, folder);
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

    /**
     * Appends {@code n} messages as consecutive conversations of 1, 8, 15, 2, 9, 16, ... messages (sizes
     * {@code 1 + 7g mod 20}: every size from 1 to 20 once per 20 conversations, 10.5 on average), each message a
     * minute after the previous one. A reply points at its predecessor (In-Reply-To) and lists the chain
     * (References: the root first, then its predecessor).
     */
    private static void fill(AccountStore store, String folder, int n) throws Exception {
        java.time.ZonedDateTime start = java.time.ZonedDateTime.parse("2026-03-02T10:00:00+01:00");
        int conversation = 0;
        int root = 0;
        int size = 1;
        for (int i = 0; i < n; i++) {
            if (i - root == size) {
                conversation++;
                root = i;
                size = 1 + conversation * 7 % 20;
            }
            StringBuilder m = new StringBuilder()
                    .append("From: Sender ").append(i % 500).append(" <s").append(i % 500).append("@example.org>\r\n")
                    .append("To: alice@example.test\r\n")
                    .append("Subject: ").append(i == root ? "" : "Re: ").append("Message number ").append(root).append("\r\n")
                    .append("Date: ").append(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(start.plusMinutes(i)))
                    .append("\r\n")
                    .append("Message-ID: <").append(i).append('.').append(folder).append("@bench>\r\n");
            if (i != root) {
                m.append("In-Reply-To: <").append(i - 1).append('.').append(folder).append("@bench>\r\n")
                        .append("References: <").append(root).append('.').append(folder).append("@bench>")
                        .append(i - 1 == root ? "" : " <" + (i - 1) + "." + folder + "@bench>").append("\r\n");
            }
            m.append("\r\nBody of message ").append(i).append("\r\n");
            store.append(folder, new ByteArrayInputStream(m.toString().getBytes(StandardCharsets.UTF_8)), Set.of(), null);
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
        org.openqa.selenium.WebElement link = b.element(By.id("folder-" + folder));
        long t0 = System.nanoTime();
        link.click();
        poll(b, d -> d.findElement(By.id("folder-title")).getText().equals(folder)
                && d.findElements(By.xpath(FLAT_ROW)).stream().anyMatch(e -> e.isDisplayed()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return ms;
    }

    /** A subject cell of the flat list (every subject names its conversation's first message). */
    private static final String FLAT_ROW = "//vaadin-grid-cell-content[contains(normalize-space(.),'Message number')"
            + " and substring(normalize-space(.), string-length(normalize-space(.))) != ')']";
    /** A subject cell of the threaded list that shows a conversation of several messages: "... (n)". */
    private static final String CONVERSATION_ROW = "//vaadin-grid-cell-content[contains(normalize-space(.),'Message number')"
            + " and substring(normalize-space(.), string-length(normalize-space(.))) = ')']";

    private static void waitForRows(Browser b, String xpath) {
        poll(b, d -> d.findElements(By.xpath(xpath)).stream().anyMatch(e -> e.isDisplayed()));
    }

    /**
     * Waits for a condition, asking every 20 ms: {@link Browser#waitFor} asks every 500 ms (Selenium's default),
     * which would round every figure up to the next half second.
     */
    private static void poll(Browser b, java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> condition) {
        new org.openqa.selenium.support.ui.WebDriverWait(b.driver, java.time.Duration.ofSeconds(60), java.time.Duration.ofMillis(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    /**
     * Opens the folder (flat list), then times: the click on "Conversations" until a conversation row "(n)" shows;
     * the click on the first such row until its n messages are listed above the reader; the click back to the
     * flat list until no conversation row shows.
     */
    private static void threadedRound(Browser b, String folder) {
        openFolder(b, folder);
        long t0 = System.nanoTime();
        b.element(By.id("threaded")).click();
        waitForRows(b, CONVERSATION_ROW);
        long toThreaded = (System.nanoTime() - t0) / 1_000_000;

        org.openqa.selenium.WebElement row = b.element(By.xpath(CONVERSATION_ROW));
        String text = row.getText().strip();
        int n = Integer.parseInt(text.substring(text.lastIndexOf('(') + 1, text.length() - 1));
        t0 = System.nanoTime();
        b.driver.executeScript("arguments[0].click()", row);
        poll(b, d -> d.findElements(By.cssSelector("#thread-messages vaadin-button")).size() == n);
        long openThread = (System.nanoTime() - t0) / 1_000_000;

        t0 = System.nanoTime();
        b.element(By.id("threaded")).click();
        poll(b, d -> d.findElements(By.xpath(CONVERSATION_ROW)).stream().noneMatch(e -> e.isDisplayed())
                && d.findElements(By.xpath(FLAT_ROW)).stream().anyMatch(e -> e.isDisplayed()));
        long toFlat = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("threaded list of %-5s: %4d ms, open first conversation (%2d messages): %4d ms, back to flat: %4d ms%n",
                folder, toThreaded, n, openThread, toFlat);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
