package org.facteur.filters.bayes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.facteur.filters.ParsedMessage;
import org.facteur.filters.tools.MessageSource;
import org.facteur.storage.MailStore;
import org.facteur.storage.Mailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training API, used by {@code facteur train --spam|--ham FILE|MBOX|MAILDIR}, by the webmail's
 * spam/not-spam buttons and by moves into or out of Junk ({@link #reclassificationListener}). Training is
 * idempotent per message: the same message trained twice as spam counts once; trained as ham later, it moves.
 */
public final class Trainer {

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    /** Counts of one bulk run. */
    public record Result(int trained, int alreadyTrained, int failed) {
    }

    private final BayesClassifier classifier;

    public Trainer(BayesClassifier classifier) {
        this.classifier = classifier;
    }

    /** @param account the account's database, or null/empty for the global one */
    public boolean train(InputStream message, boolean spam, String account) throws IOException {
        ParsedMessage parsed = ParsedMessage.parse(message, ParsedMessage.Limits.DEFAULT);
        return train(parsed, spam, account);
    }

    public boolean train(ParsedMessage message, boolean spam, String account) throws IOException {
        return classifier.train(message, spam, account == null ? "" : account);
    }

    /** Trains without writing to the database yet: for bulk runs that call {@link #flush()} at the end. */
    public boolean trainDeferred(ParsedMessage message, boolean spam, String account) throws IOException {
        return classifier.train(message, spam, account == null ? "" : account, false);
    }

    public void flush() throws IOException {
        classifier.store().flush();
    }

    /** Trains every message of a file, folder, maildir or mbox. */
    public Result train(Path source, boolean spam, String account) throws IOException {
        int[] counts = new int[3];
        MessageSource.walk(source, item -> {
            try {
                ParsedMessage parsed = ParsedMessage.parse(new ByteArrayInputStream(item.content()), ParsedMessage.Limits.DEFAULT);
                if (classifier.train(parsed, spam, account == null ? "" : account, false)) {
                    counts[0]++;
                } else {
                    counts[1]++;
                }
            } catch (IOException | RuntimeException e) {
                counts[2]++;
                log.warn("cannot train {}: {}", item.name(), e.getMessage());
            }
        });
        classifier.store().flush();
        return new Result(counts[0], counts[1], counts[2]);
    }

    /** What the application registers with {@link MailStore#addReclassificationListener}. */
    public MailStore.ReclassificationListener reclassificationListener(MailStore store) {
        return (account, mailbox, uid, spam) -> {
            try (Mailbox box = store.account(account).open(mailbox, true, event -> { });
                 InputStream in = box.open(uid)) {
                train(in, spam, account);
            } catch (IOException | RuntimeException e) {
                // Training is best effort: a failure must never undo the user's move.
                log.warn("cannot train {} message {} of {}: {}", spam ? "spam" : "ham", uid, account, e.getMessage());
            }
        };
    }
}
