package org.facteur.imap.session;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.auth.sasl.SaslContext;
import org.facteur.config.MachineName;
import org.facteur.imap.ImapConfig;
import org.facteur.imap.command.CommandContext;
import org.facteur.imap.command.Commands;
import org.facteur.imap.command.ImapCommand;
import org.facteur.imap.protocol.CommandReader;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.protocol.ProtocolLimitException;
import org.facteur.imap.protocol.RawCommand;
import org.facteur.imap.protocol.ResponseWriter;
import org.facteur.imap.protocol.SequenceSet;
import org.facteur.net.Connection;
import org.facteur.net.TlsInfo;
import org.facteur.storage.AccountStore;
import org.facteur.storage.Flags;
import org.facteur.storage.MailStore;
import org.facteur.storage.MailboxEvent;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.ModifiedUtf7;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads commands, runs them in the state machine of RFC 9051 §3, and tells the client of
 * other parties' changes at the points the RFC allows.
 */
public final class ImapSession {

    private static final Logger log = LoggerFactory.getLogger(ImapSession.class);

    /** What ENABLE can turn on (RFC 5161). */
    public enum Extension { IMAP4REV2, CONDSTORE, QRESYNC, UTF8_ACCEPT }

    private final Connection connection;
    private final Supplier<ImapConfig> configSupplier;
    private final Authenticator authenticator;
    private final MailStore store;
    private final boolean startTlsPossible;
    private final ResponseWriter out;
    private final CommandReader reader;
    private final EnumSet<Extension> enabled = EnumSet.noneOf(Extension.class);
    private ImapConfig config;
    private SessionState state = SessionState.NOT_AUTHENTICATED;
    private String account;
    private AccountStore accountStore;
    private SelectedMailbox selected;
    private List<Long> savedResult = List.of();
    private int authFailures;
    private boolean compressed;
    private String hostname;

    public ImapSession(Connection connection, Supplier<ImapConfig> config, Authenticator authenticator, MailStore store,
                       boolean startTlsPossible) {
        this.connection = connection;
        this.configSupplier = config;
        this.config = config.get();
        this.authenticator = authenticator;
        this.store = store;
        this.startTlsPossible = startTlsPossible;
        this.out = ResponseWriter.of(connection);
        this.reader = new CommandReader(connection);
        this.hostname = MachineName.unless(this.config.hostname());
    }

    public void run() throws IOException {
        out.untagged("OK [CAPABILITY " + String.join(" ", capabilities()) + "] Facteur IMAP server ready");
        try {
            while (state != SessionState.LOGOUT) {
                config = configSupplier.get();
                connection.setReadTimeout(state == SessionState.NOT_AUTHENTICATED
                        ? config.connections().idleTimeout() : config.idleTimeout());
                CommandReader.Result r = reader.read(new CommandReader.Limits(config.maxLineLength().toIntBytes(),
                        config.maxLiteralSize().bytes(), config.appendLimit().bytes()));
                if (r.error() != null) {
                    reject(r.tag(), r.error());
                    continue;
                }
                dispatch(r.command());
            }
        } catch (ProtocolLimitException e) {
            bye(e.code(), e.getMessage());
        } catch (SocketTimeoutException e) {
            bye(null, "Autologout; idle for too long"); // RFC 9051 §5.4
        } catch (EOFException | SocketException | SSLException e) {
            log.debug("IMAP connection ended: {}", e.toString());
        } finally {
            deselect();
        }
    }

    private void bye(String code, String text) {
        try {
            out.untagged("BYE " + (code == null ? "" : "[" + code + "] ") + text);
            out.flush();
        } catch (IOException ignored) {
            // the client is gone
        }
        state = SessionState.LOGOUT;
    }

    private void reject(String tag, ImapException e) throws IOException {
        String status = e.no() ? "NO" : "BAD";
        if (tag == null) {
            out.untagged(status + " " + (e.code() == null ? "" : "[" + e.code() + "] ") + e.getMessage());
        } else {
            out.tagged(tag, status, e.code(), e.getMessage());
        }
    }

    private void dispatch(RawCommand raw) throws IOException {
        String name = raw.name();
        var args = raw.arguments(config.maxNesting());
        boolean uid = false;
        if (name.equals("UID")) {
            try {
                args.sp();
                name = args.atom().toUpperCase(java.util.Locale.ROOT);
            } catch (ImapException e) {
                reject(raw.tag(), e);
                return;
            }
            uid = true;
        }
        ImapCommand command = Commands.get(name, uid);
        if (command == null) {
            out.tagged(raw.tag(), "BAD", "CLIENTBUG", "Unknown command " + (uid ? "UID " : "") + printable(name));
            return;
        }
        if (!command.states().contains(state)) {
            out.tagged(raw.tag(), "BAD", "CLIENTBUG", (uid ? "UID " : "") + name + " is not valid "
                    + switch (state) {
                        case NOT_AUTHENTICATED -> "before login";
                        case AUTHENTICATED -> "without a selected mailbox";
                        default -> "now";
                    });
            return;
        }
        CommandContext context = new CommandContext(this, raw.tag(), name, uid, args);
        try {
            command.execute(context);
        } catch (ImapException e) {
            if (e.no()) {
                sendUpdates(context.expungeAllowed());
            }
            reject(raw.tag(), e);
        } catch (EOFException | SocketException | SSLException | SocketTimeoutException | ProtocolLimitException e) {
            throw e;
        } catch (IOException e) {
            // Storage failures: the command fails, the session goes on, and the trace stays in our log.
            log.warn("IMAP {} for {} failed", name, account, e);
            reject(raw.tag(), ImapException.no("SERVERBUG", "Internal error, try again later"));
        } catch (RuntimeException | StackOverflowError e) {
            log.error("IMAP {} for {} failed", name, account, e);
            reject(raw.tag(), ImapException.no("SERVERBUG", "Internal error"));
        }
    }

    private static String printable(String s) {
        return s.length() > 32 ? s.substring(0, 32) + "..." : s;
    }

    // ---- state

    public ImapConfig config() {
        return config;
    }

    public Connection connection() {
        return connection;
    }

    public ResponseWriter out() {
        return out;
    }

    public SessionState state() {
        return state;
    }

    public String account() {
        return account;
    }

    public AccountStore accountStore() {
        return accountStore;
    }

    public MailStore store() {
        return store;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public SelectedMailbox selected() {
        return selected;
    }

    public boolean isEnabled(Extension e) {
        return enabled.contains(e);
    }

    public void enable(Extension e) {
        enabled.add(e);
        if (e == Extension.IMAP4REV2 || e == Extension.UTF8_ACCEPT) {
            out.utf8(true);
        }
    }

    /** IMAP4rev2 semantics: no \Recent, ESEARCH answers to SEARCH, UTF-8 names (RFC 9051 Appendix E). */
    public boolean rev2() {
        return enabled.contains(Extension.IMAP4REV2);
    }

    /** CONDSTORE is on once enabled, or once a command used it (RFC 7162 §3.1). */
    public boolean condstore() {
        return enabled.contains(Extension.CONDSTORE) || enabled.contains(Extension.QRESYNC);
    }

    /**
     * RFC 7162 §3.1: a CONDSTORE-enabling command (FETCH MODSEQ, CHANGEDSINCE, UNCHANGEDSINCE, SEARCH MODSEQ)
     * turns CONDSTORE on; with a mailbox selected the client is then told its HIGHESTMODSEQ.
     */
    public void condstoreUsed() throws IOException {
        if (!condstore()) {
            enable(Extension.CONDSTORE);
            if (selected != null) {
                out.untagged("OK [HIGHESTMODSEQ " + Math.max(1, selected.view().highestModSeq()) + "] CONDSTORE enabled");
            }
        }
    }

    public boolean qresync() {
        return enabled.contains(Extension.QRESYNC);
    }

    public boolean secure() {
        return connection.isSecure();
    }

    public boolean startTlsPossible() {
        return startTlsPossible && !connection.isSecure();
    }

    public boolean compressed() {
        return compressed;
    }

    public void markCompressed() {
        compressed = true;
    }

    public String hostname() {
        return hostname;
    }

    public SaslContext saslContext() {
        return new SaslContext("imap", hostname, connection.remoteAddress().getAddress(), connection.isSecure(),
                connection.tls().map(TlsInfo::peerCertificates).orElse(List.of()));
    }

    public List<String> capabilities() {
        List<String> mechanisms = state == SessionState.NOT_AUTHENTICATED
                ? authenticator.mechanisms(saslContext()) : List.of();
        return Capabilities.list(secure(), startTlsPossible(), state != SessionState.NOT_AUTHENTICATED, mechanisms,
                config.appendLimit().bytes(), config.compression(), compressed);
    }

    /** After LOGIN or AUTHENTICATE succeeded. */
    public void loggedIn(String accountName) throws IOException {
        this.accountStore = store.account(accountName);
        this.account = accountName;
        this.state = SessionState.AUTHENTICATED;
        log.info("IMAP login {} from {}", accountName, connection.remoteAddress().getAddress().getHostAddress());
    }

    /** Counts a failed login; true when the limit is reached and the session must end. */
    public boolean authFailed() {
        return ++authFailures >= config.maxAuthFailures();
    }

    public void logout() {
        state = SessionState.LOGOUT;
    }

    public void select(SelectedMailbox mailbox) {
        deselect();
        selected = mailbox;
        state = SessionState.SELECTED;
    }

    public void deselect() {
        if (selected != null) {
            selected.close();
            selected = null;
            savedResult = List.of();
        }
        if (state == SessionState.SELECTED) {
            state = SessionState.AUTHENTICATED;
        }
    }

    public List<Long> savedResult() {
        return savedResult;
    }

    public void saveResult(List<Long> uids) {
        savedResult = List.copyOf(uids);
    }

    // ---- mailbox names

    /** A name or pattern as the client sent it, decoded from modified UTF-7 unless UTF-8 is on. */
    public String decodeName(String wire) throws ImapException {
        if (out.utf8()) {
            return wire;
        }
        try {
            return ModifiedUtf7.decodeStrict(wire);
        } catch (IllegalArgumentException e) {
            throw ImapException.no("CANNOT", "Mailbox name is not valid modified UTF-7");
        }
    }

    /** A mailbox name from the client, decoded (modified UTF-7 unless UTF-8 is on) and with INBOX normalised. */
    public String mailboxName(String wire) throws ImapException {
        String name = decodeName(wire);
        while (name.endsWith("/") && name.length() > 1) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equalsIgnoreCase("INBOX")) {
            return "INBOX";
        }
        if (name.regionMatches(true, 0, "INBOX/", 0, 6)) {
            return "INBOX" + name.substring(5);
        }
        return name;
    }

    // ---- sequence sets

    /**
     * UIDs named by a sequence set: message numbers ({@code uid == false}, every number must exist, RFC 9051
     * §6.4.8 BAD otherwise) or UIDs (those that exist are taken), in ascending order.
     */
    public List<Long> resolve(SequenceSet set, boolean uid) throws ImapException {
        return resolve(set, uid, true);
    }

    /** As {@link #resolve(SequenceSet, boolean)}; with {@code strict} false, numbers past the end match nothing (SEARCH). */
    public List<Long> resolve(SequenceSet set, boolean uid, boolean strict) throws ImapException {
        SelectedMailbox box = selected;
        List<Long> uids = new ArrayList<>();
        if (set.isSavedResult()) {
            for (long u : savedResult) {
                if (box.msnOf(u) > 0) {
                    uids.add(u);
                }
            }
            return uids;
        }
        List<MessageMeta> messages = box.messages();
        if (uid) {
            long star = box.lastUid();
            List<long[]> ranges = set.resolve(star);
            for (MessageMeta m : messages) {
                for (long[] r : ranges) {
                    if (m.uid() >= r[0] && m.uid() <= r[1]) {
                        uids.add(m.uid());
                        break;
                    }
                }
            }
            return uids;
        }
        int n = messages.size();
        if (strict && (set.largestExplicit() > n || (n == 0 && !set.ranges().isEmpty()))) {
            throw new ImapException("CLIENTBUG", "Invalid message sequence number");
        }
        boolean[] chosen = new boolean[n + 1];
        for (long[] r : set.resolve(n)) {
            for (long i = Math.max(1, r[0]); i <= Math.min(n, r[1]); i++) {
                chosen[(int) i] = true;
            }
        }
        for (int i = 1; i <= n; i++) {
            if (chosen[i]) {
                uids.add(messages.get(i - 1).uid());
            }
        }
        return uids;
    }

    // ---- untagged updates

    /**
     * Tells the client what others changed, in order. EXPUNGE waits while {@code expungeAllowed} is false (during
     * FETCH, STORE and SEARCH by sequence number, RFC 9051 §7.5.1), and so does whatever came after it.
     */
    public void sendUpdates(boolean expungeAllowed) throws IOException {
        SelectedMailbox box = selected;
        if (box == null) {
            return;
        }
        int added = 0;
        MailboxEvent e;
        while ((e = box.peekPending()) != null) {
            if (e instanceof MailboxEvent.Expunged && !expungeAllowed) {
                break;
            }
            if (!(e instanceof MailboxEvent.Added) && added > 0) {
                announceExists(box);
                added = 0;
            }
            box.pollPending();
            switch (e) {
                case MailboxEvent.Added a -> added += box.add(a.messages());
                case MailboxEvent.FlagsChanged f -> {
                    for (MessageMeta m : f.messages()) {
                        int msn = box.msnOf(m.uid());
                        if (msn > 0 && box.update(m)) {
                            writeFlags(msn, m, true);
                        }
                    }
                }
                case MailboxEvent.Expunged x -> announceExpunged(box, x.uids());
                case MailboxEvent.Gone g -> {
                    box.markGone();
                    bye(null, "The selected mailbox was deleted or renamed by another session");
                    throw new EOFException("selected mailbox gone");
                }
            }
            box.noteModSeq(e.highestModSeq());
        }
        if (added > 0) {
            announceExists(box);
        }
    }

    private void announceExists(SelectedMailbox box) throws IOException {
        out.untagged(box.size() + " EXISTS");
        if (!rev2()) {
            out.untagged(recentCount(box) + " RECENT");
        }
    }

    /** \Recent messages among those the client knows (storage's set may run ahead of the announcements). */
    public int recentCount(SelectedMailbox box) {
        int n = 0;
        for (long uid : box.view().recent()) {
            if (box.msnOf(uid) > 0) {
                n++;
            }
        }
        return n;
    }

    /** EXPUNGE for each message (higher numbers first, so each number is valid when sent), or one VANISHED. */
    public void announceExpunged(SelectedMailbox box, List<Long> uids) throws IOException {
        if (qresync()) {
            List<Long> known = new ArrayList<>();
            for (long u : uids) {
                if (box.remove(u) > 0) {
                    known.add(u);
                }
            }
            if (!known.isEmpty()) {
                out.untagged("VANISHED " + SequenceSet.format(known)); // RFC 7162 §3.2.10
            }
            return;
        }
        for (int i = uids.size() - 1; i >= 0; i--) {
            int msn = box.remove(uids.get(i));
            if (msn > 0) {
                out.untagged(msn + " EXPUNGE");
            }
        }
    }

    /**
     * Sends {@code * FLAGS (...)} first when {@code m} carries a keyword the client was not told of: a client
     * may reject a keyword it has not seen in FLAGS (RFC 9051 §7.3.5).
     */
    public void announceKeywords(MessageMeta m) throws IOException {
        SelectedMailbox box = selected;
        if (box != null && box.hasNewKeywords(m)) {
            out.untagged("FLAGS (" + box.announceKeywords(List.of(m)) + ")");
        }
    }

    /** {@code * n FETCH (FLAGS (...) UID u [MODSEQ (m)])}. */
    public void writeFlags(int msn, MessageMeta m, boolean withUid) throws IOException {
        announceKeywords(m);
        out.star().number(msn).raw(" FETCH (FLAGS ");
        flagList(m);
        if (withUid) {
            out.raw(" UID ").number(m.uid());
        }
        if (condstore()) {
            out.raw(" MODSEQ (").number(m.modSeq()).raw(")");
        }
        out.raw(")").end();
    }

    /** The flag list of a message; \Recent added for IMAP4rev1 sessions (RFC 3501 §2.3.2). */
    public void flagList(MessageMeta m) {
        out.open();
        boolean first = true;
        for (String f : sortedFlags(m.flags())) {
            if (!first) {
                out.sp();
            }
            first = false;
            out.raw(f);
        }
        if (!rev2() && selected != null && selected.view().isRecent(m.uid())) {
            if (!first) {
                out.sp();
            }
            out.raw(Flags.RECENT);
        }
        out.close();
    }

    private static List<String> sortedFlags(Set<String> flags) {
        List<String> list = new ArrayList<>(flags);
        list.sort(null);
        return list;
    }
}
