package org.facteur.webmail.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.storage.FlagChange;
import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxInfo;
import org.facteur.webmail.WebmailFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Changes made elsewhere reach an open webmail tab without a click: a message delivered over real SMTP shows
 * in the open INBOX list, then another session (as IMAP would) marks it read and the unread count goes.
 */
class LiveUpdatesBrowserTest {

    @TempDir
    static Path dir;
    static WebmailFixture webmail;
    static SmtpDelivery smtp;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromium-driver are not installed");
        webmail = WebmailFixture.start(dir);
        smtp = new SmtpDelivery(dir.resolve("spool"), webmail.auth, webmail.store);
        browser = new Browser();
    }

    @AfterAll
    static void stop() throws Exception {
        Browser.closeAll(browser, smtp, webmail);
    }

    @Test
    void aDeliveryAndAnotherSessionsFlagChangeShowWithoutAClick() throws Exception {
        browser.passwordLogin(webmail.url("/login"), TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD);
        browser.waitFor(d -> d.findElement(By.id("folder-title")).getText().equals(MailboxInfo.INBOX));
        assertThat(browser.hasRow("Arrived while you watched")).isFalse();

        smtp.deliver("bob@example.org", TestDirectory.ALICE, Mail.plain("Arrived while you watched", "Hello"));
        long delivered = System.nanoTime();
        browser.waitFor(d -> browser.hasRow("Arrived while you watched"));
        browser.waitFor(d -> d.findElement(By.id("folder-INBOX")).getText().equals("INBOX (1)"));
        long shownMillis = (System.nanoTime() - delivered) / 1_000_000;
        System.out.println("live update: delivery shown after " + shownMillis + " ms");

        // Another session marks it read: the unread count goes without a click.
        try (Mailbox inbox = webmail.store.account(TestDirectory.ALICE).open(MailboxInfo.INBOX, false, e -> { })) {
            inbox.store(List.of(inbox.messages().getFirst().uid()), FlagChange.ADD, Set.of(Flags.SEEN), -1);
        }
        browser.waitFor(d -> d.findElement(By.id("folder-INBOX")).getText().equals("INBOX"));
    }
}
