package org.facteur.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.facteur.filters.bayes.Trainer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code facteur train --spam|--ham PATH}: teaches Bayes through filters' {@link Trainer} (a message file, a
 * folder of them, an mbox or a maildir). Opens the filters' database in place: run it with the server stopped.
 */
@Command(name = "train", description = "Teaches the Bayes filter spam or ham from a file, folder, mbox or maildir.")
final class TrainCommand implements Callable<Integer> {

    static final class Kind {
        @Option(names = "--spam", required = true, description = "The messages are spam.") boolean spam;
        @Option(names = "--ham", required = true, description = "The messages are ham (wanted mail).") boolean ham;
    }

    @Mixin LocationOptions options;
    @ArgGroup(exclusive = true, multiplicity = "1") Kind kind;
    @Option(names = "--account", paramLabel = "ACCOUNT",
            description = "Train this account's database (default: the global one).") String account;
    @Parameters(paramLabel = "PATH") Path source;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (ServerFiles files = ServerFiles.open(options)) {
            Trainer.Result result = files.filters().trainer().train(source, kind.spam, account);
            spec.commandLine().getOut().printf("trained %d as %s, %d already known, %d failed%n", result.trained(),
                    kind.spam ? "spam" : "ham", result.alreadyTrained(), result.failed());
            return result.failed() == 0 ? 0 : 1;
        }
    }
}
