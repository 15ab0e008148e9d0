package org.facteur.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.facteur.imap.testing.ImapTestServer;
import org.facteur.imap.testing.RawImapClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 5256 SORT and THREAD over a real socket, on the cases imaptest's sort-* and thread* scripts check. */
class SortThreadTest {

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

    private static void append(RawImapClient c, String box, String message) throws Exception {
        c.send("a APPEND " + box + " {" + message.length() + "+}\r\n" + message + "\r\n");
        c.until("a");
    }

    private static String message(String headers) {
        return "From: a@example.test\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\n" + headers + "\r\n\r\nbody\r\n";
    }

    @Test
    void sortTiesGoBySequenceNumberAndGroupsSortByTheirName() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("CREATE Sorted");
            append(c, "Sorted", message("Cc: user2@domain2.org (foo bar)\r\nSubject: [xyz]"));
            append(c, "Sorted", message("Cc: user2: blah@domain1.org;\r\nSubject: c"));
            append(c, "Sorted", message("Cc: user1@domain1.org\r\nSubject: _"));
            c.command("SELECT Sorted");
            assertThat(c.command("SORT (CC) US-ASCII ALL").get(0)).isEqualTo("* SORT 3 1 2");
            assertThat(c.command("SORT (REVERSE CC) US-ASCII ALL").get(0)).isEqualTo("* SORT 1 2 3");
            assertThat(c.command("SORT (SUBJECT) US-ASCII ALL").get(0)).isEqualTo("* SORT 2 1 3");
            assertThat(c.command("FETCH 1 ENVELOPE").get(0)).contains("((\"foo bar\" NIL \"user2\" \"domain2.org\"))");
        }
    }

    @Test
    void referencesGathersUnlinkedThreadsBySubject() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("CREATE Threads");
            // RFC 5256 REFERENCES 1A: the duplicate Message-ID is made unique; step 5 joins the reply by subject
            append(c, "Threads", message("Message-ID: <a@b>\r\nSubject: foo"));
            append(c, "Threads", message("Message-ID: <a@b>\r\nSubject: Re: foo"));
            append(c, "Threads", message("Message-ID: <c@b>\r\nSubject: =?utf-8?q?other?="));
            c.command("SELECT Threads");
            assertThat(c.command("THREAD REFERENCES US-ASCII ALL").get(0)).isEqualTo("* THREAD (1 2)(3)");
        }
    }

    @Test
    void aDateWithTheWrongDayOfWeekStillSortsAndSearches() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("CREATE Weekdays");
            // 6 Nov 2026 is a Friday; internal dates older than every Date header, so a message whose Date is
            // not read would sort first (RFC 5256 §2.2 falls back to the internal date)
            for (String date : new String[] {"Mon, 06 Nov 2026 05:05:00 +0000", "Sun, 1 Nov 2026 07:01:00 GMT",
                    "Wed, 04 Nov 2026 10:00:00 +0100 (CET)"}) {
                String m = "Date: " + date + "\r\nSubject: x\r\n\r\nbody\r\n";
                c.send("a APPEND Weekdays \"01-Jan-2020 00:00:00 +0000\" {" + m.length() + "+}\r\n" + m + "\r\n");
                c.until("a");
            }
            c.command("SELECT Weekdays");
            assertThat(c.command("SORT (DATE) US-ASCII ALL").get(0)).isEqualTo("* SORT 2 3 1");
            assertThat(c.command("SEARCH SENTON 6-Nov-2026").get(0)).isEqualTo("* SEARCH 1");
            assertThat(c.command("THREAD ORDEREDSUBJECT US-ASCII ALL").get(0)).isEqualTo("* THREAD (2 (3)(1))");
        }
    }

    @Test
    void threadsWithEqualDatesGoBySequenceNumber() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("CREATE SameDate");
            String m = "Message-Id: <a@b>\r\n\r\nbody\r\n";
            for (int i = 0; i < 2; i++) {
                c.send("a APPEND SameDate \"22-Feb-2008 15:06:23 +0000\" {" + m.length() + "+}\r\n" + m + "\r\n");
                c.until("a");
            }
            c.command("SELECT SameDate");
            assertThat(c.command("THREAD REFERENCES US-ASCII ALL").get(0)).isEqualTo("* THREAD (1)(2)");
        }
    }

    @Test
    void aMessagesOwnLastReferenceBreaksAParentFromTruncatedReferences() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("CREATE Loop"); // imaptest "thread": c's own References point at its child b
            String[][] msgs = {{"22-Feb-2008 17:06:23 +0000", "Message-ID: <a@b>"},
                    {"22-Feb-2008 15:06:23 +0000", "Message-Id: <b@b>\r\nReferences: <a@b> <c@b>"},
                    {"22-Feb-2008 16:06:25 +0000", "Message-Id: <c@b>\r\nReferences: <b@b>"}};
            for (String[] m : msgs) {
                String text = m[1] + "\r\n\r\nbody\r\n";
                c.send("a APPEND Loop \"" + m[0] + "\" {" + text.length() + "+}\r\n" + text + "\r\n");
                c.until("a");
            }
            c.command("SELECT Loop");
            assertThat(c.command("THREAD REFERENCES US-ASCII ALL").get(0)).isEqualTo("* THREAD (3 2)(1)");
        }
    }

    @Test
    void orderedSubjectComparesDecodedBaseSubjects() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("CREATE Ordered");
            append(c, "Ordered", message("Subject: C"));
            append(c, "Ordered", message("Subject: =?iso-8859-1?q?RE:_C?="));
            append(c, "Ordered", message("Subject: =?us-ascii?b?UmU6IGM=?="));
            c.command("SELECT Ordered");
            assertThat(c.command("THREAD ORDEREDSUBJECT US-ASCII ALL").get(0)).isEqualTo("* THREAD (1 (2)(3))");
        }
    }
}
