package org.facteur.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
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
 * A maildir written by Facteur read by a real Dovecot (Debian {@code dovecot-imapd}), and the reverse. Each
 * {@link #dovecot} call starts the Dovecot daemon in the foreground with its own configuration in the test's
 * temporary folder (base_dir, logs, a passwd-file user, plaintext login on 127.0.0.1 port {@value #PORT} from the
 * storage-read range), logs in over a socket as IMAP clients do, runs the commands and stops the daemon. It is
 * Dovecot's own IMAP and maildir code that reads our files. Skipped when Dovecot is not installed.
 */
class DovecotInteropTest {

    static final Path DOVECOT = Path.of("/usr/sbin/dovecot");
    static final int PORT = 22143;
    static final String ALICE = "alice@example.org";
    static final Pattern FETCH = Pattern.compile("\\* \\d+ FETCH \\((.*)\\)");

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsDovecot() {
        assumeTrue(Files.isExecutable(DOVECOT) && Files.isExecutable(Path.of("/usr/lib/dovecot/imap")),
                "dovecot-imapd is not installed");
    }

    Path maildir() {
        return tmp.resolve("mail/example.org/alice");
    }

    /** Dovecot's configuration: everything under the test folder, one user, IMAP on loopback only. */
    private Path configure() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        String uid = root ? "65534" : new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim();
        String gid = root ? "65534" : new String(new ProcessBuilder("id", "-g").start().getInputStream().readAllBytes()).trim();
        if (root) {
            // Dovecot refuses to touch mail as root: hand the maildir to the unprivileged user it runs as.
            assertThat(new ProcessBuilder("chown", "-R", "nobody:nogroup", maildir().toString()).start()
                    .waitFor()).isZero();
            // and let it through the (private) test folders above it, up to the test's own folder and no further:
            // going on to its parent made the system's /tmp 0755 (no sticky bit, writable by root alone) for every
            // other user of the machine, apt's sandbox user included
            for (Path d = maildir().getParent(); d != null && d.startsWith(tmp); d = d.getParent()) {
                Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Path dc = Files.createDirectories(tmp.resolve("dovecot"));
        Path run = Files.createDirectories(dc.resolve("run"));
        Path passwd = dc.resolve("passwd");
        Files.writeString(passwd, "alice:{PLAIN}secret:" + uid + ":" + gid + "::" + tmp + "::userdb_mail=maildir:"
                + maildir() + "\n");
        String self = System.getProperty("user.name");
        Path conf = dc.resolve("dovecot.conf");
        Files.writeString(conf, "base_dir = " + run + "\n"
                + "state_dir = " + run + "\n"
                + "log_path = " + dc.resolve("log") + "\n"
                + "instance_name = facteur-interop-" + PORT + "\n"
                + "protocols = imap\n"
                + "listen = 127.0.0.1\n"
                + "ssl = no\n"
                + "disable_plaintext_auth = no\n" // loopback only, test user
                + "auth_mechanisms = plain\n"
                + "first_valid_uid = 1\n"
                + "passdb {\n  driver = passwd-file\n  args = " + passwd + "\n}\n"
                + "userdb {\n  driver = passwd-file\n  args = " + passwd + "\n}\n"
                + "service imap-login {\n  chroot =\n"
                + "  inet_listener imap {\n    address = 127.0.0.1\n    port = " + PORT + "\n  }\n"
                + "  inet_listener imaps {\n    port = 0\n  }\n}\n"
                + "service anvil {\n  chroot =\n}\n"
                // unprivileged: every Dovecot process runs as the user running the test
                + (root ? "" : "default_login_user = " + self + "\ndefault_internal_user = " + self + "\n"));
        return conf;
    }

    /** Starts Dovecot, runs one logged-in IMAP session over a socket, stops Dovecot; returns the transcript. */
    String dovecot(String... commands) throws Exception {
        Path conf = configure();
        Process daemon = new ProcessBuilder(DOVECOT.toString(), "-F", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("dovecot/stdout").toFile()).start();
        try (Socket socket = connect(daemon)) {
            socket.setSoTimeout(15_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            StringBuilder transcript = new StringBuilder(in.readLine()).append("\r\n");
            exchange(in, out, "l", "LOGIN alice secret", transcript);
            assertThat(transcript.toString()).as(transcript.toString()).contains("l OK");
            int tag = 0;
            for (String c : commands) {
                exchange(in, out, "t" + tag++, c, transcript);
            }
            exchange(in, out, "z", "LOGOUT", transcript);
            String text = transcript.toString();
            assertThat(text).as(text).contains("z OK");
            assertThat(Files.readString(tmp.resolve("dovecot/log"))).doesNotContain("Fatal", "Error");
            return text;
        } finally {
            daemon.destroy(); // SIGTERM: the master stops its children
            assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static Socket connect(Process daemon) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                return new Socket(InetAddress.getLoopbackAddress(), PORT);
            } catch (ConnectException e) {
                if (!daemon.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("Dovecot did not listen on 127.0.0.1:" + PORT, e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Sends one tagged command (literals inline, LITERAL+) and reads up to its tagged answer. */
    private static void exchange(BufferedReader in, OutputStream out, String tag, String command, StringBuilder transcript)
            throws Exception {
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        for (String line = in.readLine(); ; line = in.readLine()) {
            assertThat(line).as("Dovecot closed the connection; so far:\n" + transcript).isNotNull();
            transcript.append(line).append("\r\n");
            if (line.startsWith(tag + " ")) {
                return;
            }
        }
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
