package org.facteur.filters.bayes;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.facteur.filters.ParsedMessage;

/**
 * Turns a message into the distinct tokens the classifier counts, in the manner of SpamBayes: words of the
 * decoded, rendered body; words of selected headers with the header's name as a prefix (a word in the
 * Subject says something else than the same word in the body); the hosts of links; the structure (content
 * types, charsets, attachment kinds). Our own X-Spam-* headers are never read, or the classifier would learn
 * its own past verdicts. At most {@code maxTokens} distinct tokens are kept per message.
 */
public final class Tokenizer {

    private static final Pattern ADDRESS = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
    private static final Pattern HOST = Pattern.compile("(?i)(?:https?://)?(?:[^/@\\s]*@)?([^/:?#\\s]+)");
    private static final Pattern IP_IN_RECEIVED = Pattern.compile("\\[(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})\\.\\d{1,3}\\]");
    private static final Pattern NAME_IN_RECEIVED = Pattern.compile("(?i)\\bfrom\\s+([\\w.-]+)");

    /** Headers whose words are tokens, with the prefix used. */
    private static final String[][] WORD_HEADERS = {
            {"subject", "s:"}, {"from", "f:"}, {"reply-to", "rt:"}, {"to", "t:"}, {"cc", "cc:"},
            {"x-mailer", "xm:"}, {"user-agent", "ua:"}, {"organization", "o:"}, {"list-id", "li:"},
            {"precedence", "p:"}, {"content-type", "ct:"}, {"x-priority", "xp:"}, {"x-msmail-priority", "xp:"},
            {"mime-version", "mv:"}, {"return-path", "rp:"}, {"sender", "se:"}, {"importance", "im:"}};

    private final int maxTokens;

    public Tokenizer(int maxTokens) {
        this.maxTokens = maxTokens;
    }

    public Set<String> tokens(ParsedMessage message) {
        Set<String> tokens = new LinkedHashSet<>();
        for (ParsedMessage.Header h : message.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-spam-")) {
                continue;
            }
            add(tokens, "hn:" + name);
            for (String[] wh : WORD_HEADERS) {
                if (wh[0].equals(name)) {
                    words(tokens, wh[1], h.value());
                    break;
                }
            }
            if (name.equals("received")) {
                received(tokens, h.value());
            } else if (name.equals("message-id")) {
                int at = h.value().lastIndexOf('@');
                if (at >= 0) {
                    add(tokens, "mid:" + h.value().substring(at + 1).replace(">", "").toLowerCase(Locale.ROOT));
                } else {
                    add(tokens, "mid:none");
                }
            }
        }
        if (message.header("message-id") == null) {
            add(tokens, "mid:missing");
        }
        if (message.header("date") == null) {
            add(tokens, "date:missing");
        }
        int images = 0;
        for (ParsedMessage.Part part : message.parts()) {
            add(tokens, "type:" + part.mimeType());
            if (part.charset() != null) {
                add(tokens, "cs:" + part.charset().toLowerCase(Locale.ROOT));
            }
            String cte = part.header("content-transfer-encoding");
            if (cte != null) {
                add(tokens, "cte:" + cte.toLowerCase(Locale.ROOT).strip());
            }
            if (part.filename() != null) {
                String f = part.filename().toLowerCase(Locale.ROOT);
                int dot = f.lastIndexOf('.');
                add(tokens, "ext:" + (dot >= 0 ? f.substring(dot + 1) : "none"));
            }
            if (part.mimeType().startsWith("image/")) {
                images++;
            }
        }
        add(tokens, "images:" + Math.min(images, 5));
        if (message.malformed()) {
            add(tokens, "mime:malformed");
        }
        for (String uri : message.uris()) {
            url(tokens, uri);
            if (tokens.size() >= maxTokens) {
                break;
            }
        }
        words(tokens, "", message.text());
        return tokens;
    }

    private void received(Set<String> tokens, String value) {
        Matcher ip = IP_IN_RECEIVED.matcher(value);
        if (ip.find()) {
            add(tokens, "rip:" + ip.group(1));
        }
        Matcher name = NAME_IN_RECEIVED.matcher(value);
        if (name.find()) {
            String host = name.group(1).toLowerCase(Locale.ROOT);
            String[] labels = host.split("\\.");
            if (labels.length >= 2) {
                add(tokens, "rh:" + labels[labels.length - 2] + "." + labels[labels.length - 1]);
            }
        }
    }

    private void url(Set<String> tokens, String uri) {
        Matcher m = HOST.matcher(uri);
        if (!m.lookingAt()) {
            return;
        }
        String host = m.group(1).toLowerCase(Locale.ROOT);
        if (host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            add(tokens, "url:ip");
            return;
        }
        String[] labels = host.split("\\.");
        // The registered part and each suffix: url:example.com, url:com.
        for (int i = Math.max(0, labels.length - 3); i < labels.length; i++) {
            add(tokens, "url:" + String.join(".", java.util.Arrays.copyOfRange(labels, i, labels.length)));
        }
        String rest = uri.substring(m.end());
        int q = rest.indexOf('?');
        if (q >= 0) {
            add(tokens, "url:query");
            rest = rest.substring(0, q);
        }
        for (String piece : rest.split("[/._-]+")) {
            if (piece.length() >= 3 && piece.length() <= 12) {
                add(tokens, "up:" + piece.toLowerCase(Locale.ROOT));
            }
        }
    }

    private void words(Set<String> tokens, String prefix, String text) {
        if (text == null) {
            return;
        }
        int n = text.length();
        int i = 0;
        while (i < n && tokens.size() < maxTokens) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                word(tokens, prefix, text, start, i);
            }
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\u00a0' || c == '\f';
    }

    private static boolean isTrimmed(char c) {
        return !Character.isLetterOrDigit(c) && c != '$' && c != '%';
    }

    private void word(Set<String> tokens, String prefix, String text, int start, int end) {
        for (int j = start; j < end; j++) {
            if (text.charAt(j) == '@' && j > start) {
                Matcher a = ADDRESS.matcher(text.substring(start, end));
                if (a.find()) {
                    String address = a.group().toLowerCase(Locale.ROOT);
                    int at = address.indexOf('@');
                    add(tokens, prefix + "email:" + address.substring(0, at));
                    add(tokens, prefix + "email@" + address.substring(at + 1));
                    return;
                }
                break;
            }
        }
        while (start < end && isTrimmed(text.charAt(start))) {
            start++;
        }
        while (end > start && isTrimmed(text.charAt(end - 1))) {
            end--;
        }
        int length = end - start;
        if (length < 3) {
            return;
        }
        if (length > 12) {
            // SpamBayes' "skip" tokens: long words are rare and spread the counts too thin.
            add(tokens, prefix + "skip:" + Character.toLowerCase(text.charAt(start)) + (length / 10 * 10));
            return;
        }
        String word = text.substring(start, end);
        add(tokens, prefix + word.toLowerCase(Locale.ROOT));
        if (!prefix.isEmpty() || hasUpperRun(word)) {
            // Case carries signal in spam (FREE, URGENT): keep a case-preserving token as bogofilter does.
            add(tokens, prefix + "C:" + word);
        }
    }

    private static boolean hasUpperRun(String word) {
        int upper = 0;
        for (int i = 0; i < word.length(); i++) {
            if (Character.isUpperCase(word.charAt(i))) {
                upper++;
            }
        }
        return upper >= 3 && upper == word.length();
    }

    private static void add(Set<String> tokens, String token) {
        tokens.add(token);
    }

    /** 64-bit FNV-1a of the token's UTF-16 text: the key stored in the token database. */
    public static long hash(String token) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            h ^= c & 0xff;
            h *= 0x100000001b3L;
            h ^= c >>> 8;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
