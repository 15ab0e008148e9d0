package org.facteur.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.imap.testing.RawImapClient.last;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.facteur.imap.testing.ImapTestServer;
import org.facteur.imap.testing.RawImapClient;
import org.facteur.storage.QuotaLimits;
import org.facteur.storage.maildir.MaildirStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9208 over a real TLS socket with an account's own limits (what {@code facteur user quota} sets in the
 * directory): GETQUOTA/GETQUOTAROOT report them, APPEND and COPY past them get {@code NO [OVERQUOTA]} (§4.3),
 * MOVE within the account changes no usage and goes through.
 */
class QuotaTest {

    @TempDir
    Path dir;

    static final String MESSAGE = "From: Fred <fred@example.test>\r\nTo: alice@example.test\r\nSubject: q\r\n\r\nHi\r\n";

    private static String append(RawImapClient c, String tag) throws Exception {
        c.send(tag + " APPEND INBOX {" + MESSAGE.length() + "+}\r\n" + MESSAGE + "\r\n");
        return last(c.until(tag));
    }

    @Test
    void theAccountsOwnLimitsAreReportedAndEnforced() throws Exception {
        try (ImapTestServer server = ImapTestServer.start(dir)) {
            ((MaildirStore) server.store()).setQuotaLimits(account -> account.equals(ImapTestServer.USER)
                    ? new QuotaLimits(OptionalLong.of(10 * 1024), OptionalLong.of(2))
                    : QuotaLimits.DEFAULT);
            try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
                assertThat(c.command("GETQUOTAROOT INBOX"))
                        .contains("* QUOTAROOT INBOX \"\"", "* QUOTA \"\" (STORAGE 0 10 MESSAGE 0 2)");
                assertThat(append(c, "a1")).startsWith("a1 OK [APPENDUID");
                assertThat(append(c, "a2")).startsWith("a2 OK [APPENDUID");
                assertThat(append(c, "a3")).startsWith("a3 NO [OVERQUOTA]");
                assertThat(c.command("GETQUOTA \"\"")).contains("* QUOTA \"\" (STORAGE 1 10 MESSAGE 2 2)");

                assertThat(last(c.command("SELECT INBOX"))).contains("OK");
                assertThat(last(c.command("COPY 1 Archive"))).contains("NO [OVERQUOTA]");
                assertThat(last(c.command("STATUS Archive (MESSAGES)"))).contains("OK");
                assertThat(last(c.command("MOVE 1:2 Trash"))).contains("OK");
                assertThat(c.command("STATUS Trash (MESSAGES)")).contains("* STATUS Trash (MESSAGES 2)");
                assertThat(c.command("GETQUOTA \"\"")).contains("* QUOTA \"\" (STORAGE 1 10 MESSAGE 2 2)");
            }
            // another account keeps the configured default (none here)
            try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort())) {
                c.readResponse();
                assertThat(last(c.command("LOGIN " + ImapTestServer.OTHER + " " + ImapTestServer.OTHER_PASSWORD)))
                        .contains("OK");
                assertThat(c.command("GETQUOTA \"\"")).contains("* QUOTA \"\" ()");
            }
        }
    }
}
