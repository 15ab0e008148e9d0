package org.facteur.app;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Real clients (Angus Mail over real TLS) for the end-to-end tests of a running {@link Facteur}: send over SMTP
 * or submission, read mailboxes over IMAPS. Every account uses the same test password.
 */
final class MailClients {

    private final Facteur facteur;
    private final SSLSocketFactory trusting;
    private final String password;

    MailClients(Facteur facteur, X509Certificate certificate, String password) throws Exception {
        this.facteur = facteur;
        this.trusting = trusting(certificate);
        this.password = password;
    }

    SSLSocketFactory trusting() {
        return trusting;
    }

    int port(String endpoint) {
        return facteur.endpoints().stream().filter(e -> e.name().equals(endpoint)).findFirst().orElseThrow().port();
    }

    Session smtpSession(String endpoint, boolean authenticate) {
        return Session.getInstance(smtpProperties(endpoint, authenticate));
    }

    /** A session whose connections come from {@code clientAddress} (any 127.x address is local on Linux). */
    Session smtpSession(String endpoint, boolean authenticate, String clientAddress) {
        Properties p = smtpProperties(endpoint, authenticate);
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.localaddress", clientAddress);
        return Session.getInstance(p);
    }

    private Properties smtpProperties(String endpoint, boolean authenticate) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "localhost");
        p.put("mail.smtp.port", String.valueOf(port(endpoint)));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.socketFactory", trusting);
        p.put("mail.smtp.localhost", "client.elsewhere.example");
        p.put("mail.smtp.auth", String.valueOf(authenticate));
        p.put("mail.smtp.timeout", "30000");
        return p;
    }

    void send(Session session, String from, String to, String subject, String body) throws Exception {
        send(session, from, List.of(to), subject, body);
    }

    /** One message in one SMTP transaction to every address of {@code to}. */
    void send(Session session, String from, List<String> to, String subject, String body) throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from));
        for (String address : to) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(address));
        }
        message.setSubject(subject);
        message.setText(body);
        try (Transport transport = session.getTransport("smtp")) {
            if (Boolean.parseBoolean(session.getProperty("mail.smtp.auth"))) {
                transport.connect(from, password);
            } else {
                transport.connect();
            }
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    /** Waits for delivery (the store acknowledges before 250, but Junk filing and indexing are checked here too). */
    Message[] awaitMessages(String user, String folder, int expected) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            Store imap = imapStore(user);
            Folder f = imap.getFolder(folder);
            f.open(Folder.READ_ONLY);
            Message[] messages = f.getMessages();
            if (messages.length >= expected || Instant.now().isAfter(deadline)) {
                assertThat(messages).hasSize(expected);
                for (Message m : messages) {
                    ((MimeMessage) m).getAllHeaders(); // fetch before closing
                    m.getSubject();
                }
                Message[] copies = new Message[messages.length];
                for (int i = 0; i < messages.length; i++) {
                    copies[i] = new MimeMessage((MimeMessage) messages[i]);
                }
                f.close(false);
                imap.close();
                return copies;
            }
            f.close(false);
            imap.close();
            Thread.sleep(200);
        }
    }

    static String subjectOf(Message message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    int count(String user, String folder) throws Exception {
        Store imap = imapStore(user);
        Folder f = imap.getFolder(folder);
        f.open(Folder.READ_ONLY);
        int n = f.getMessageCount();
        f.close(false);
        imap.close();
        return n;
    }

    Store imapStore(String user) throws Exception {
        Properties p = new Properties();
        p.put("mail.imaps.ssl.socketFactory", trusting);
        p.put("mail.imaps.timeout", "30000");
        Store store = Session.getInstance(p).getStore("imaps");
        store.connect("localhost", port("imaps"), user, password);
        return store;
    }

    /** TLS that trusts exactly {@code certificate} (the server's generated self-signed one). */
    static SSLSocketFactory trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("facteur", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}
