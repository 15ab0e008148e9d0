package org.facteur.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every admin command that works on the server's files shares: {@code --config}/{@code --data}, the
 * configuration loaded once, the parts it opens ({@link ServerFiles}: directory, store, filters, on demand) closed
 * after the run whether it failed or not, and the output picocli was given (so tests can capture it).
 */
abstract class ServerFilesCommand implements Callable<Integer> {

    @Mixin LocationOptions options;
    @Spec CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ServerFiles files = ServerFiles.open(options)) {
            return run(files, out);
        } finally {
            out.flush();
        }
    }

    /** The command itself; returns the process's exit code. */
    abstract int run(ServerFiles files, PrintWriter out) throws Exception;
}
