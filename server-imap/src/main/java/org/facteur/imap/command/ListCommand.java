package org.facteur.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.ImapSession;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.MailboxStatus;
import org.facteur.storage.MailboxNotFoundException;

/**
 * RFC 9051 §6.3.9 LIST with LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819), SPECIAL-USE (RFC 6154) and
 * CHILDREN (RFC 3348); and RFC 3501 §6.3.9 LSUB.
 */
final class ListCommand implements ImapCommand {

    private final boolean lsub;

    ListCommand(boolean lsub) {
        this.lsub = lsub;
    }

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        ImapSession session = c.session();
        boolean subscribedOnly = lsub;
        boolean specialUseOnly = false;
        boolean recursiveMatch = false;
        boolean returnSubscribed = false;
        boolean returnSpecialUse = true;
        List<String> statusItems = null;
        c.args().sp();
        if (!lsub && c.args().tryOpen()) {
            while (!c.args().tryClose()) {
                String option = c.args().atom().toUpperCase(Locale.ROOT);
                switch (option) {
                    case "SUBSCRIBED" -> {
                        subscribedOnly = true;
                        returnSubscribed = true;
                    }
                    case "SPECIAL-USE" -> specialUseOnly = true;
                    case "RECURSIVEMATCH" -> recursiveMatch = true;
                    case "REMOTE" -> { }
                    default -> throw new ImapException("Unknown LIST selection option " + option);
                }
                c.args().trySp();
            }
            c.args().sp();
            if (recursiveMatch && !subscribedOnly && !specialUseOnly) {
                // RFC 5258 §3: RECURSIVEMATCH needs another selection option to apply to.
                throw new ImapException("RECURSIVEMATCH needs another selection option");
            }
        }
        String reference = lenientName(session, c.args().astring());
        c.args().sp();
        List<String> patterns = new ArrayList<>();
        if (!lsub && c.args().tryOpen()) {
            do {
                patterns.add(c.args().listMailbox());
            } while (c.args().trySp());
            c.args().close();
        } else {
            patterns.add(c.args().listMailbox());
        }
        if (!lsub && c.args().trySp()) {
            if (!c.args().atom().equalsIgnoreCase("RETURN")) {
                throw new ImapException("Expected RETURN");
            }
            c.args().sp();
            c.args().open();
            while (!c.args().tryClose()) {
                String option = c.args().atom().toUpperCase(Locale.ROOT);
                switch (option) {
                    case "SUBSCRIBED" -> returnSubscribed = true;
                    case "CHILDREN", "SPECIAL-USE" -> { }
                    case "STATUS" -> {
                        c.args().sp();
                        statusItems = Status.readItems(c.args());
                    }
                    default -> throw new ImapException("Unknown LIST return option " + option);
                }
                c.args().trySp();
            }
        }
        c.args().end();

        if (patterns.size() == 1 && patterns.get(0).isEmpty() && !lsub) {
            // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter.
            c.out().untagged("LIST (\\Noselect) \"/\" \"\"");
            c.ok("LIST completed");
            return;
        }
        Map<String, MailboxInfo> existing = new TreeMap<>();
        for (MailboxInfo info : session.accountStore().mailboxes()) {
            existing.put(info.name(), info);
        }
        Set<String> subscribed = session.accountStore().subscriptions();
        // Parents of existing mailboxes that do not exist themselves are listed as \Noselect.
        Map<String, MailboxInfo> all = new TreeMap<>(existing);
        for (String name : existing.keySet()) {
            int slash = name.lastIndexOf('/');
            while (slash > 0) {
                String parent = name.substring(0, slash);
                all.putIfAbsent(parent, null);
                slash = parent.lastIndexOf('/');
            }
        }
        // RFC 5258 §3.1: a subscribed name whose mailbox is gone is still listed, as \NonExistent.
        Set<String> names = new TreeSet<>(all.keySet());
        if (subscribedOnly) {
            names.addAll(subscribed);
        }
        List<Pattern> matchers = new ArrayList<>();
        for (String p : patterns) {
            matchers.add(compile(reference + lenientName(session, p)));
        }
        for (String name : names) {
            MailboxInfo info = all.get(name);
            if (!matchesAny(matchers, name)) {
                continue;
            }
            boolean isSubscribed = subscribed.contains(name);
            // RFC 5258 §3.5: with RECURSIVEMATCH, a match with a subscribed descendant that no pattern matches
            // is returned with CHILDINFO (a matching descendant is returned itself).
            boolean childInfo = recursiveMatch && subscribedOnly && hasSubscribedDescendant(subscribed, name, matchers);
            if (subscribedOnly && !isSubscribed) {
                if (lsub && hasSubscribedDescendant(subscribed, name, matchers)) {
                    // RFC 3501 §6.3.9: a "%" match whose subscribed children are not shown is listed \Noselect.
                    c.out().star().raw("LSUB (\\Noselect) \"/\" ").mailbox(name).end();
                } else if (!lsub && childInfo) {
                    c.out().star().raw("LIST (").raw(hasChild(all, name) ? "\\HasChildren" : "\\HasNoChildren")
                            .raw(") \"/\" ").mailbox(name).raw(" (\"CHILDINFO\" (\"SUBSCRIBED\"))").end();
                }
                continue;
            }
            if (specialUseOnly && (info == null || info.specialUse().isEmpty())) {
                continue;
            }
            if (lsub) {
                c.out().star().raw(all.containsKey(name) ? "LSUB () \"/\" " : "LSUB (\\Noselect) \"/\" ")
                        .mailbox(name).end();
                continue;
            }
            List<String> attributes = new ArrayList<>();
            if (!all.containsKey(name)) {
                attributes.add("\\NonExistent"); // implies \Noselect (RFC 5258 §3.4)
            } else if (info == null) {
                attributes.add("\\Noselect");
            }
            if (all.containsKey(name)) {
                boolean children = info == null || info.hasChildren() || hasChild(all, name);
                attributes.add(children ? "\\HasChildren" : "\\HasNoChildren");
            }
            if (returnSubscribed && isSubscribed) {
                attributes.add("\\Subscribed");
            }
            if (info != null && returnSpecialUse && info.specialUse().isPresent()) {
                attributes.add(info.specialUse().get().attribute());
            }
            c.out().star().raw("LIST (").raw(String.join(" ", attributes)).raw(") \"/\" ").mailbox(name);
            if (childInfo) {
                c.out().raw(" (\"CHILDINFO\" (\"SUBSCRIBED\"))");
            }
            c.out().end();
            if (statusItems != null && info != null) {
                try {
                    MailboxStatus status = session.accountStore().status(name);
                    Status.write(session, name, status, statusItems);
                } catch (MailboxNotFoundException gone) {
                    // deleted meanwhile: RFC 5819 §2 lets the STATUS be left out
                }
            }
        }
        c.ok(lsub ? "LSUB completed" : "LIST completed");
    }

    /** A pattern that is not valid modified UTF-7 simply matches no mailbox (it is not an error for LIST). */
    private static String lenientName(ImapSession session, String wire) {
        try {
            return session.decodeName(wire);
        } catch (ImapException e) {
            return wire;
        }
    }

    private static boolean matchesAny(List<Pattern> matchers, String name) {
        return matchers.stream().anyMatch(m -> m.matcher(name).matches());
    }

    /** Whether a subscribed name lies under {@code name} and matches none of {@code matchers}. */
    private static boolean hasSubscribedDescendant(Set<String> subscribed, String name, List<Pattern> matchers) {
        String prefix = name + "/";
        for (String s : subscribed) {
            if (s.startsWith(prefix) && !matchesAny(matchers, s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasChild(Map<String, MailboxInfo> all, String name) {
        String prefix = name + "/";
        for (String other : all.keySet()) {
            if (other.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** A LIST pattern as a regular expression: "*" matches anything, "%" anything but the separator. */
    static Pattern compile(String pattern) {
        if (pattern.regionMatches(true, 0, "INBOX", 0, 5)
                && (pattern.length() == 5 || pattern.charAt(5) == '/' || pattern.charAt(5) == '%' || pattern.charAt(5) == '*')) {
            pattern = "INBOX" + pattern.substring(5);
        }
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '*' || ch == '%') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(ch == '*' ? ".*" : "[^/]*");
            } else {
                literal.append(ch);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
