package org.facteur.filters.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.MimeConfig;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.ParsedMessage;
import org.facteur.filters.Verdict;
import org.facteur.filters.quarantine.Quarantine;
import org.facteur.filters.policy.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attachment policy at end of data, for every entry point (our own users can forward a worm too):
 * reject the message, quarantine it, or strip the dangerous parts and put a notice in their place.
 */
public final class AttachmentFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(AttachmentFilter.class);

    private final Scope scope;
    private final Quarantine quarantine;

    public AttachmentFilter(Scope scope, Quarantine quarantine) {
        this.scope = scope;
        this.quarantine = quarantine;
    }

    @Override
    public String name() {
        return "attachments";
    }

    @Override
    public Verdict data(FilterContext context, MessageData message) throws Exception {
        FilterConfig.Attachments config = scope.config().attachments();
        if (!config.enabled()) {
            return Verdict.CONTINUE;
        }
        ParsedMessage parsed = ParsedMessage.of(context, message);
        List<AttachmentInspector.Finding> findings = new AttachmentInspector(config).inspect(parsed);
        if (findings.isEmpty()) {
            return Verdict.CONTINUE;
        }
        String reasons = findings.stream().map(AttachmentInspector.Finding::reason).collect(Collectors.joining("; "));
        log.info("session {}: dangerous attachment: {}", context.client().sessionId(), reasons);
        return switch (config.action()) {
            // RFC 3463 §3.7: 5.7.1, refused by policy; the text says what to change.
            case REJECT -> Verdict.reject(554, "5.7.1", "Message refused: " + shorten(reasons));
            case QUARANTINE -> quarantine.hold(context, message, "attachment: " + reasons);
            case STRIP -> {
                strip(message, findings);
                context.addHeader("X-Facteur-Stripped", shorten(reasons));
                yield Verdict.CONTINUE;
            }
        };
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /**
     * Rewrites the message with each dangerous leaf part replaced by a text/plain notice. Leaf parts are
     * counted in document order, as the stream parse that found them counted them.
     */
    static void strip(MessageData message, List<AttachmentInspector.Finding> findings) throws IOException {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        Message dom;
        try (InputStream in = message.open()) {
            dom = builder.parseMessage(in);
        }
        Set<Integer> bad = new HashSet<>();
        List<String> notes = new ArrayList<>();
        for (AttachmentInspector.Finding f : findings) {
            bad.add(f.part());
            notes.add(f.name() + ": " + f.reason());
        }
        int[] counter = {0};
        replace(dom, bad, notes, counter);
        Path rewritten = Files.createTempFile(message.file().toAbsolutePath().getParent(), "stripped", ".eml");
        try (OutputStream out = Files.newOutputStream(rewritten)) {
            new DefaultMessageWriter().writeMessage(dom, out);
        }
        dom.dispose();
        message.replace(rewritten);
    }

    private static void replace(Entity entity, Set<Integer> bad, List<String> notes, int[] counter) throws IOException {
        Body body = entity.getBody();
        if (body instanceof Multipart multipart) {
            List<Entity> parts = new ArrayList<>(multipart.getBodyParts());
            for (int i = 0; i < parts.size(); i++) {
                Entity child = parts.get(i);
                if (child.getBody() instanceof Multipart || child.getBody() instanceof Message) {
                    replace(child, bad, notes, counter);
                } else if (bad.contains(counter[0]++)) {
                    parts.set(i, notice(notes));
                }
            }
            multipart.setBodyParts(parts);
        } else if (body instanceof Message nested) {
            replace(nested, bad, notes, counter);
        } else if (bad.contains(counter[0]++)) {
            // A single-part message that is itself the dangerous content.
            Entity notice = notice(notes);
            Body text = notice.removeBody();
            entity.removeBody();
            entity.setBody(text);
            entity.getHeader().setField(org.apache.james.mime4j.field.Fields.contentType("text/plain; charset=utf-8"));
            entity.getHeader().removeFields("Content-Transfer-Encoding");
            entity.getHeader().removeFields("Content-Disposition");
        }
    }

    private static Entity notice(List<String> notes) throws IOException {
        return BodyPartBuilder.create()
                .setBody("This attachment was removed by the mail server because it could be dangerous:\r\n"
                        + String.join("\r\n", notes) + "\r\n", java.nio.charset.StandardCharsets.UTF_8)
                .setContentType("text/plain", new org.apache.james.mime4j.stream.NameValuePair("charset", "utf-8"))
                .setContentDisposition("inline")
                .build();
    }
}
