package org.facteur.webmail.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.net.ClientAuth;
import org.facteur.net.TlsContextProvider;
import org.facteur.net.TlsContexts;
import org.facteur.net.testing.TestPki;
import org.facteur.storage.MailboxInfo;
import org.facteur.webmail.WebmailConfig;
import org.facteur.webmail.WebmailFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Certificate login (SASL EXTERNAL, RFC 4422 App. A) in a real headless Chromium: the test makes a CA and a
 * client certificate for Alice, the webmail asks for (want, not need) certificates of that CA, Chromium presents
 * it without a dialog, and the login page's certificate button opens Alice's INBOX without a password.
 */
class CertificateLoginBrowserTest {

    @TempDir
    static Path dir;
    static WebmailFixture webmail;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromium-driver are not installed");
        assumeTrue(ClientCertificate.available(), "openssl and libnss3-tools are not installed");
        ClientCertificate certificate = new ClientCertificate(Files.createDirectories(dir.resolve("client")),
                TestDirectory.ALICE);
        // The server's certificate as in the other tests; trusted client certificates: this test's CA only.
        TestPki pki = TestPki.shared();
        TlsContextProvider tls = new TlsContextProvider(TlsContexts.create(pki.serverKey(),
                List.of(pki.serverCertificate()), List.of(certificate.ca)), true);
        webmail = WebmailFixture.start(dir.resolve("webmail"), c -> new WebmailConfig(c.enabled(), c.address(), c.port(),
                ClientAuth.WANT, c.hostname(), c.sessionIdleTimeout(), c.productionMode(), c.maxUploadSize(),
                c.maxDisplaySize(), c.pageSize(), c.hstsMaxAge(), c.maxThreads(), c.contacts()), tls);
        browser = new Browser(certificate, webmail.url(""));
    }

    @AfterAll
    static void stop() throws Exception {
        Browser.closeAll(browser, webmail);
    }

    @Test
    void chromiumPresentsTheCertificateAndTheButtonLogsIn() {
        browser.driver.get(webmail.url("/login"));
        browser.click("login-certificate");
        browser.waitFor(d -> d.findElement(By.id("folder-title")).getText().equals(MailboxInfo.INBOX));
        assertThat(browser.element(By.id("account")).getText()).isEqualTo(TestDirectory.ALICE);
        browser.screenshot("certificate-login");
    }
}
