package org.facteur.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.facteur.storage.AppendResult;
import org.facteur.storage.FlagChange;
import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.testing.TestStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A maildir written by Facteur read by a real Dovecot (Debian {@code dovecot-imapd}), and the reverse. Dovecot's
 * {@code imap} binary runs as a child process speaking IMAP on its standard input and output (pre-authenticated,
 * as {@code doveadm exec imap} does), so the test needs no port, no password database and no root daemon; it is
 * Dovecot's own IMAP and maildir code that reads our files. Skipped when Dovecot is not installed.
 */
class DovecotInteropTest {

    static final Path IMAP = Path.of("/usr/lib/dovecot/imap");
    static final String ALICE = "alice@example.org";
    static final Pattern FETCH = Pattern.compile("\\* \\d+ FETCH \\((.*)\\)");

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsDovecot() {
        assumeTrue(Files.isExecutable(IMAP), "dovecot-imapd is not installed");
    }

    Path maildir() {
        return tmp.resolve("mail/example.org/alice");
    }

    /** Runs one Dovecot IMAP session over the maildir and returns everything it said. */
    String dovecot(String... commands) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        String user = root ? "nobody" : System.getProperty("user.name");
        Path conf = tmp.resolve("dovecot.conf");
        Files.writeString(conf, "log_path = /dev/stderr\n"
                + "mail_location = maildir:" + maildir() + "\n"
                + "first_valid_uid = 1\n"
                + "mail_uid = " + user + "\n"
                + (root ? "mail_gid = nogroup\n" : ""));
        if (root) {
            // Dovecot refuses to touch mail as root: hand the maildir to the unprivileged user it runs as.
            assertThat(new ProcessBuilder("chown", "-R", "nobody:nogroup", maildir().toString()).start()
                    .waitFor()).isZero();
            // and let it through the (private) temporary folders above it
            for (Path d = maildir().getParent(); d != null && d.startsWith(tmp.getParent()); d = d.getParent()) {
                Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        ProcessBuilder pb = new ProcessBuilder(IMAP.toString(), "-c", conf.toString());
        pb.environment().clear();
        pb.environment().put("USER", "alice");
        pb.environment().put("HOME", tmp.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            StringBuilder script = new StringBuilder();
            int tag = 0;
            for (String c : commands) {
                script.append("t").append(tag++).append(' ').append(c).append("\r\n");
            }
            script.append("z LOGOUT\r\n");
            in.write(script.toString().getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream o = p.getInputStream()) {
            o.transferTo(out);
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).as(text).contains("z OK").doesNotContain("Fatal", "Error");
        return text;
    }

    static long uidValidity(String transcript) {
        Matcher m = Pattern.compile("UIDVALIDITY (\\d+)").matcher(transcript);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** UID -> flags (without \Recent) of every FETCH response in a transcript segment. */
    static Map<Long, Set<String>> flags(String transcript) {
        Map<Long, Set<String>> out = new TreeMap<>();
        for (String line : transcript.split("\r\n")) {
            Matcher m = FETCH.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Matcher uid = Pattern.compile("UID (\\d+)").matcher(m.group(1));
            Matcher fl = Pattern.compile("FLAGS \\(([^)]*)\\)").matcher(m.group(1));
            if (uid.find() && fl.find()) {
                Set<String> f = new TreeSet<>(List.of(fl.group(1).split(" ")));
                f.remove("");
                f.remove(Flags.RECENT);
                out.put(Long.parseLong(uid.group(1)), f);
            }
        }
        return out;
    }

    @Test
    void dovecotSeesTheUidsAndFlagsFacteurWrote() throws Exception {
        long validity;
        Map<Long, Set<String>> ours = new TreeMap<>();
        Map<Long, Set<String>> oursJava = new TreeMap<>();
        try (MaildirStore store = TestStore.create(tmp)) {
            for (int i = 1; i <= 3; i++) {
                TestStore.deliver(store, ALICE, "m" + i, "body " + i);
            }
            try (Mailbox box = store.account(ALICE).open("INBOX", false, null)) {
                box.store(List.of(1L), FlagChange.ADD, Set.of(Flags.SEEN), -1);
                box.store(List.of(2L), FlagChange.ADD, Set.of(Flags.FLAGGED, "todo", Flags.DRAFT), -1);
                box.expunge(List.of(3L));
            }
            TestStore.deliver(store, ALICE, "m4", "body 4");
            store.account(ALICE).create("Lists/Java", Optional.empty());
            store.account(ALICE).append("Lists/Java", TestStore.stream(TestStore.message("j", "java")),
                    Set.of(Flags.ANSWERED, Flags.DELETED), null);
            try (Mailbox box = store.account(ALICE).open("INBOX", true, null)) {
                validity = box.uidValidity();
                for (MessageMeta m : box.messages()) {
                    ours.put(m.uid(), m.flags());
                }
            }
            try (Mailbox box = store.account(ALICE).open("Lists/Java", true, null)) {
                for (MessageMeta m : box.messages()) {
                    oursJava.put(m.uid(), m.flags());
                }
            }
        }
        String inbox = dovecot("EXAMINE INBOX", "UID FETCH 1:* (UID FLAGS)");
        assertThat(uidValidity(inbox)).isEqualTo(validity);
        assertThat(flags(inbox)).isEqualTo(ours);
        assertThat(ours.keySet()).containsExactly(1L, 2L, 4L);

        String java = dovecot("LIST \"\" \"*\"", "EXAMINE \"Lists.Java\"", "UID FETCH 1:* (UID FLAGS)");
        assertThat(java).contains("\".\" Lists.Java", "Junk", "Archive");
        assertThat(flags(java)).isEqualTo(oursJava);
    }

    @Test
    void facteurAdoptsADovecotMaildirKeepingUids() throws Exception {
        Files.createDirectories(maildir());
        String msg = new String(TestStore.message("from dovecot", "hello"), StandardCharsets.UTF_8);
        int len = msg.getBytes(StandardCharsets.UTF_8).length;
        String t = dovecot("APPEND INBOX (\\Seen) {" + len + "+}\r\n" + msg,
                "APPEND INBOX (\\Flagged $Work) {" + len + "+}\r\n" + msg,
                "APPEND INBOX () {" + len + "+}\r\n" + msg,
                "SELECT INBOX", "UID STORE 3 +FLAGS (\\Deleted)", "EXPUNGE",
                "APPEND INBOX (\\Answered) {" + len + "+}\r\n" + msg);
        String listing = dovecot("EXAMINE INBOX", "UID FETCH 1:* (UID FLAGS)");
        long validity = uidValidity(listing);
        assertThat(t).contains("APPENDUID " + validity + " 4");
        Map<Long, Set<String>> theirs = new HashMap<>(flags(listing));
        assertThat(theirs.keySet()).as(listing).containsExactlyInAnyOrder(1L, 2L, 4L);

        try (MaildirStore store = TestStore.create(tmp);
             Mailbox box = store.account(ALICE).open("INBOX", true, null)) {
            assertThat(box.uidValidity()).isEqualTo(validity);
            Map<Long, Set<String>> ours = new HashMap<>();
            for (MessageMeta m : box.messages()) {
                ours.put(m.uid(), m.flags());
            }
            assertThat(ours).isEqualTo(theirs);
            AppendResult next = TestStore.deliver(store, ALICE, "after", "x");
            assertThat(next.uid()).isEqualTo(5);
        }
        // and Dovecot agrees about the message Facteur added
        String again = dovecot("EXAMINE INBOX", "UID FETCH 5 (UID FLAGS)");
        assertThat(flags(again)).containsKey(5L);
    }
}
