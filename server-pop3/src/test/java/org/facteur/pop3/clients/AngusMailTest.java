package org.facteur.pop3.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.pop3.testing.Pop3TestServer.ALICE;
import static org.facteur.pop3.testing.Pop3TestServer.PASSWORD;
import static org.facteur.pop3.testing.Pop3TestServer.message;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.facteur.net.testing.TestPki;
import org.facteur.pop3.testing.Pop3TestServer;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Angus Mail's POP3 provider (the Jakarta Mail reference) against the server, over POP3S and STLS. */
class AngusMailTest {

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path temp;
    private Pop3TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = Pop3TestServer.start(temp);
        server.deliver(ALICE, message("hello", "Hello Alice\r\n.\r\n..two dots\r\n"));
        server.deliver(ALICE, message("again", "Second message\r\n"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Store connect(String protocol, int port, Properties extra) throws Exception {
        Properties p = new Properties();
        p.put("mail." + protocol + ".ssl.socketFactory", TestPki.shared().clientSocketFactory());
        p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        if (protocol.equals("pop3")) {
            p.put("mail.pop3.starttls.enable", "true");
            p.put("mail.pop3.starttls.required", "true");
        }
        p.put("mail." + protocol + ".timeout", "10000");
        p.putAll(extra);
        Store store = Session.getInstance(p).getStore(protocol);
        store.connect("localhost", port, ALICE, PASSWORD);
        return store;
    }

    @Test
    void pop3sRetrievesAndDeletesWhileAnImapViewIsOpen() throws Exception {
        BlockingQueue<MailboxEvent> events = new LinkedBlockingQueue<>();
        try (Mailbox imap = server.store().account(ALICE).open("INBOX", false, events::add)) {
            Store store = connect("pop3s", server.tlsPort(), new Properties());
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] messages = inbox.getMessages();
            assertThat(messages).hasSize(2);
            assertThat(messages[0].getSubject()).isEqualTo("hello");
            String content = ((String) messages[0].getContent()).replace("\r\n", "\n");
            assertThat(content).isEqualTo("Hello Alice\n.\n..two dots\n");
            String uid = ((POP3Folder) inbox).getUID(messages[0]);
            assertThat(uid).matches("\\p{XDigit}{16}");
            messages[0].setFlag(Flags.Flag.DELETED, true);
            inbox.close(true); // QUIT: the UPDATE state
            store.close();

            MailboxEvent event;
            do {
                event = events.poll(5, TimeUnit.SECONDS);
            } while (event != null && !(event instanceof MailboxEvent.Expunged));
            assertThat(event).isInstanceOf(MailboxEvent.Expunged.class);
            assertThat(imap.messages()).hasSize(1);
        }
    }

    @Test
    void stlsWithSaslMechanisms() throws Exception {
        for (String mechanism : List.of("PLAIN", "LOGIN")) {
            Properties p = new Properties();
            p.put("mail.pop3.auth.mechanisms", mechanism);
            Store store = connect("pop3", server.stlsPort(), p);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(2);
            assertThat(inbox.getMessage(2).getSubject()).isEqualTo("again");
            inbox.close(false);
            store.close();
        }
    }

    @Test
    void closingWithoutExpungeKeepsEverything() throws Exception {
        Store store = connect("pop3s", server.tlsPort(), new Properties());
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
        inbox.close(false); // RSET then QUIT in Angus: nothing is removed
        store.close();
        try (Mailbox view = server.store().account(ALICE).open("INBOX", true, e -> { })) {
            assertThat(view.messages()).hasSize(2).noneMatch(m -> m.has(org.facteur.storage.Flags.DELETED));
        }
    }
}
