package org.facteur.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.imap.testing.RawImapClient.last;

import java.util.List;
import org.facteur.imap.testing.ImapTestServer;
import org.facteur.imap.testing.RawImapClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

/** The core commands over a real implicit-TLS socket, byte for byte as a client sends them. */
class ImapProtocolTest {

    static ImapTestServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = ImapTestServer.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static final String MESSAGE = "From: Fred <fred@example.test>\r\nTo: alice@example.test\r\nSubject: hello\r\n"
            + "Message-ID: <1@example.test>\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\n\r\nHello Alice\r\nsecond line\r\n";

    @Test
    void greetingAnnouncesCapabilitiesAndLoginWorksOverTls() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort())) {
            String greeting = c.readResponse();
            assertThat(greeting).startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2").contains("AUTH=PLAIN")
                    .doesNotContain("LOGINDISABLED").doesNotContain("STARTTLS");
            assertThat(last(c.command("LOGIN alice@example.test wrong"))).startsWith("t1 NO [AUTHENTICATIONFAILED]");
            assertThat(last(c.command("LOGIN alice@example.test alice-Pa55word"))).startsWith("t2 OK [CAPABILITY");
            List<String> caps = c.command("CAPABILITY");
            assertThat(caps.get(0)).contains("IDLE", "MOVE", "QRESYNC", "APPENDLIMIT=", "COMPRESS=DEFLATE")
                    .doesNotContain("AUTH=");
            assertThat(last(c.command("LOGOUT"))).startsWith("t4 OK");
        }
    }

    @Test
    void appendSelectFetchStoreSearchExpunge() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("CREATE Work");
            c.send("a1 APPEND Work (\\Flagged) {" + MESSAGE.length() + "}\r\n");
            assertThat(c.readLine()).startsWith("+ ");
            c.send(MESSAGE + "\r\n");
            assertThat(last(c.until("a1"))).matches("a1 OK \\[APPENDUID \\d+ 1\\] .*");
            c.send("a2 APPEND Work {" + MESSAGE.length() + "+}\r\n" + MESSAGE + "\r\n");
            assertThat(last(c.until("a2"))).contains("APPENDUID");

            List<String> select = c.command("SELECT Work");
            assertThat(select).contains("* 2 EXISTS").anyMatch(s -> s.startsWith("* OK [UIDVALIDITY "));
            assertThat(last(select)).contains("[READ-WRITE]");

            List<String> fetch = c.command("FETCH 1 (UID FLAGS RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (Subject)])");
            assertThat(fetch.get(0)).startsWith("* 1 FETCH (UID 1 FLAGS (\\Flagged) RFC822.SIZE " + MESSAGE.length())
                    .contains("ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800\" \"hello\" ((\"Fred\" NIL \"fred\" \"example.test\"))")
                    .contains("BODYSTRUCTURE (\"text\" \"plain\"")
                    .contains("BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: hello\r\n\r\n");

            List<String> body = c.command("FETCH 2 (BODY[TEXT]<0.5>)");
            assertThat(body.get(0)).contains("BODY[TEXT]<0> {5}\r\nHello").contains("FLAGS (\\Seen");

            assertThat(c.command("UID SEARCH UNSEEN").get(0)).isEqualTo("* SEARCH 1");
            assertThat(c.command("SEARCH RETURN (MIN MAX COUNT) ALL").get(0)).isEqualTo("* ESEARCH (TAG \"t7\") MIN 1 MAX 2 COUNT 2");
            assertThat(c.command("STORE 1 +FLAGS (\\Deleted)").get(0)).startsWith("* 1 FETCH (FLAGS (\\Deleted \\Flagged");
            List<String> expunge = c.command("EXPUNGE");
            assertThat(expunge).hasSize(2).first().isEqualTo("* 1 EXPUNGE");
            assertThat(c.command("FETCH 1 UID").get(0)).isEqualTo("* 1 FETCH (UID 2)");
            assertThat(last(c.command("FETCH 2 UID"))).matches("t\\d+ BAD.*");
            List<String> copy = c.command("UID COPY 2 INBOX");
            assertThat(last(copy)).matches("t\\d+ OK \\[COPYUID \\d+ 2 \\d+\\] .*");
            List<String> move = c.command("MOVE 1 Trash");
            assertThat(move).anyMatch(s -> s.startsWith("* OK [COPYUID ")).contains("* 1 EXPUNGE");
            assertThat(last(c.command("STATUS Trash (MESSAGES UIDNEXT SIZE)"))).matches("t\\d+ OK.*");
            assertThat(last(c.command("CLOSE"))).matches("t\\d+ OK.*");
        }
    }

    /** A FETCH reads files and structures from the index a batch at a time: every message, once, in order. */
    @Test
    void aFetchOfMoreMessagesThanOneBatchAnswersEveryMessageInOrder() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("CREATE Many");
            int n = 600;
            for (int i = 1; i <= n; i++) {
                String m = MESSAGE.replace("Subject: hello", "Subject: m" + i);
                server.store().deliver(ImapTestServer.USER, "Many", new java.io.ByteArrayInputStream(
                        m.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), java.util.Set.of());
            }
            c.command("EXAMINE Many");
            List<String> all = c.command("FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (Subject)] ENVELOPE)");
            assertThat(last(all)).matches("t\\d+ OK.*");
            assertThat(all).hasSize(n + 1);
            for (int i = 1; i <= n; i++) {
                assertThat(all.get(i - 1)).startsWith("* " + i + " FETCH (UID " + i + " ")
                        .contains("Subject: m" + i + "\r\n").contains("\"m" + i + "\"");
            }
            List<String> scattered = c.command("UID FETCH 599,2,300 (BODY.PEEK[HEADER.FIELDS (Subject)])");
            assertThat(scattered).hasSize(4);
            assertThat(scattered.get(0)).startsWith("* 2 FETCH (UID 2 ").contains("Subject: m2\r\n");
            assertThat(scattered.get(1)).startsWith("* 300 FETCH (UID 300 ").contains("Subject: m300\r\n");
            assertThat(scattered.get(2)).startsWith("* 599 FETCH (UID 599 ").contains("Subject: m599\r\n");
        }
    }

    @Test
    void listShowsSpecialUseAndStatus() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            List<String> list = c.command("LIST \"\" \"*\" RETURN (SPECIAL-USE STATUS (MESSAGES))");
            assertThat(list).contains("* LIST (\\HasNoChildren \\Junk) \"/\" Junk")
                    .anyMatch(s -> s.startsWith("* STATUS INBOX (MESSAGES "));
            assertThat(c.command("LIST \"\" \"\"").get(0)).isEqualTo("* LIST (\\Noselect) \"/\" \"\"");
            c.command("CREATE \"Entw&APw-rfe/Sub\"");
            assertThat(c.command("LIST \"\" \"Entw%\"")).anyMatch(l -> l.matches("\\* LIST \\((\\\\Noselect )?\\\\HasChildren\\) \"/\" Entw&APw-rfe"));
            assertThat(c.command("ENABLE UTF8=ACCEPT").get(0)).isEqualTo("* ENABLED UTF8=ACCEPT");
            assertThat(c.command("LIST \"\" \"Entw*\"")).contains("* LIST (\\HasNoChildren) \"/\" \"Entw\u00fcrfe/Sub\"");
            assertThat(c.command("NAMESPACE").get(0)).isEqualTo("* NAMESPACE ((\"\" \"/\")) NIL NIL");
            assertThat(c.command("GETQUOTAROOT INBOX")).contains("* QUOTAROOT INBOX \"\"");
        }
    }

    @Test
    void subscriptionsOutliveTheirMailboxAndRecursiveMatchNamesHiddenOnes() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("CREATE Subs/Gone");
            c.command("CREATE Subs/Kept/Deep");
            c.command("SUBSCRIBE Subs/Gone");
            c.command("SUBSCRIBE Subs/Kept/Deep");
            c.command("DELETE Subs/Gone");
            // RFC 9051 §6.3.9: the name stays subscribed; RFC 5258 §3.1 lists it \NonExistent
            assertThat(c.command("LIST (SUBSCRIBED) \"\" Subs/*"))
                    .contains("* LIST (\\NonExistent \\Subscribed) \"/\" Subs/Gone")
                    .contains("* LIST (\\HasNoChildren \\Subscribed) \"/\" Subs/Kept/Deep");
            // RFC 5258 §3.5: CHILDINFO for a match whose subscribed descendant no pattern shows...
            assertThat(c.command("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" Subs/%"))
                    .contains("* LIST (\\HasChildren) \"/\" Subs/Kept (\"CHILDINFO\" (\"SUBSCRIBED\"))");
            // ...and none when a pattern shows the descendant itself
            assertThat(c.command("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (Subs/Kept Subs/Kept/Deep)"))
                    .noneMatch(l -> l.contains("CHILDINFO"))
                    .contains("* LIST (\\HasNoChildren \\Subscribed) \"/\" Subs/Kept/Deep");
            assertThat(c.command("LSUB \"\" Subs/*")).contains("* LSUB (\\Noselect) \"/\" Subs/Gone");
        }
    }

    @Test
    void binaryContentAppendedWithLiteral8ComesBackWholeAndWithoutNulInBody() throws Exception {
        byte[] header = ("From: user@domain.org\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Transfer-Encoding: binary\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] data = {' ', '-', 'x', 0, '\r', '\n'};
        byte[] message = new byte[header.length + data.length];
        System.arraycopy(header, 0, message, 0, header.length);
        System.arraycopy(data, 0, message, header.length, data.length);
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("CREATE Bin");
            // RFC 3516 §4.4: APPEND with a literal8
            c.sendBytes(("b1 APPEND Bin ~{" + message.length + "+}\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            c.sendBytes(message);
            c.send("\r\n");
            assertThat(RawImapClient.last(c.until("b1"))).startsWith("b1 OK");
            c.command("SELECT Bin");
            // RFC 9051 §4.3: no NUL in a literal, so BODY[1] gives the part re-encoded...
            assertThat(String.join("\n", c.command("FETCH 1 (BODY.PEEK[1] BODY.PEEK[1.MIME])")))
                    .contains("IC14AA0K").containsIgnoringCase("Content-Transfer-Encoding: base64");
            // ...and BINARY[1] decodes it back to the bytes sent
            assertThat(String.join("\n", c.command("FETCH 1 (BINARY.SIZE[1])"))).contains("BINARY.SIZE[1] 6");
        }
    }

    @Test
    void starttlsListenerRefusesLoginUntilTls() throws Exception {
        try (RawImapClient c = RawImapClient.plain(server.starttlsPort())) {
            assertThat(c.readResponse()).contains("STARTTLS", "LOGINDISABLED").doesNotContain("AUTH=PLAIN");
            assertThat(last(c.command("LOGIN alice@example.test alice-Pa55word"))).startsWith("t1 NO [PRIVACYREQUIRED]");
            assertThat(last(c.command("AUTHENTICATE PLAIN"))).startsWith("t2 NO [CANNOT]");
            assertThat(last(c.command("STARTTLS"))).startsWith("t3 OK");
            c.startTls();
            assertThat(c.command("CAPABILITY").get(0)).contains("AUTH=PLAIN").doesNotContain("LOGINDISABLED");
            String ir = java.util.Base64.getEncoder().encodeToString("\0alice@example.test\0alice-Pa55word".getBytes());
            assertThat(last(c.command("AUTHENTICATE PLAIN " + ir))).startsWith("t5 OK");
        }
    }

    @Test
    void authenticateWithAChallengeAndCancel() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort())) {
            c.readResponse();
            c.send("a AUTHENTICATE PLAIN\r\n");
            assertThat(c.readLine()).isEqualTo("+ ");
            c.send("*\r\n");
            assertThat(c.readLine()).startsWith("a BAD");
            c.send("b AUTHENTICATE PLAIN\r\n");
            c.readLine();
            c.send(java.util.Base64.getEncoder().encodeToString("\0alice@example.test\0alice-Pa55word".getBytes()) + "\r\n");
            assertThat(c.readLine()).startsWith("b OK");
        }
    }

    @Test
    void externalWithAClientCertificate() throws Exception {
        var context = org.facteur.net.testing.TestPki.shared().clientContext("CN=alice@example.test", "alice@example.test");
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort(), context)) {
            assertThat(c.readResponse()).contains("AUTH=EXTERNAL");
            assertThat(last(c.command("AUTHENTICATE EXTERNAL ="))).startsWith("t1 OK");
        }
    }

    @Test
    void compressDeflateKeepsTheSessionGoing() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            assertThat(last(c.command("COMPRESS DEFLATE"))).startsWith("t2 OK");
            // After this point both directions are raw deflate: check with the JDK's inflater/deflater.
            var deflater = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
            deflater.setInput("c1 NOOP\r\n".getBytes());
            byte[] buf = new byte[256];
            int n = deflater.deflate(buf, 0, buf.length, java.util.zip.Deflater.SYNC_FLUSH);
            c.sendBytes(java.util.Arrays.copyOf(buf, n));
            var inflater = new java.util.zip.Inflater(true);
            StringBuilder text = new StringBuilder();
            byte[] in = new byte[256];
            long deadline = System.currentTimeMillis() + 5000;
            java.io.InputStream raw = rawStream(c);
            while (!text.toString().contains("c1 OK") && System.currentTimeMillis() < deadline) {
                int r = raw.read(in);
                if (r < 0) {
                    break;
                }
                inflater.setInput(in, 0, r);
                byte[] outBuf = new byte[1024];
                int m;
                while ((m = inflater.inflate(outBuf)) > 0) {
                    text.append(new String(outBuf, 0, m));
                }
            }
            assertThat(text.toString()).contains("c1 OK");
        }
    }

    private static java.io.InputStream rawStream(RawImapClient c) throws Exception {
        var field = RawImapClient.class.getDeclaredField("in");
        field.setAccessible(true);
        return (java.io.InputStream) field.get(c);
    }
}
