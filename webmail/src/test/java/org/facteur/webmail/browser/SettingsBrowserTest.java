package org.facteur.webmail.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.facteur.auth.settings.UserSettings;
import org.facteur.auth.settings.Vacation;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.auth.totp.Base32;
import org.facteur.auth.totp.Totp;
import org.facteur.filters.policy.SenderLists;
import org.facteur.webmail.WebmailFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The settings page in a real headless Chromium, as one story: Bob fills every section, reloads and finds it
 * stored, writes a message with his signature, switches the page to French, then sets up the TOTP second factor
 * and logs in again with a code the test computes (RFC 6238).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SettingsBrowserTest {

    @TempDir
    static Path dir;
    static WebmailFixture webmail;
    static Browser browser;
    static byte[] secret;
    static final String BOB = TestDirectory.BOB;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromium-driver are not installed");
        webmail = WebmailFixture.start(dir);
        browser = new Browser();
    }

    @AfterAll
    static void stop() throws Exception {
        Browser.closeAll(browser, webmail);
    }

    private static String value(String id) {
        return browser.element(By.id(id)).getDomProperty("value");
    }

    /** Opens a Vaadin select and picks the item showing {@code label}. */
    private static void choose(String selectId, String label) {
        browser.click(selectId);
        browser.click(By.xpath("//vaadin-select-item[normalize-space(.)='" + label + "']"));
        browser.waitFor(d -> d.findElements(By.cssSelector("vaadin-select-overlay[opened]")).isEmpty());
    }

    private static void saved(String buttonId) {
        browser.click(buttonId);
        browser.waitFor(d -> d.findElements(By.cssSelector("vaadin-notification-card")).stream()
                .anyMatch(n -> n.getText().contains("Saved")));
        browser.dismissNotifications();
    }

    @Test
    @Order(1)
    void everySectionIsSavedAndShownAgainAfterAReload() throws Exception {
        browser.passwordLogin(webmail.url("/login"), BOB, TestDirectory.BOB_PASSWORD);
        browser.click("settings");
        assertThat(browser.element(By.id("settings-identities")).getText().lines().toList())
                .containsExactly(BOB, TestDirectory.TEAM);
        browser.type("settings-display-name", "Bob Morane");
        browser.type("settings-signature", "Bob\nExample Ltd");
        saved("settings-save-profile");
        browser.type("settings-spam-threshold", "3.5");
        choose("settings-spam-placement", "Into the inbox, marked as spam");
        saved("settings-save-spam");
        browser.type("settings-sender-pattern", "boss@example.com");
        browser.click("settings-sender-allow");
        browser.waitFor(d -> browser.element(By.id("settings-sender-list")).getText().contains("Allowed: boss@example.com"));
        browser.type("settings-sender-pattern", "spam.example");
        browser.click("settings-sender-block");
        browser.waitFor(d -> browser.element(By.id("settings-sender-list")).getText().contains("Blocked: spam.example"));
        browser.click("settings-vacation-on");
        browser.type("settings-vacation-subject", "Away this week");
        browser.type("settings-vacation-text", "Back on Monday.");
        WebElement end = browser.element(By.cssSelector("#settings-vacation-end input"));
        end.sendKeys("12/31/2030", Keys.ENTER);
        saved("settings-save-vacation");
        browser.driver.executeScript("window.scrollTo(0, 0); document.querySelector('vaadin-app-layout, body').scrollTop = 0;"
                + "document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })");
        browser.screenshot("settings");

        browser.driver.navigate().refresh();
        browser.waitFor(d -> "Bob Morane".equals(value("settings-display-name")));
        assertThat(value("settings-signature")).isEqualTo("Bob\nExample Ltd");
        assertThat(value("settings-spam-threshold")).isEqualTo("3.5");
        assertThat(browser.element(By.id("settings-spam-placement")).getText()).contains("Into the inbox");
        assertThat(browser.element(By.id("settings-sender-list")).getText())
                .contains("Allowed: boss@example.com", "Blocked: spam.example");
        assertThat(value("settings-vacation-subject")).isEqualTo("Away this week");
        assertThat(browser.element(By.id("settings-vacation-on")).getDomProperty("checked")).isEqualTo("true");

        // What the page shows is what the filters and the SMTP server read.
        assertThat(webmail.auth.directory().settings().settings(BOB)).isEqualTo(new UserSettings("Bob Morane",
                "Bob\nExample Ltd", "", Optional.of(3.5), UserSettings.SpamPlacement.INBOX));
        assertThat(webmail.auth.directory().settings().vacation(BOB)).isEqualTo(new Vacation(true, "Away this week",
                "Back on Monday.", null, java.time.LocalDate.of(2030, 12, 31)));
        assertThat(webmail.auth.directory().settings().vacation(BOB).activeOn(java.time.LocalDate.now())).isTrue();
        SenderLists lists = webmail.server.settingsServices().senderLists();
        assertThat(lists.judge(BOB, "boss@example.com")).isTrue();
        assertThat(lists.judge(BOB, "x@mail.spam.example")).isFalse();
    }

    @Test
    @Order(2)
    void aNewMessageEndsWithTheSignatureAndComesFromTheDisplayName() {
        browser.click("settings-back");
        browser.click("compose");
        browser.waitFor(d -> value("compose-body").equals("\n\n-- \nBob\nExample Ltd"));
        browser.click("compose-cancel");
    }

    @Test
    @Order(3)
    void theLanguageChosenInTheSettingsOverridesTheBrowsers() {
        browser.click("settings");
        assertThat(browser.element(By.id("settings-back")).getText()).isEqualTo("Back to mail");
        choose("settings-language", "Français");
        browser.click("settings-save-profile"); // the page reloads in French
        browser.waitFor(d -> browser.element(By.id("settings-back")).getText().equals("Retour au courrier"));
        assertThat(browser.driver.getTitle()).isEqualTo("Réglages");
        choose("settings-language", "Celle du navigateur");
        browser.click("settings-save-profile");
        browser.waitFor(d -> browser.element(By.id("settings-back")).getText().equals("Back to mail"));
    }

    @Test
    @Order(4)
    void secondFactorIsSetUpWithACodeAndThenAskedAtLogin() throws Exception {
        assertThat(browser.element(By.id("settings-totp-state")).getText()).contains("off");
        browser.click("settings-totp-start");
        secret = Base32.decode(browser.element(By.id("settings-totp-secret")).getText());
        assertThat(secret).hasSize(Totp.SECRET_BYTES);
        assertThat(browser.element(By.id("settings-totp-uri")).getText())
                .startsWith("otpauth://totp/localhost:bob%40example.test?secret=" + Base32.encode(secret));
        long confirmed = Totp.step(Instant.now());
        browser.type("settings-totp-code", "000000".equals(code(confirmed)) ? "111111" : "000000");
        browser.click("settings-totp-confirm");
        browser.element(By.cssSelector("#settings-totp-code[invalid]"));
        assertThat(webmail.auth.authenticator().hasSecondFactor(BOB)).isFalse();
        browser.type("settings-totp-code", code(confirmed));
        browser.click("settings-totp-confirm");
        browser.waitFor(d -> browser.element(By.id("settings-totp-state")).getText().contains("is on"));
        assertThat(webmail.auth.authenticator().hasSecondFactor(BOB)).isTrue();
        browser.click("settings-back");
        browser.click("logout");
        browser.element(By.id("login-user"));

        browser.passwordLogin(webmail.url("/login"), BOB, TestDirectory.BOB_PASSWORD);
        browser.element(By.id("login-code"));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/login/code");
        browser.screenshot("login-code");
        browser.driver.get(webmail.url("/")); // the password alone opens nothing
        browser.element(By.id("login-user"));
        browser.passwordLogin(webmail.url("/login"), BOB, TestDirectory.BOB_PASSWORD);
        int failures = webmail.auth.saslAuthenticator().throttle().failures(java.net.InetAddress.getLoopbackAddress());
        browser.type("login-code", code(confirmed)); // the code that switched it on was used already
        browser.click("login-code-button");
        browser.waitFor(d -> d.findElement(By.id("login-code-error")).getText().contains("Wrong code"));
        assertThat(webmail.auth.saslAuthenticator().throttle().failures(java.net.InetAddress.getLoopbackAddress()))
                .isEqualTo(failures + 1);
        browser.type("login-code", code(confirmed + 1)); // the next step's code: within the ±1 step window (RFC 6238 §5.2)
        browser.click("login-code-button");
        assertThat(browser.element(By.id("account")).getText()).isEqualTo(BOB);
    }

    private static String code(long step) {
        return Totp.code(secret, step);
    }
}
