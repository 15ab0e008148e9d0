package org.facteur.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.auth.testing.TestDirectory.ALICE;
import static org.facteur.auth.testing.TestDirectory.ALICE_PASSWORD;
import static org.facteur.auth.testing.TestDirectory.BOB;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLSocket;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.facteur.net.testing.TestPki;
import org.facteur.smtp.testing.SmtpFixture;
import org.facteur.smtp.testing.SmtpWire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submission with real clients: Angus Mail, Python's smtplib, swaks, and every SASL mechanism of auth. */
class SubmissionClientsTest {

    @TempDir
    Path dir;
    SmtpFixture smtp;

    @BeforeEach
    void start() throws Exception {
        smtp = new SmtpFixture(dir);
    }

    @AfterEach
    void stop() {
        smtp.closeAll();
    }

    private Session mailSession(int port, boolean implicitTls) {
        Properties p = new Properties();
        String proto = implicitTls ? "smtps" : "smtp";
        p.put("mail." + proto + ".host", "localhost");
        p.put("mail." + proto + ".port", Integer.toString(port));
        p.put("mail." + proto + ".auth", "true");
        p.put("mail." + proto + ".ssl.socketFactory", TestPki.shared().clientSocketFactory());
        p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        if (!implicitTls) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        return Session.getInstance(p);
    }

    private static MimeMessage message(Session session, String from, String to, String bcc) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        if (bcc != null) {
            m.setRecipient(Message.RecipientType.BCC, new InternetAddress(bcc));
        }
        m.setSubject("Grüße von Angus", "UTF-8");
        m.setText("Bonjour Bob, ça va ?\n.\nA line with a dot.\n", "UTF-8", "plain");
        m.saveChanges();
        return m;
    }

    @Test
    void angusMailWithStartTlsAndAuthOn587() throws Exception {
        Session session = mailSession(smtp.server.submissionPort(), false);
        try (Transport t = session.getTransport("smtp")) {
            t.connect(ALICE, ALICE_PASSWORD);
            MimeMessage m = message(session, ALICE, BOB, "team@example.test");
            t.sendMessage(m, m.getAllRecipients());
        }
        String got = smtp.inbox(BOB).get(0);
        assertThat(got).contains("with ESMTPSA", "\ttls TLS_", "DKIM-Signature:", "Message-ID:", "Subject: =?UTF-8?")
                .doesNotContain("Bcc:").contains("\r\n.\r\nA line with a dot.");
        assertThat(smtp.inbox(ALICE)).hasSize(1); // the Bcc copy via the team alias
    }

    @Test
    void angusMailWithImplicitTlsOn465AndForgedFromIsRefused() throws Exception {
        Session session = mailSession(smtp.server.submissionsPort(), true);
        try (Transport t = session.getTransport("smtps")) {
            t.connect(ALICE, ALICE_PASSWORD);
            MimeMessage ok = message(session, TestDirectoryAlias.ALIAS, BOB, null);
            t.sendMessage(ok, ok.getAllRecipients());
            MimeMessage forged = message(session, BOB, ALICE, null);
            try {
                t.sendMessage(forged, forged.getAllRecipients());
                throw new AssertionError("a From: of someone else must be refused");
            } catch (jakarta.mail.MessagingException e) {
                assertThat(String.valueOf(e.getMessage()) + e.getCause()).contains("553");
            }
        }
        assertThat(smtp.inbox(BOB)).hasSize(1);
        assertThat(smtp.inbox(ALICE)).isEmpty();
    }

    /** Alice's second address, from the auth fixture. */
    static final class TestDirectoryAlias {
        static final String ALIAS = org.facteur.auth.testing.TestDirectory.ALICE_ALIAS_ADDRESS;
    }

    @Test
    void pythonSmtplibWithPlainLoginAndCramMd5() throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(TestPki.shared().caCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        String script = String.join("\n",
                "import smtplib, ssl, sys",
                "from email.message import EmailMessage",
                "ctx = ssl.create_default_context(cafile=sys.argv[1])",
                "port, sport = int(sys.argv[2]), int(sys.argv[3])",
                "user, pw = sys.argv[4], sys.argv[5]",
                "for mech in ['PLAIN', 'LOGIN', 'CRAM-MD5']:",
                "    s = smtplib.SMTP('localhost', port, timeout=30)",
                "    s.starttls(context=ctx)",
                "    s.ehlo('python.example.test')",
                "    s.user, s.password = user, pw",
                "    code, resp = s.auth(mech, getattr(s, 'auth_' + mech.lower().replace('-', '_')), initial_response_ok=(mech != 'LOGIN'))",
                "    assert code == 235, (mech, code, resp)",
                "    m = EmailMessage(); m['From'] = user; m['To'] = 'bob@example.test'; m['Subject'] = 'via ' + mech",
                "    m.set_content('hello from python over ' + mech)",
                "    s.send_message(m); s.quit(); print('sent', mech)",
                "s = smtplib.SMTP_SSL('localhost', sport, context=ctx, timeout=30)",
                "s.login(user, pw)",
                "m = EmailMessage(); m['From'] = user; m['To'] = 'jörg@example.test'; m['Subject'] = 'utf8'",
                "m.set_content('Grüße')",
                "s.send_message(m); s.quit(); print('sent utf8')");
        smtp.auth.directory().addAccount("jörg@example.test", "jörg-Pa55word", false);
        Process p = new ProcessBuilder("python3", "-c", script, ca.toString(), Integer.toString(smtp.server.submissionPort()),
                Integer.toString(smtp.server.submissionsPort()), ALICE, ALICE_PASSWORD).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("sent PLAIN", "sent LOGIN", "sent CRAM-MD5", "sent utf8");
        assertThat(smtp.inbox(BOB)).hasSize(3);
        assertThat(smtp.inbox("jörg@example.test").get(0)).contains("with UTF8SMTPSA");
    }

    @Test
    void scramSha256AndExternalWithAClientCertificate() throws Exception {
        try (SmtpWire c = smtp.submission()) {
            c.ehlo();
            c.startTls();
            assertThat(c.ehlo()).contains("SCRAM-SHA-256");
            assertThat(scram(c, ALICE, ALICE_PASSWORD)).startsWith("235 2.7.0");
            assertThat(c.cmd("MAIL FROM:<" + ALICE + ">")).startsWith("250");
        }
        // EXTERNAL: the certificate's rfc822Name names the account (auth's default mapping).
        var factory = TestPki.shared().clientContext("CN=Bob", BOB).getSocketFactory();
        try (SSLSocket socket = (SSLSocket) factory.createSocket("127.0.0.1", smtp.server.submissionsPort())) {
            socket.startHandshake();
            SmtpWire c = SmtpWire.over(socket);
            assertThat(c.ehlo()).contains("EXTERNAL");
            assertThat(c.cmd("AUTH EXTERNAL =")).startsWith("235 2.7.0");
            assertThat(c.cmd("MAIL FROM:<" + BOB + ">")).startsWith("250");
        }
    }

    /** RFC 5802 / RFC 7677 client side. */
    private static String scram(SmtpWire c, String user, String password) throws Exception {
        String nonce = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(18));
        String bare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + nonce;
        String reply = c.cmd("AUTH SCRAM-SHA-256 " + b64("n,," + bare));
        assertThat(reply).startsWith("334 ");
        String serverFirst = new String(Base64.getDecoder().decode(reply.substring(4)), StandardCharsets.UTF_8);
        Map<String, String> f = new HashMap<>();
        for (String kv : serverFirst.split(",")) {
            f.put(kv.substring(0, 1), kv.substring(2));
        }
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(
                password.toCharArray(), Base64.getDecoder().decode(f.get("s")), Integer.parseInt(f.get("i")), 256)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        String withoutProof = "c=biws,r=" + f.get("r");
        String authMessage = bare + "," + serverFirst + "," + withoutProof;
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        reply = c.cmd(b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)));
        if (reply.startsWith("334 ")) {
            String serverFinal = new String(Base64.getDecoder().decode(reply.substring(4)), StandardCharsets.UTF_8);
            String expected = Base64.getEncoder().encodeToString(hmac(hmac(salted, "Server Key"), authMessage));
            assertThat(serverFinal).isEqualTo("v=" + expected);
            reply = c.cmd("");
        }
        return reply;
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void swaksPipelinedDeliveryAndAuthenticatedSubmission() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/swaks")), "swaks is not installed");
        String out = run("swaks", "--server", "127.0.0.1", "--port", Integer.toString(smtp.server.mtaPort()),
                "--ehlo", "swaks.remote.test", "--from", "someone@remote.test", "--to", BOB, "--pipeline",
                "--header", "Subject: swaks pipelined", "--body", "line\n.\n..two dots\n");
        assertThat(out).contains("<-  250 2.0.0 Message accepted");
        out = run("swaks", "--server", "127.0.0.1", "--port", Integer.toString(smtp.server.submissionPort()),
                "--ehlo", "swaks.remote.test", "--tls", "--auth", "PLAIN", "--auth-user", ALICE, "--auth-password", ALICE_PASSWORD,
                "--from", ALICE, "--to", BOB, "--header", "Subject: swaks submission");
        assertThat(out).contains("235 2.7.0", "<~  250 2.0.0");
        out = run("swaks", "--server", "127.0.0.1", "--port", Integer.toString(smtp.server.mtaPort()),
                "--ehlo", "swaks.remote.test", "--from", "someone@remote.test", "--to", "victim@elsewhere.test");
        assertThat(out).contains("554 5.7.1");
        List<String> inbox = smtp.inbox(BOB);
        assertThat(inbox).hasSize(2);
        assertThat(inbox.get(0)).contains("\r\nline\r\n.\r\n..two dots\r\n");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
