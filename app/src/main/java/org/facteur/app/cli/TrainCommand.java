package org.facteur.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.facteur.filters.bayes.Trainer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facteur train --spam|--ham PATH}: teaches Bayes through filters' {@link Trainer} (a message file, a
 * folder of them, an mbox or a maildir). Opens the filters' database in place: run it with the server stopped.
 */
@Command(name = "train", description = "Teaches the Bayes filter spam or ham from a file, folder, mbox or maildir.")
final class TrainCommand extends ServerFilesCommand {

    static final class Kind {
        @Option(names = "--spam", required = true, description = "The messages are spam.") boolean spam;
        @Option(names = "--ham", required = true, description = "The messages are ham (wanted mail).") boolean ham;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Kind kind;
    @Option(names = "--account", paramLabel = "ACCOUNT",
            description = "Train this account's database (default: the global one).") String account;
    @Parameters(paramLabel = "PATH") Path source;

    @Override
    int run(ServerFiles files, PrintWriter out) throws Exception {
        Trainer.Result result = files.filters().trainer().train(source, kind.spam, account);
        out.printf("trained %d as %s, %d already known, %d failed%n", result.trained(),
                kind.spam ? "spam" : "ham", result.alreadyTrained(), result.failed());
        return result.failed() == 0 ? 0 : 1;
    }
}
