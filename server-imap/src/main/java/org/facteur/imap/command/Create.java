package org.facteur.imap.command;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.SpecialUse;

/** RFC 9051 §6.3.4 CREATE, with RFC 6154 §3 USE (special use). */
final class Create implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        String name = c.session().mailboxName(c.args().astring());
        Optional<SpecialUse> use = Optional.empty();
        if (c.args().trySp()) {
            c.args().open();
            String word = c.args().atom();
            if (!word.equalsIgnoreCase("USE")) {
                throw new ImapException("Unknown CREATE parameter " + word);
            }
            c.args().sp();
            c.args().open();
            String attribute = c.args().flag();
            c.args().close();
            c.args().close();
            use = Optional.of(java.util.Arrays.stream(SpecialUse.values())
                    .filter(u -> u.attribute().equalsIgnoreCase(attribute)).findFirst()
                    .orElseThrow(() -> ImapException.no("USEATTR", "Unsupported special use " + attribute)));
        }
        c.args().end();
        if (name.isEmpty()) {
            throw ImapException.no("CANNOT", "Empty mailbox name");
        }
        for (MailboxInfo existing : c.session().accountStore().mailboxes()) {
            if (existing.name().equals(name) || (name.equals(MailboxInfo.INBOX))) {
                throw ImapException.no("ALREADYEXISTS", "Mailbox already exists");
            }
        }
        Optional<SpecialUse> finalUse = use;
        MailboxErrors.map(() -> c.session().accountStore().create(name, finalUse), false);
        c.ok("CREATE completed");
    }

}
