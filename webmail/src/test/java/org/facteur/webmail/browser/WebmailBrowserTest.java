package org.facteur.webmail.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.storage.MailboxStatus;
import org.facteur.storage.MessageSummary;
import org.facteur.storage.SortKey;
import org.facteur.webmail.HostileHtml;
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
 * The webmail in a real headless Chromium: one server and one browser for the whole story, in order (log in,
 * read, search, spam, send with an attachment, log out, the recipient sees it), plus the hostile HTML table.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebmailBrowserTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final FailureCapture FAILURES = new FailureCapture(() -> WebmailBrowserTest.browser);

    @TempDir
    static Path dir;
    static WebmailFixture webmail;
    static final List<List<HostileHtml.Case>> GROUPS = groups(4);

    static List<List<HostileHtml.Case>> groups(int size) {
        List<List<HostileHtml.Case>> out = new java.util.ArrayList<>();
        for (int i = 0; i < HostileHtml.CASES.size(); i += size) {
            out.add(HostileHtml.CASES.subList(i, Math.min(i + size, HostileHtml.CASES.size())));
        }
        return out;
    }
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromium-driver are not installed");
        webmail = WebmailFixture.start(dir);
        String alice = TestDirectory.ALICE;
        webmail.append(alice, "INBOX", Mail.html("Quarterly report",
                "<h1>Revenue</h1><p style=\"color:#336\">Up <b>12%</b>.</p><img src=\"https://tracker.example/p.gif\">"
                        + "<a href=\"https://example.org/report\">full report</a>",
                "X-Spam-Flag: NO\r\nX-Spam-Score: 1.2\r\nX-Spam-Status: No, score=1.2 required=5.0\r\n"
                        + "Authentication-Results: mx.example.test; spf=pass smtp.mailfrom=example.org; dkim=pass "
                        + "header.d=example.org; dmarc=pass header.from=example.org\r\n"));
        webmail.append(alice, "INBOX", Mail.plain("Lunch on Friday", "Shall we meet at noon?\nBob"));
        webmail.append(alice, "INBOX", Mail.plain("Cheap watches", "Buy cheap watches now"));
        webmail.store.account(alice).create("Hostile", java.util.Optional.empty());
        // The table in groups (each case alone is checked by HtmlSanitizerTest): fewer round trips in the browser.
        for (int g = 0; g < GROUPS.size(); g++) {
            StringBuilder html = new StringBuilder();
            for (HostileHtml.Case c : GROUPS.get(g)) {
                html.append("<div>").append(c.html()).append("</div>\n");
            }
            // One minute apart, so the newest-first list shows group g at row (groups - 1 - g).
            webmail.append(alice, "Hostile", Mail.html("Hostile group " + g, html.toString(), "",
                    java.time.ZonedDateTime.of(2026, 1, 1, 8, g, 0, 0, java.time.ZoneOffset.UTC)));
        }
        browser = new Browser();
    }

    @AfterAll
    static void stop() throws Exception {
        Browser.closeAll(browser, webmail);
    }

    static String beforeLogin;

    void login(String user, String password) {
        browser.driver.get(webmail.url("/login"));
        browser.element(By.id("login-user"));
        beforeLogin = sessionCookie();
        browser.type("login-user", user);
        browser.type("login-password", password);
        browser.click("login-button");
        browser.element(By.id("account"));
    }

    @Test
    @Order(1)
    void wrongPasswordIsRefusedAndTheRightOneLogsIn() {
        browser.driver.get(webmail.url("/"));
        browser.element(By.id("login-user")); // not logged in: the login view
        browser.type("login-user", TestDirectory.ALICE);
        browser.type("login-password", "wrong");
        browser.click("login-button");
        browser.waitFor(d -> d.findElement(By.id("login-error")).getText().contains("Wrong"));
        browser.type("login-password", TestDirectory.ALICE_PASSWORD);
        browser.screenshot("login");
        browser.click("login-button");
        assertThat(browser.element(By.id("account")).getText()).isEqualTo(TestDirectory.ALICE);
        browser.waitFor(d -> browser.hasRow("Quarterly report"));
        assertThat(browser.element(By.id("folder-INBOX")).getText()).isEqualTo("INBOX (3)");
        browser.screenshot("mailbox");
    }

    @Test
    @Order(2)
    void readsAnHtmlMessageInTheSandboxedFrame() {
        browser.clickRow("Quarterly report");
        WebElement frame = browser.element(By.id("message-frame"));
        assertThat(frame.getAttribute("sandbox")).doesNotContain("allow-scripts").doesNotContain("allow-same-origin");
        assertThat(browser.element(By.id("verdict")).getText()).contains("SPF pass").contains("DKIM pass");
        assertThat(browser.element(By.id("show-images")).getText()).contains("1 remote image");
        browser.driver.switchTo().frame(frame);
        assertThat(browser.element(By.tagName("h1")).getText()).isEqualTo("Revenue");
        assertThat(browser.driver.findElements(By.cssSelector("img[src*='tracker']"))).isEmpty();
        browser.driver.switchTo().defaultContent();
        browser.screenshot("reading");
        assertThat(browser.element(By.id("download-original")).getAttribute("href")).contains("/content/raw?");
        browser.click("show-images"); // the user allows this message's remote images
        browser.waitFor(d -> d.findElement(By.id("message-frame")).getAttribute("src").contains("images=1"));
        browser.driver.switchTo().frame(browser.element(By.id("message-frame")));
        browser.element(By.cssSelector("img[src*='tracker.example']"));
        browser.driver.switchTo().defaultContent();
        browser.waitFor(d -> browser.element(By.id("folder-INBOX")).getText().equals("INBOX (2)"));
    }

    @Test
    @Order(3)
    void searchFindsAMessageByAWordOfItsBody() {
        WebElement search = browser.element(By.cssSelector("#search input"));
        search.sendKeys("watches", Keys.ENTER);
        browser.waitFor(d -> browser.hasRow("Cheap watches") && !browser.hasRow("Quarterly report"));
        assertThat(browser.element(By.id("folder-title")).getText()).contains("1 found");
        browser.screenshot("search");
    }

    @Test
    @Order(4)
    void spamButtonMovesTheMessageToJunk() throws Exception {
        browser.clickRow("Cheap watches");
        browser.element(By.id("message-text"));
        browser.click("spam");
        browser.waitFor(d -> !browser.hasRow("Cheap watches"));
        MailboxStatus junk = webmail.store.account(TestDirectory.ALICE).status("Junk");
        assertThat(junk.messages()).isEqualTo(1);
        browser.openFolder("INBOX");
        browser.waitFor(d -> browser.hasRow("Lunch on Friday"));
    }

    @Test
    @Order(5)
    void hostileMessagesRunNoScript() {
        browser.openFolder("Hostile");
        String title = browser.driver.getTitle();
        WebElement grid = browser.element(By.id("messages"));
        for (int g = 0; g < GROUPS.size(); g++) {
            String subject = "Hostile group " + g;
            String cases = GROUPS.get(g).stream().map(HostileHtml.Case::name).toList().toString();
            browser.driver.executeScript("arguments[0].scrollToIndex(arguments[1])", grid, GROUPS.size() - 1 - g);
            browser.clickRow(subject);
            browser.waitFor(d -> d.findElements(By.id("message-frame")).size() == 1
                    && d.findElement(By.id("message-subject")).getText().equals(subject));
            WebElement frame = browser.element(By.id("message-frame"));
            browser.driver.switchTo().frame(frame);
            browser.element(By.tagName("body"));
            assertThat(browser.driver.findElements(By.cssSelector("[data-xss]"))).as(cases).isEmpty();
            assertThat(browser.driver.findElements(By.cssSelector("script, iframe, form, base, meta[http-equiv]")))
                    .as(cases).isEmpty();
            List<WebElement> titles = browser.driver.findElements(By.tagName("title"));
            assertThat(titles.stream().map(t -> t.getAttribute("textContent")).toList()).as(cases).doesNotContain("XSS");
            browser.driver.switchTo().defaultContent();
            assertThat(browser.driver.getTitle()).as(cases).isEqualTo(title);
            assertThat(browser.driver.getCurrentUrl()).as(cases).startsWith(webmail.url("/"));
        }
        browser.openFolder("INBOX");
    }

    @Test
    @Order(6)
    void createsRenamesAndDeletesAFolder() throws Exception {
        browser.click("new-folder");
        browser.type("new-folder-name", "Projects");
        browser.click("new-folder-create");
        browser.openFolder("Projects");
        browser.click("manage-folder");
        browser.type("rename-folder-name", "Work");
        browser.click("rename-folder");
        browser.waitFor(d -> d.findElement(By.id("folder-title")).getText().equals("Work"));
        assertThat(webmail.store.account(TestDirectory.ALICE).mailboxes())
                .extracting(org.facteur.storage.MailboxInfo::name).contains("Work").doesNotContain("Projects");
        browser.click("manage-folder");
        browser.click("delete-folder");
        browser.waitFor(d -> d.findElement(By.id("folder-title")).getText().equals("INBOX"));
        assertThat(webmail.store.account(TestDirectory.ALICE).mailboxes())
                .extracting(org.facteur.storage.MailboxInfo::name).doesNotContain("Work");
    }

    @Test
    @Order(7)
    void sendsAMessageWithAnAttachmentThatArrives() throws Exception {
        Path file = dir.resolve("agenda.txt");
        Files.writeString(file, "1. Budget\n2. Holidays\n", StandardCharsets.UTF_8);
        browser.click("compose");
        browser.type("compose-to", TestDirectory.BOB);
        browser.type("compose-subject", "Agenda for Monday");
        browser.type("compose-body", "Hello Bob,\nthe agenda is attached.\nAlice");
        WebElement upload = browser.element(By.id("compose-upload"));
        upload.getShadowRoot().findElement(By.cssSelector("input[type=file]")).sendKeys(file.toString());
        browser.waitFor(d -> d.findElement(By.id("compose-attached")).getText().contains("agenda.txt"));
        browser.screenshot("compose");
        browser.click("compose-send");
        browser.waitFor(d -> d.findElements(By.id("compose-dialog")).isEmpty());

        var bobInbox = webmail.store.account(TestDirectory.BOB).open("INBOX", true, e -> { });
        List<MessageSummary> rows = bobInbox.page(List.of(SortKey.reversed(SortKey.Criterion.DATE)), 0, 10);
        bobInbox.close();
        assertThat(rows).extracting(MessageSummary::subject).contains("Agenda for Monday");
        assertThat(webmail.store.account(TestDirectory.ALICE).status("Sent").messages()).isEqualTo(1);
    }

    @Test
    @Order(8)
    void logsOutAndTheRecipientSeesTheMessage() {
        browser.click("logout");
        browser.element(By.id("login-user"));
        browser.driver.get(webmail.url("/"));
        browser.element(By.id("login-user")); // the session is gone
        login(TestDirectory.BOB, TestDirectory.BOB_PASSWORD);
        browser.waitFor(d -> browser.hasRow("Agenda for Monday"));
        browser.clickRow("Agenda for Monday");
        assertThat(browser.element(By.id("message-text")).getText()).contains("the agenda is attached");
        assertThat(browser.element(By.id("attachments")).getText()).contains("agenda.txt").contains("text/plain");
        browser.screenshot("received");
    }

    static String sessionCookie() {
        var cookie = browser.driver.manage().getCookieNamed("FACTEUR_SESSION");
        return cookie == null ? null : cookie.getValue();
    }

    static java.net.http.HttpClient http;

    static java.net.http.HttpResponse<String> get(String path, String session) throws Exception {
        if (http == null) {
            http = java.net.http.HttpClient.newBuilder()
                    .sslContext(org.facteur.net.testing.TestPki.shared().clientContext()).build();
        }
        var client = http;
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(webmail.url(path)));
        if (session != null) {
            request.header("Cookie", "FACTEUR_SESSION=" + session);
        }
        return client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(9)
    void sessionCookieIsSecureHttpOnlyStrictAndRenewedAtLogin() throws Exception {
        var cookie = browser.driver.manage().getCookieNamed("FACTEUR_SESSION");
        assertThat(cookie.isSecure()).isTrue();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        // Session fixation: the id seen before login is not the one after, and it grants nothing.
        assertThat(beforeLogin).isNotNull().isNotEqualTo(cookie.getValue());
        assertThat(get("/content/html?folder=INBOX&uid=1", beforeLogin).statusCode()).isEqualTo(403);
        assertThat(get("/content/html?folder=INBOX&uid=1", null).statusCode()).isEqualTo(403);
    }

    @Test
    @Order(10)
    void aUserCannotReachAnotherUsersMessageByChangingIds() throws Exception {
        String bob = sessionCookie();
        // Alice's INBOX has UIDs 1-3 and a Hostile folder; Bob asks for them, naming Alice in every way he can.
        for (String folder : List.of("INBOX", "Hostile", "Junk")) {
            for (int uid = 1; uid <= 3; uid++) {
                for (String extra : List.of("", "&account=" + TestDirectory.ALICE)) {
                    for (String what : List.of("html", "part")) {
                        var response = get("/content/" + what + "?folder=" + folder + "&uid=" + uid + "&part=1" + extra, bob);
                        assertThat(response.body()).doesNotContain("Revenue").doesNotContain("Buy cheap watches")
                                .doesNotContain("document.title").doesNotContain("meet at noon");
                    }
                }
            }
        }
        assertThat(get("/content/html?folder=Hostile&uid=1", bob).statusCode()).isEqualTo(404);
        assertThat(get("/content/html?folder=../alice@example.test/INBOX&uid=1", bob).statusCode()).isIn(400, 404);
    }

    @Test
    @Order(11)
    void frameAndDownloadCarryStrictHeaders() throws Exception {
        String bob = sessionCookie();
        var frame = get("/content/html?folder=INBOX&uid=1", bob);
        assertThat(frame.statusCode()).isEqualTo(200);
        assertThat(frame.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("default-src 'none'").contains("sandbox").doesNotContain("script-src");
        var download = get("/content/part?folder=INBOX&uid=1&part=2", bob);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(download.headers().firstValue("Content-Disposition").orElse(""))
                .startsWith("attachment;").contains("agenda.txt");
        assertThat(download.body()).contains("1. Budget");
        var raw = get("/content/raw?folder=INBOX&uid=1", bob);
        assertThat(raw.headers().firstValue("Content-Type").orElse("")).startsWith("message/rfc822");
        assertThat(raw.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;");
        assertThat(raw.body()).contains("Subject: Agenda for Monday");
    }

    @Test
    @Order(12)
    void logOutEverywhereEndsTheSessionsOfOtherBrowsers() throws Exception {
        String first = sessionCookie();
        String second;
        try (Browser other = new Browser()) {
            other.driver.get(webmail.url("/login"));
            other.type("login-user", TestDirectory.BOB);
            other.type("login-password", TestDirectory.BOB_PASSWORD);
            other.click("login-button");
            other.element(By.id("account"));
            second = other.driver.manage().getCookieNamed("FACTEUR_SESSION").getValue();
            assertThat(get("/content/html?folder=INBOX&uid=1", second).statusCode()).isEqualTo(200);
        }
        browser.click("logout-everywhere");
        browser.element(By.id("login-user"));
        assertThat(get("/content/html?folder=INBOX&uid=1", second).statusCode()).isEqualTo(403);
        assertThat(get("/content/html?folder=INBOX&uid=1", first).statusCode()).isEqualTo(403);
    }

    @Test
    @Order(13)
    void aFrenchBrowserGetsTheWebmailInFrench() throws Exception {
        try (Browser french = new Browser("fr-FR,fr", "1280,900")) {
            french.driver.get(webmail.url("/login"));
            french.waitFor(d -> french.element(By.id("login-button")).getText().equals("Se connecter"));
            assertThat(french.element(By.id("login-password")).getAttribute("label")).isEqualTo("Mot de passe");
            french.screenshot("login-fr");
            french.type("login-user", TestDirectory.ALICE);
            french.type("login-password", TestDirectory.ALICE_PASSWORD);
            french.click("login-button");
            french.element(By.id("account"));
            assertThat(french.element(By.id("compose")).getText()).isEqualTo("Écrire");
            assertThat(french.element(By.id("logout")).getText()).isEqualTo("Se déconnecter");
            french.screenshot("mailbox-fr");
        }
    }
}
