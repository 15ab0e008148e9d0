package org.facteur.imap.command;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.facteur.imap.protocol.ArgumentReader;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.protocol.SequenceSet;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.AppendResult;
import org.facteur.storage.Flags;

/**
 * RFC 9051 §6.3.12 APPEND, with MULTIAPPEND (RFC 3502), UIDPLUS APPENDUID (RFC 4315), APPENDLIMIT (RFC 7889,
 * enforced by the command reader before any byte is read) and the UTF8 data item (RFC 6855 §4).
 */
final class Append implements ImapCommand {

    /** date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE */
    static final DateTimeFormatter DATE_TIME = new java.time.format.DateTimeFormatterBuilder()
            .parseCaseInsensitive().appendPattern("d-MMM-yyyy HH:mm:ss Z").toFormatter(Locale.ROOT);

    record Message(Set<String> flags, Instant date, byte[] content) {
    }

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        ArgumentReader in = c.args();
        in.sp();
        String mailbox = c.session().mailboxName(in.astring());
        List<Message> messages = new ArrayList<>();
        while (in.trySp()) {
            Set<String> flags = Set.of();
            Instant date = null;
            if (in.peekIs('(')) {
                flags = readFlags(in);
                in.sp();
            }
            if (in.peekIs('"')) {
                date = parseDate(in.string());
                in.sp();
            }
            byte[] content;
            if (in.peekWord("UTF8")) {
                in.atom();
                in.sp();
                in.open();
                content = in.literal();
                in.close();
            } else {
                content = in.literal();
            }
            if (content.length == 0) {
                throw ImapException.no("CANNOT", "Empty message");
            }
            messages.add(new Message(flags, date, content));
        }
        in.end();
        if (messages.isEmpty()) {
            throw new ImapException("Missing message");
        }
        List<Long> uids = new ArrayList<>();
        long uidValidity = 0;
        for (Message m : messages) {
            AppendResult r = MailboxErrors.map(() -> c.session().accountStore().append(mailbox,
                    new ByteArrayInputStream(m.content()), m.flags(), m.date()), true);
            uids.add(r.uid());
            uidValidity = r.uidValidity();
        }
        if (c.selected() != null && c.selected().name().equals(mailbox)) {
            CopyMove.showAdded(c, uids);
        }
        c.ok("APPENDUID " + uidValidity + " " + SequenceSet.format(uids), "APPEND completed");
    }

    /** flag-list = "(" [flag *(SP flag)] ")"; \Recent cannot be set (RFC 9051 §2.3.2). */
    static Set<String> readFlags(ArgumentReader in) throws ImapException {
        Set<String> flags = new LinkedHashSet<>();
        in.open();
        if (in.tryClose()) {
            return flags;
        }
        do {
            flags.add(checkFlag(in.flag()));
        } while (in.trySp());
        in.close();
        return flags;
    }

    static String checkFlag(String flag) throws ImapException {
        if (flag.startsWith("\\")) {
            for (String system : Flags.SYSTEM) {
                if (system.equalsIgnoreCase(flag)) {
                    return system;
                }
            }
            throw new ImapException("Invalid system flag " + flag);
        }
        return flag;
    }

    static Instant parseDate(String text) throws ImapException {
        try {
            return ZonedDateTime.parse(text.trim(), DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new ImapException("Invalid date-time " + text);
        }
    }
}
