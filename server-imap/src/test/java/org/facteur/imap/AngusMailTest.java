package org.facteur.imap;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.search.SubjectTerm;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.facteur.imap.testing.ImapTestServer;
import org.facteur.net.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Angus Mail's IMAP store (the Jakarta Mail client many Java programs use) against the server over IMAPS. */
class AngusMailTest {

    @TempDir
    static Path dir;

    static ImapTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ImapTestServer.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Store connect() throws Exception {
        Properties p = new Properties();
        p.put("mail.imaps.ssl.socketFactory", TestPki.shared().clientContext().getSocketFactory());
        p.put("mail.imaps.ssl.checkserveridentity", "true");
        p.put("mail.imaps.timeout", "10000");
        Store store = Session.getInstance(p).getStore("imaps");
        store.connect("localhost", server.implicitPort(), ImapTestServer.USER, ImapTestServer.PASSWORD);
        return store;
    }

    private static MimeMessage multipart(Session session, String subject) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("Carol <carol@example.test>"));
        m.setRecipients(Message.RecipientType.TO, "alice@example.test");
        m.setSubject(subject, "UTF-8");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Grüße aus Angus", "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(new byte[] {1, 2, 3, 0, 4}, "application/octet-stream");
        attachment.setFileName("data.bin");
        MimeMultipart mp = new MimeMultipart();
        mp.addBodyPart(text);
        mp.addBodyPart(attachment);
        m.setContent(mp);
        m.saveChanges();
        return m;
    }

    @Test
    void appendReadFlagSearchAndStructure() throws Exception {
        Store store = connect();
        try {
            Folder folder = store.getFolder("Angus");
            assertThat(folder.create(Folder.HOLDS_MESSAGES)).isTrue();
            folder.open(Folder.READ_WRITE);
            Session session = Session.getInstance(new Properties());
            folder.appendMessages(new Message[] {multipart(session, "Ünïcode subject"), multipart(session, "second")});
            assertThat(folder.getMessageCount()).isEqualTo(2);

            Message first = folder.getMessage(1);
            assertThat(first.getSubject()).isEqualTo("Ünïcode subject");
            assertThat(first.getFrom()[0].toString()).contains("carol@example.test");
            MimeMultipart content = (MimeMultipart) first.getContent();
            assertThat(content.getCount()).isEqualTo(2);
            assertThat(content.getBodyPart(0).getContent()).isEqualTo("Grüße aus Angus");
            assertThat(content.getBodyPart(1).getFileName()).isEqualTo("data.bin");
            assertThat(content.getBodyPart(1).getInputStream().readAllBytes()).containsExactly(1, 2, 3, 0, 4);

            first.setFlag(Flags.Flag.FLAGGED, true);
            assertThat(folder.getMessage(1).isSet(Flags.Flag.FLAGGED)).isTrue();
            Message[] found = folder.search(new SubjectTerm("second"));
            assertThat(found).hasSize(1);
            assertThat(((UIDFolder) folder).getUID(found[0])).isEqualTo(2);

            Folder trash = store.getFolder("Trash");
            ((IMAPFolder) folder).moveMessages(new Message[] {folder.getMessage(2)}, trash);
            assertThat(trash.getMessageCount()).isEqualTo(1);
            folder.close(true);
            folder.open(Folder.READ_ONLY);
            assertThat(folder.getMessageCount()).isEqualTo(1);
            folder.close(false);
            assertThat(store.getDefaultFolder().list("*")).extracting(Folder::getFullName).contains("INBOX", "Angus", "Junk");
        } finally {
            store.close();
        }
    }

    @Test
    void idleSeesADelivery() throws Exception {
        Store store = connect();
        try {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            int before = inbox.getMessageCount();
            CountDownLatch arrived = new CountDownLatch(1);
            inbox.addMessageCountListener(new jakarta.mail.event.MessageCountAdapter() {
                @Override
                public void messagesAdded(jakarta.mail.event.MessageCountEvent e) {
                    arrived.countDown();
                }
            });
            Thread idler = Thread.ofVirtual().start(() -> {
                try {
                    inbox.idle(true);
                } catch (Exception ignored) {
                    // the folder closes at the end of the test
                }
            });
            Thread.sleep(300);
            server.store().deliver(ImapTestServer.USER, "INBOX", new ByteArrayInputStream(
                    "Subject: ping\r\n\r\nping\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of());
            assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
            idler.join(5000);
            assertThat(inbox.getMessageCount()).isEqualTo(before + 1);
            inbox.close(false);
        } finally {
            store.close();
        }
    }
}
