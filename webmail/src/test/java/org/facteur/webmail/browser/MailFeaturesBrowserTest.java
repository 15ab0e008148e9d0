package org.facteur.webmail.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openqa.selenium.WebElement;

/**
 * Contacts, address suggestions, undo, threads, shortcuts, subscriptions, automatic drafts and forwarding as an
 * attachment, in a real headless Chromium: one server and one browser for the story, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailFeaturesBrowserTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final FailureCapture FAILURES = new FailureCapture(() -> MailFeaturesBrowserTest.browser);

    @TempDir
    static Path dir;
    static WebmailFixture webmail;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromium-driver are not installed");
        webmail = WebmailFixture.start(dir);
        webmail.append(TestDirectory.ALICE, "INBOX", Mail.plain("Lunch on Friday", "Shall we meet at noon?\nBob"));
        webmail.append(TestDirectory.ALICE, "INBOX", Mail.plain("Undo me 1", "one"));
        webmail.append(TestDirectory.ALICE, "INBOX", Mail.plain("Undo me 2", "two"));
        browser = new Browser();
    }

    @AfterAll
    static void stop() throws Exception {
        Browser.closeAll(browser, webmail);
    }

    static void login(Browser b, String user, String password) {
        b.driver.get(webmail.url("/login"));
        b.type("login-user", user);
        b.type("login-password", password);
        b.click("login-button");
        b.waitFor(d -> !d.findElements(By.id("account")).isEmpty()); // present, though a phone does not show it
    }

    static void upload(Browser b, String uploadId, Path file) {
        WebElement upload = b.element(By.id(uploadId));
        upload.getShadowRoot().findElement(By.cssSelector("input[type=file]")).sendKeys(file.toString());
    }

    static String notifications() {
        return String.join("\n", browser.driver.findElements(By.tagName("vaadin-notification-card")).stream()
                .map(WebElement::getText).toList());
    }

    @Test
    @Order(1)
    void contactsAreAddedImportedAndExported() throws Exception {
        login(browser, TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD);
        browser.click("contacts");
        browser.click("contact-add");
        browser.type("contact-name", "Carol Example");
        browser.type("contact-emails", "carol@example.test");
        browser.type("contact-phone", "+33 1 23 45 67 89");
        browser.click("contact-save");
        browser.waitFor(d -> browser.hasRow("Carol Example"));

        Path cards = dir.resolve("friends.vcf");
        Files.writeString(cards, """
                BEGIN:VCARD\r
                VERSION:3.0\r
                N:Dupont;Jean;;;\r
                EMAIL;TYPE=INTERNET:jean.dupont@example.org\r
                EMAIL;TYPE=INTERNET:jd@example.net\r
                END:VCARD\r
                BEGIN:VCARD\r
                VERSION:4.0\r
                FN:Dora\\, the explorer\r
                EMAIL:dora@example.org\r
                END:VCARD\r
                """, StandardCharsets.UTF_8);
        upload(browser, "contacts-import", cards);
        browser.waitFor(d -> browser.hasRow("Jean Dupont") && browser.hasRow("Dora, the explorer"));

        Path broken = dir.resolve("broken.vcf");
        Files.writeString(broken, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Half\r\n", StandardCharsets.UTF_8);
        upload(browser, "contacts-import", broken);
        browser.waitFor(d -> notifications().contains("Nothing imported: line 1: the card has no END:VCARD"));
        Path again = dir.resolve("friends-again.vcf");
        Files.copy(cards, again);
        upload(browser, "contacts-import", again); // the same cards again add nothing
        browser.waitFor(d -> notifications().contains("No contact imported"));
        assertThat(browser.driver.findElements(By.xpath("//vaadin-grid-cell-content[normalize-space(.)='Jean Dupont']"))
                .stream().filter(WebElement::isDisplayed).count()).isEqualTo(1);
        browser.screenshot("contacts");

        String href = browser.element(By.id("contacts-export")).getAttribute("href");
        var cookie = browser.driver.manage().getCookieNamed("FACTEUR_SESSION").getValue();
        var http = java.net.http.HttpClient.newBuilder()
                .sslContext(org.facteur.net.testing.TestPki.shared().clientContext()).build();
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(href))
                .header("Cookie", "FACTEUR_SESSION=" + cookie).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("BEGIN:VCARD\r\nVERSION:4.0\r\n").contains("FN:Carol Example\r\n")
                .contains("EMAIL;PREF=1:jean.dupont@example.org\r\n").contains("FN:Dora\\, the explorer");
        browser.click("contacts-close");
    }

    @Test
    @Order(2)
    void recipientsAreSuggestedFromContactsAndPastCorrespondents() throws Exception {
        browser.click("compose");
        browser.type("compose-to", "dup");
        browser.waitFor(d -> d.findElement(By.id("compose-to-suggestions")).getText().contains("Jean Dupont <jean.dupont@example.org>"));
        browser.click(By.xpath("//*[@id='compose-to-suggestions']/vaadin-button[contains(., 'jean.dupont')]"));
        browser.waitFor(d -> browser.element(By.cssSelector("#compose-to input")).getDomProperty("value")
                .equals("Jean Dupont <jean.dupont@example.org>, "));
        browser.type("compose-cc", "dora");
        browser.waitFor(d -> d.findElement(By.id("compose-cc-suggestions")).getText().contains("dora@example.org"));
        browser.screenshot("compose-suggestions");
        browser.type("compose-to", TestDirectory.BOB); // the test's submission delivers to local accounts only
        // Erased with keys: WebDriver's clear() sends no input event, so the server would keep "dora".
        browser.element(By.cssSelector("#compose-cc input")).sendKeys(org.openqa.selenium.Keys.chord(
                org.openqa.selenium.Keys.CONTROL, "a"), org.openqa.selenium.Keys.DELETE);
        browser.type("compose-subject", "Suggested");
        browser.type("compose-body", "Hello");
        browser.click("compose-send");
        browser.waitFor(d -> d.findElements(By.id("compose-dialog")).isEmpty() || !notifications().isEmpty());
        assertThat(notifications()).doesNotContain("Not sent");
        browser.waitFor(d -> d.findElements(By.id("compose-dialog")).isEmpty());
        // Bob, never a contact, is now a past correspondent, and comes first for "b" over contacts never written to.
        browser.click("compose");
        browser.type("compose-cc", "b");
        browser.waitFor(d -> d.findElement(By.id("compose-cc-suggestions")).getText().startsWith(TestDirectory.BOB));
        browser.click("compose-cancel");
    }

    @Test
    @Order(3)
    void anotherUserSeesNoneOfThem() throws Exception {
        try (Browser bob = new Browser()) {
            login(bob, TestDirectory.BOB, TestDirectory.BOB_PASSWORD);
            bob.click("contacts");
            bob.element(By.id("contacts-list"));
            assertThat(bob.hasRow("Carol Example")).isFalse();
            assertThat(bob.driver.findElements(By.xpath("//*[@id='contacts-list']/vaadin-grid-cell-content[contains(., '@')]"))
                    .stream().filter(WebElement::isDisplayed).toList()).isEmpty();
            bob.click("contacts-close");
            bob.click("compose");
            bob.type("compose-to", "carol");
            Thread.sleep(1000); // past the suggestion debounce
            assertThat(bob.driver.findElement(By.id("compose-to-suggestions")).getText()).isEmpty();
        }
    }

    static boolean seen(String subject) throws Exception {
        var inbox = webmail.store.account(TestDirectory.ALICE).open("INBOX", true, e -> { });
        try {
            return inbox.page(java.util.List.of(org.facteur.storage.SortKey.reversed(org.facteur.storage.SortKey.Criterion.DATE)), 0, 100)
                    .stream().filter(m -> m.subject().equals(subject)).findFirst().orElseThrow()
                    .flags().contains(org.facteur.storage.Flags.SEEN);
        } finally {
            inbox.close();
        }
    }

    static long count(String folder) throws Exception {
        return webmail.store.account(TestDirectory.ALICE).status(folder).messages();
    }

    @Test
    @Order(4)
    void deleteAndMarkUnreadAreUndone() throws Exception {
        browser.driver.navigate().refresh();
        browser.waitFor(d -> browser.hasRow("Undo me 1"));
        browser.clickRow("Undo me 1");
        browser.element(By.id("message-text"));
        browser.click("delete");
        browser.waitFor(d -> !browser.hasRow("Undo me 1"));
        assertThat(count("Trash")).isEqualTo(1);
        assertThat(browser.element(By.id("undo-text")).getText()).isEqualTo("One message moved to Trash.");
        browser.screenshot("undo");
        browser.click("undo");
        browser.waitFor(d -> browser.hasRow("Undo me 1"));
        assertThat(count("Trash")).isZero();
        assertThat(count("INBOX")).isEqualTo(3);

        browser.clickRow("Undo me 2"); // opening it marks it read
        browser.waitFor(d -> browser.element(By.id("message-subject")).getText().equals("Undo me 2"));
        assertThat(seen("Undo me 2")).isTrue();
        browser.click("mark-unread");
        browser.waitFor(d -> {
            try {
                return !seen("Undo me 2");
            } catch (Exception e) {
                return false;
            }
        });
        browser.click("undo");
        browser.waitFor(d -> {
            try {
                return seen("Undo me 2");
            } catch (Exception e) {
                return false;
            }
        });
    }

    static void press(CharSequence key) {
        new org.openqa.selenium.interactions.Actions(browser.driver).sendKeys(key).perform();
    }

    @Test
    @Order(5)
    void keyboardShortcutsDriveTheList() throws Exception {
        browser.driver.navigate().refresh();
        browser.waitFor(d -> browser.hasRow("Lunch on Friday"));
        press("?");
        browser.waitFor(d -> d.findElement(By.tagName("vaadin-dialog-overlay")).getText().contains("Open the next message"));
        browser.screenshot("shortcuts");
        browser.click("shortcuts-close");
        browser.waitFor(d -> d.findElements(By.cssSelector("vaadin-dialog-overlay[opened]")).isEmpty());
        // Newest first: Undo me 2, Undo me 1, Lunch on Friday (the test messages share their Date: arrival decides).
        press("j");
        String first = browser.element(By.id("message-subject")).getText();
        press("j");
        browser.waitFor(d -> !d.findElement(By.id("message-subject")).getText().equals(first));
        String second = browser.element(By.id("message-subject")).getText();
        press("k");
        browser.waitFor(d -> d.findElement(By.id("message-subject")).getText().equals(first));
        boolean before = seen(first);
        press("u");
        browser.waitFor(d -> {
            try {
                return seen(first) != before;
            } catch (Exception e) {
                return false;
            }
        });
        press("r");
        browser.waitFor(d -> browser.element(By.cssSelector("#compose-subject input")).getDomProperty("value").equals("Re: " + first));
        browser.element(By.cssSelector("#compose-body textarea")).sendKeys("c j k"); // typed, not shortcuts
        assertThat(browser.driver.findElements(By.id("compose-dialog"))).hasSize(1);
        browser.click("compose-cancel");
        browser.waitFor(d -> d.findElements(By.cssSelector("vaadin-dialog-overlay[opened]")).isEmpty());
        press("/");
        browser.waitFor(d -> (Boolean) browser.driver.executeScript(
                "return document.activeElement && document.activeElement.closest('#search') != null"));
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    @Order(6)
    void aFolderIsUnsubscribedAndSubscribedAgain() throws Exception {
        var store = webmail.store.account(TestDirectory.ALICE);
        store.create("Projects", java.util.Optional.empty());
        store.subscribe("Projects", true);
        browser.driver.navigate().refresh();
        browser.openFolder("Projects");
        browser.click("manage-folder");
        browser.click("folder-subscribed");
        browser.waitFor(d -> {
            try {
                return !store.subscriptions().contains("Projects");
            } catch (Exception e) {
                return false;
            }
        });
        browser.waitFor(d -> d.findElement(By.id("folder-Projects")).getAttribute("class").contains("unsubscribed"));
        browser.click("folder-subscribed");
        browser.waitFor(d -> {
            try {
                return store.subscriptions().contains("Projects");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    @Order(7)
    void aPhoneSizedScreenShowsTheFoldersListAndReader() throws Exception {
        try (Browser phone = new Browser("en-US,en", "375,812")) {
            login(phone, TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD);
            phone.waitFor(d -> phone.hasRow("Lunch on Friday"));
            assertThat(phone.element(By.id("folder-select")).isDisplayed()).isTrue();
            long overflow = (Long) phone.driver.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(overflow).as("horizontal overflow in px").isLessThanOrEqualTo(0);
            phone.screenshot("phone");
            phone.clickRow("Lunch on Friday");
            phone.element(By.id("message-text"));
            phone.screenshot("phone-reading");
        }
    }

    /** The newest message of the folder, as stored. */
    static String rawOfLast(String account, String folder) throws Exception {
        var box = webmail.store.account(account).open(folder, true, e -> { });
        try {
            var messages = box.messages();
            try (var in = box.open(messages.getLast().uid())) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            box.close();
        }
    }

    static boolean waitUntil(java.util.concurrent.Callable<Boolean> condition) {
        return browser.waitFor(d -> {
            try {
                return condition.call();
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    @Order(8)
    void aDraftIsSavedWhileWritingReplacedAndRemovedWhenSent() throws Exception {
        browser.driver.navigate().refresh();
        browser.click("compose");
        browser.type("compose-to", TestDirectory.BOB);
        browser.type("compose-subject", "Autosaved");
        browser.element(By.cssSelector("#compose-body textarea")).sendKeys("first words");
        waitUntil(() -> count("Drafts") == 1 && rawOfLast(TestDirectory.ALICE, "Drafts").contains("first words"));
        browser.waitFor(d -> d.findElement(By.id("compose-draft-status")).getText().startsWith("Draft saved at"));
        browser.screenshot("compose-draft");
        browser.element(By.cssSelector("#compose-body textarea")).sendKeys(" and more");
        waitUntil(() -> count("Drafts") == 1 && rawOfLast(TestDirectory.ALICE, "Drafts").contains("first words and more"));
        browser.click("compose-send");
        browser.waitFor(d -> d.findElements(By.id("compose-dialog")).isEmpty());
        assertThat(count("Drafts")).isZero();
    }

    @Test
    @Order(9)
    void aMessageIsForwardedAsAnAttachment() throws Exception {
        browser.driver.navigate().refresh();
        browser.openFolder("INBOX");
        browser.clickRow("Lunch on Friday");
        browser.element(By.id("message-text"));
        browser.click("forward-attached");
        browser.waitFor(d -> d.findElement(By.id("compose-attached")).getText().contains("Lunch on Friday.eml"));
        browser.type("compose-to", TestDirectory.BOB);
        browser.click("compose-send");
        browser.waitFor(d -> d.findElements(By.id("compose-dialog")).isEmpty());
        var inbox = webmail.store.account(TestDirectory.BOB).open("INBOX", true, e -> { });
        try {
            var rows = inbox.page(java.util.List.of(org.facteur.storage.SortKey.reversed(org.facteur.storage.SortKey.Criterion.ARRIVAL)), 0, 10);
            var forwarded = rows.stream().filter(r -> r.subject().equals("Fwd: Lunch on Friday")).findFirst().orElseThrow();
            try (var in = inbox.open(forwarded.uid())) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("Content-Type: message/rfc822")
                        .contains("Shall we meet at noon?");
            }
        } finally {
            inbox.close();
        }
    }

    @Test
    @Order(10)
    void theThreadedListGroupsAConversation() throws Exception {
        webmail.append(TestDirectory.ALICE, "INBOX", ("Message-ID: <trip@example.test>\r\nSubject: Trip\r\nFrom: Bob <bob@example.test>\r\n"
                + "Date: Tue, 3 Mar 2026 10:00:00 +0000\r\n\r\nWhere to?\r\n").getBytes(StandardCharsets.US_ASCII));
        webmail.append(TestDirectory.ALICE, "INBOX", ("Message-ID: <re-trip@example.test>\r\nIn-Reply-To: <trip@example.test>\r\n"
                + "References: <trip@example.test>\r\nSubject: Re: Trip\r\nFrom: Carol <carol@example.test>\r\n"
                + "Date: Wed, 4 Mar 2026 10:00:00 +0000\r\n\r\nThe sea.\r\n").getBytes(StandardCharsets.US_ASCII));
        browser.driver.navigate().refresh();
        browser.waitFor(d -> browser.hasRow("Re: Trip") && browser.hasRow("Trip"));
        browser.click("threaded");
        browser.waitFor(d -> browser.hasRow("Re: Trip (2)") && !browser.hasRow("Trip"));
        browser.clickRow("Re: Trip (2)");
        browser.waitFor(d -> d.findElement(By.id("message-subject")).getText().equals("Re: Trip"));
        var entries = browser.element(By.id("thread-messages")).findElements(By.tagName("vaadin-button"));
        assertThat(entries).hasSize(2);
        assertThat(entries.getFirst().getText()).contains("Bob").endsWith("Trip");
        browser.screenshot("threads");
        browser.click(By.xpath("(//*[@id='thread-messages']//vaadin-button)[1]"));
        browser.waitFor(d -> d.findElement(By.id("message-subject")).getText().equals("Trip"));
        browser.click("threaded");
        browser.waitFor(d -> browser.hasRow("Trip"));
    }
}
