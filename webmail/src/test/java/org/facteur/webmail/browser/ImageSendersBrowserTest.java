package org.facteur.webmail.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.webmail.WebmailFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * "Always show images from this sender" in a real headless Chromium: allowed once, the sender's next
 * authenticated message loads its remote images without a click; the same From failing DMARC, or vouched for
 * only by another server's Authentication-Results, keeps them blocked; removed in the settings, the allowance
 * ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageSendersBrowserTest {

    static final String ALICE = TestDirectory.ALICE;
    static final String IMAGE = "<p>Hello</p><img src=\"https://images.example.org/banner.png\">";
    static final String PASS = "Authentication-Results: " + WebmailFixture.AUTHSERV_ID + "; spf=pass smtp.mailfrom=example.org;"
            + " dkim=pass header.d=example.org header.s=s1; dmarc=pass header.from=example.org\r\n";

    @TempDir
    static Path dir;
    static WebmailFixture webmail;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromium-driver are not installed");
        webmail = WebmailFixture.start(dir);
        deliver("Newsletter one", PASS, 1);
        deliver("Newsletter two", PASS, 2);
        deliver("Forged newsletter", "Authentication-Results: " + WebmailFixture.AUTHSERV_ID
                + "; spf=pass smtp.mailfrom=evil.test; dkim=pass header.d=evil.test; dmarc=fail header.from=example.org\r\n", 3);
        deliver("Self-certified newsletter",
                "Authentication-Results: evil.test; dkim=pass header.d=example.org; dmarc=pass header.from=example.org\r\n", 4);
        browser = new Browser();
    }

    static void deliver(String subject, String headers, int day) throws Exception {
        byte[] message = Mail.html(subject, IMAGE, headers, ZonedDateTime.of(2026, 3, day, 10, 0, 0, 0, ZoneOffset.UTC));
        webmail.append(ALICE, "INBOX", message);
    }

    @AfterAll
    static void stop() throws Exception {
        Browser.closeAll(browser, webmail);
    }

    private static void open(String subject) {
        browser.clickRow(subject);
        browser.waitFor(d -> browser.element(By.id("message-subject")).getText().equals(subject));
    }

    private static boolean imagesAllowed() {
        return browser.element(By.id("message-frame")).getAttribute("src").contains("images=1");
    }

    @Test
    @Order(1)
    void allowedOnceTheSendersNextAuthenticatedMessageShowsImages() {
        browser.passwordLogin(webmail.url("/login"), ALICE, TestDirectory.ALICE_PASSWORD);
        open("Newsletter one");
        assertThat(imagesAllowed()).isFalse();
        assertThat(browser.element(By.id("always-show-images")).getText()).contains("news@example.org");
        browser.click("always-show-images");
        browser.waitFor(d -> imagesAllowed());
        browser.driver.switchTo().frame(browser.element(By.id("message-frame")));
        browser.element(By.cssSelector("img[src*='images.example.org']"));
        browser.driver.switchTo().defaultContent();
        assertThat(webmail.auth.directory().settings().imageSenders(ALICE)).containsExactly("news@example.org");

        open("Newsletter two");
        assertThat(imagesAllowed()).isTrue();
        assertThat(browser.driver.findElements(By.id("show-images"))).isEmpty();
    }

    @Test
    @Order(2)
    void aForgedFromOfTheAllowedSenderKeepsItsImagesBlocked() {
        for (String subject : new String[] {"Forged newsletter", "Self-certified newsletter"}) {
            open(subject);
            assertThat(imagesAllowed()).as(subject).isFalse();
            assertThat(browser.element(By.id("show-images")).getText()).contains("1 remote image");
        }
    }

    @Test
    @Order(3)
    void removedInTheSettingsTheAllowanceEnds() {
        browser.click("settings");
        browser.waitFor(d -> browser.element(By.id("settings-image-senders")).getText().contains("news@example.org"));
        browser.click("settings-image-sender-remove-0");
        browser.waitFor(d -> !browser.element(By.id("settings-image-senders")).getText().contains("news@example.org"));
        assertThat(webmail.auth.directory().settings().imageSenders(ALICE)).isEmpty();
        browser.click("settings-back");
        open("Newsletter two");
        assertThat(imagesAllowed()).isFalse();
        assertThat(browser.element(By.id("show-images")).isDisplayed()).isTrue();
    }
}
