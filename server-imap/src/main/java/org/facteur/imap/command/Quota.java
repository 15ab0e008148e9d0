package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;

/** RFC 9208 GETQUOTA, GETQUOTAROOT and SETQUOTA. Every account has one quota root, "". */
final class Quota implements ImapCommand {

    enum Kind { GET, ROOT, SET }

    private final Kind kind;

    Quota(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        String argument = c.args().astring();
        switch (kind) {
            case SET -> {
                c.args().sp();
                c.args().open();
                while (!c.args().tryClose()) {
                    c.args().atom();
                    c.args().sp();
                    c.args().number();
                    c.args().trySp();
                }
                c.args().end();
                throw ImapException.no("NOPERM", "Quotas are set by the administrator");
            }
            case GET -> {
                c.args().end();
                if (!argument.isEmpty()) {
                    throw ImapException.no("NONEXISTENT", "No such quota root");
                }
            }
            case ROOT -> {
                c.args().end();
                String mailbox = c.session().mailboxName(argument);
                MailboxErrors.map(() -> c.session().accountStore().status(mailbox), false);
                c.out().star().raw("QUOTAROOT ").mailbox(mailbox).raw(" \"\"").end();
            }
        }
        org.facteur.storage.Quota q = c.session().accountStore().quota();
        StringBuilder resources = new StringBuilder();
        if (q.limitBytes() >= 0) {
            // RFC 9208 §5.1: STORAGE is in units of 1024 octets.
            resources.append("STORAGE ").append((q.usedBytes() + 1023) / 1024).append(' ').append(q.limitBytes() / 1024);
        }
        if (q.limitMessages() >= 0) {
            if (!resources.isEmpty()) {
                resources.append(' ');
            }
            resources.append("MESSAGE ").append(q.usedMessages()).append(' ').append(q.limitMessages());
        }
        c.out().untagged("QUOTA \"\" (" + resources + ")");
        c.ok(kind == Kind.GET ? "GETQUOTA completed" : "GETQUOTAROOT completed");
    }
}
