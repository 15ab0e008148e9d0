package org.facteur.webmail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.facteur.auth.Directory;
import org.facteur.auth.Recipient;
import org.facteur.storage.MailStore;

/**
 * The tests' submission: delivers to local accounts through the real store, refuses anything else. The app
 * wires the real SMTP submission instead.
 */
public final class LocalSubmitter implements MailSubmitter {

    private final Directory directory;
    private final MailStore store;

    public LocalSubmitter(Directory directory, MailStore store) {
        this.directory = directory;
        this.store = store;
    }

    @Override
    public void submit(String account, Path message, List<String> recipients) throws IOException {
        for (String rcpt : recipients) {
            if (!(directory.resolve(rcpt) instanceof Recipient.Local local)) {
                throw new RejectedException("unknown recipient " + rcpt);
            }
            for (String target : local.accounts()) {
                try (InputStream in = Files.newInputStream(message)) {
                    store.deliver(target, "INBOX", in, Set.of());
                }
            }
        }
    }
}
