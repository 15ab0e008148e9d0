package org.facteur.imap.command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.facteur.imap.fetch.SectionLocator;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SelectedMailbox;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.mime.IndexFields;
import org.facteur.storage.mime.StructureParser;

/**
 * RFC 5256 THREAD with ORDEREDSUBJECT and REFERENCES. Message-ID, In-Reply-To, Subject and Date come from the
 * cached envelope; References is read from the stored header. REFERENCES here links by the reference chain and
 * orders by date, without the RFC's last step of merging unlinked threads by subject.
 */
final class ThreadCommand implements ImapCommand {

    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");

    @Override
    public Set<SessionState> states() {
        return SELECTED;
    }

    private static final class Node {
        final String id;
        Msg message;
        Node parent;
        final List<Node> children = new ArrayList<>();

        Node(String id) {
            this.id = id;
        }
    }

    /** {@code reply}: the subject had a reply/forward leader or trailer that the base subject dropped (§2.1). */
    private record Msg(long number, long uid, String subject, boolean reply, Instant date, String messageId,
            List<String> references) {
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        String algorithm = c.args().atom().toUpperCase(Locale.ROOT);
        if (!algorithm.equals("ORDEREDSUBJECT") && !algorithm.equals("REFERENCES")) {
            throw new ImapException("Unknown THREAD algorithm " + algorithm);
        }
        c.args().sp();
        SearchParser.checkCharset(c.args().astring());
        c.args().sp();
        SearchQuery query = new SearchParser(c.session(), c.args()).keys();
        SelectedMailbox box = c.selected();
        List<Msg> messages = new ArrayList<>();
        for (long uid : Search.known(box, box.view().search(query, List.of()))) {
            messages.add(describe(box, uid, c.uid() ? uid : box.msnOf(uid), algorithm.equals("REFERENCES")));
        }
        StringBuilder sb = new StringBuilder("THREAD ");
        if (algorithm.equals("ORDEREDSUBJECT")) {
            orderedSubject(messages, sb);
        } else {
            references(messages, sb);
        }
        c.out().untagged(sb.toString().trim());
        c.ok("THREAD completed");
    }

    private static Msg describe(SelectedMailbox box, long uid, long number, boolean withReferences) throws IOException {
        MessageStructure s = box.view().structure(uid);
        var e = s.envelope();
        Instant date = parseDate(e.date(), box.at(box.msnOf(uid)).internalDate());
        List<String> refs = new ArrayList<>();
        if (withReferences) {
            String references = header(box, uid, s, "References");
            if (references != null) {
                Matcher m = MESSAGE_ID.matcher(references);
                while (m.find()) {
                    refs.add(m.group());
                }
            }
            if (refs.isEmpty() && e.inReplyTo() != null) {
                Matcher m = MESSAGE_ID.matcher(e.inReplyTo());
                if (m.find()) {
                    refs.add(m.group());
                }
            }
        }
        String id = e.messageId() == null ? null : e.messageId().trim();
        String decoded = e.subject() == null ? null : StructureParser.decodeHeader(e.subject()); // §2.1 (1)
        String base = IndexFields.baseSubject(decoded);
        String plain = decoded == null ? "" : decoded.strip().replaceAll("\\s+", " ");
        return new Msg(number, uid, base, !base.equals(plain.toUpperCase(Locale.ROOT)), date, id, refs);
    }

    private static String header(SelectedMailbox box, long uid, MessageStructure s, String name) throws IOException {
        SectionLocator.Range r = new SectionLocator.Range(s.root().headerOffset(), s.root().bodyOffset() - s.root().headerOffset());
        byte[] header;
        try (InputStream in = box.view().open(uid)) {
            in.skipNBytes(r.offset());
            header = in.readNBytes((int) Math.min(r.length(), 256 * 1024));
        }
        byte[] field = SectionLocator.filterHeader(header, List.of(name.toUpperCase(Locale.ROOT)), false);
        String text = new String(field, StandardCharsets.ISO_8859_1).trim();
        int colon = text.indexOf(':');
        return colon < 0 ? null : text.substring(colon + 1).replaceAll("\\s+", " ").trim();
    }

    /** RFC 5256 §2.2: the sent date, or the internal date when the Date header field is missing or unreadable. */
    private static Instant parseDate(String date, Instant fallback) {
        long millis = IndexFields.parseDate(date);
        return millis < 0 ? fallback : Instant.ofEpochMilli(millis);
    }

    private static final Comparator<Msg> BY_DATE = Comparator.comparing(Msg::date).thenComparing(Msg::number);

    private static void orderedSubject(List<Msg> messages, StringBuilder sb) {
        Map<String, List<Msg>> bySubject = new LinkedHashMap<>();
        messages.stream().sorted(BY_DATE).forEach(m -> bySubject.computeIfAbsent(m.subject(), k -> new ArrayList<>()).add(m));
        for (List<Msg> thread : bySubject.values()) {
            sb.append('(').append(thread.get(0).number());
            if (thread.size() == 2) {
                sb.append(' ').append(thread.get(1).number());
            } else {
                sb.append(' '); // RFC 5256 §5: thread-nested is 2*thread-list, with no space between them
                for (int i = 1; i < thread.size(); i++) {
                    sb.append('(').append(thread.get(i).number()).append(')');
                }
            }
            sb.append(')');
        }
    }

    private static void references(List<Msg> messages, StringBuilder sb) {
        Map<String, Node> table = new HashMap<>();
        int anonymous = 0;
        for (Msg m : messages) { // RFC 5256 REFERENCES 1: in sequence order, so a duplicate ID stays with the first
            String id = m.messageId();
            if (id == null || (table.containsKey(id) && table.get(id).message != null)) {
                id = "<anonymous-" + (anonymous++) + ">"; // RFC 5256 §3 (1A): duplicates and missing IDs are unique
            }
            Node node = table.computeIfAbsent(id, Node::new);
            node.message = m;
            Node previous = null;
            for (String ref : m.references()) {
                Node r = table.computeIfAbsent(ref, Node::new);
                if (previous != null && r.parent == null && !isAncestor(r, previous) && r != previous) {
                    r.parent = previous;
                    previous.children.add(r);
                }
                previous = r;
            }
            if (previous != null && node.parent != null) {
                // 1C: an existing parent came from someone's truncated References; this message's own last
                // reference decides, and when linking to it would make a loop the message stays a root
                node.parent.children.remove(node);
                node.parent = null;
            }
            if (previous != null && previous != node && !isAncestor(node, previous)) {
                node.parent = previous;
                previous.children.add(node);
            }
        }
        List<Node> roots = new ArrayList<>();
        for (Node n : table.values()) {
            if (n.parent == null) {
                roots.add(n);
            }
        }
        List<Node> threads = new ArrayList<>();
        for (Node root : roots) {
            threads.addAll(prune(root));
        }
        threads = mergeBySubject(threads);
        threads.sort(BY_FIRST_DATE);
        for (Node t : threads) {
            sb.append('(');
            write(t, sb);
            sb.append(')');
        }
    }

    /** The subject a thread is grouped by: its root's, or a dummy root's first child's (RFC 5256 REFERENCES 5B). */
    private static Msg subjectHolder(Node root) {
        Node n = root;
        while (n.message == null && !n.children.isEmpty()) {
            n = n.children.get(0);
        }
        return n.message;
    }

    /** RFC 5256 REFERENCES step 5: threads whose roots share a base subject are gathered into one. */
    static List<Node> mergeBySubject(List<Node> roots) {
        Map<String, Node> bySubject = new HashMap<>();
        for (Node root : roots) { // 5C: a dummy or a non-reply root wins the subject table
            Msg m = subjectHolder(root);
            if (m == null || m.subject().isEmpty()) {
                continue;
            }
            Node old = bySubject.get(m.subject());
            if (old == null || (root.message == null && old.message != null)
                    || (old.message != null && subjectHolder(old).reply() && !m.reply() && root.message != null)) {
                bySubject.put(m.subject(), root);
            }
        }
        List<Node> out = new ArrayList<>();
        Map<Node, Node> replaced = new HashMap<>();
        for (Node root : roots) {
            Msg m = subjectHolder(root);
            Node table = m == null || m.subject().isEmpty() ? null : bySubject.get(m.subject());
            if (table != null && replaced.containsKey(table)) {
                table = replaced.get(table);
            }
            if (table == null || table == root) {
                out.add(root);
                continue;
            }
            if (table.message == null && root.message == null) { // 5E i: both dummies, pool the children
                for (Node child : root.children) {
                    adopt(table, child);
                }
            } else if (table.message == null) { // 5E ii: one is a dummy, the other goes under it
                adopt(table, root);
            } else if (root.message == null) {
                adopt(root, table);
                out.set(out.indexOf(table), root);
                replaced.put(table, root);
                bySubject.put(m.subject(), root);
            } else if (!subjectHolder(table).reply() && m.reply()) { // 5E iii: a reply goes under the original
                adopt(table, root);
            } else { // 5E iv: siblings under a new dummy
                Node dummy = new Node(null);
                int at = out.indexOf(table);
                adopt(dummy, table);
                adopt(dummy, root);
                out.set(at, dummy);
                replaced.put(table, dummy);
                bySubject.put(m.subject(), dummy);
            }
        }
        for (Node root : out) {
            root.children.sort(BY_FIRST_DATE);
        }
        return out;
    }

    private static void adopt(Node parent, Node child) {
        child.parent = parent;
        parent.children.add(child);
    }

    private static boolean isAncestor(Node candidate, Node of) {
        for (Node n = of; n != null; n = n.parent) {
            if (n == candidate) {
                return true;
            }
        }
        return false;
    }

    /** Removes dummy nodes (ids referenced but not in the result), promoting their children (RFC 5256 §3 (4)). */
    private static List<Node> prune(Node node) {
        List<Node> kept = new ArrayList<>();
        for (Node child : new ArrayList<>(node.children)) {
            kept.addAll(prune(child));
        }
        node.children.clear();
        node.children.addAll(kept);
        kept.forEach(k -> k.parent = node);
        if (node.message != null) {
            node.children.sort(BY_FIRST_DATE);
            return List.of(node);
        }
        if (node.parent == null && node.children.size() > 1) {
            // A dummy root with several children stays as the thread's root (written as a nested list).
            node.children.sort(BY_FIRST_DATE);
            return List.of(node);
        }
        return node.children;
    }

    /** RFC 5256 REFERENCES 4, 6: siblings and threads by date, equal dates by sequence number. */
    private static final Comparator<Node> BY_FIRST_DATE =
            Comparator.comparing(ThreadCommand::firstDate).thenComparingLong(ThreadCommand::firstNumber);

    private static long firstNumber(Node n) {
        if (n.message != null) {
            return n.message.number();
        }
        long min = Long.MAX_VALUE;
        for (Node c : n.children) {
            min = Math.min(min, firstNumber(c));
        }
        return min;
    }

    private static Instant firstDate(Node n) {
        if (n.message != null) {
            return n.message.date();
        }
        Instant min = Instant.MAX;
        for (Node c : n.children) {
            Instant d = firstDate(c);
            if (d.isBefore(min)) {
                min = d;
            }
        }
        return min;
    }

    private static void write(Node n, StringBuilder sb) {
        if (n.message != null) {
            sb.append(n.message.number());
        }
        if (n.children.size() == 1 && n.message != null) {
            sb.append(' ');
            write(n.children.get(0), sb);
        } else {
            if (n.message != null && !n.children.isEmpty()) {
                sb.append(' ');
            }
            for (Node child : n.children) {
                sb.append('(');
                write(child, sb);
                sb.append(')');
            }
        }
    }
}
