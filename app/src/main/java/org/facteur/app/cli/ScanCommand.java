package org.facteur.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code facteur scan PATH [--report]}: the content filters over messages on disk, through filters'
 * {@code Filters.scanner}. Never quarantines. Opens the filters' database in place: run it with the server stopped.
 */
@Command(name = "scan", description = "Runs the content filters over a file, folder, mbox or maildir and prints each verdict.")
final class ScanCommand implements Callable<Integer> {

    @Mixin LocationOptions options;
    @Parameters(paramLabel = "PATH") Path source;
    @Option(names = "--report", description = "Also print the headers the filters would add (score, reasons).") boolean report;
    @Option(names = "--threads", defaultValue = "2", description = "Messages scanned at once (default: ${DEFAULT-VALUE}).") int threads;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (ServerFiles files = ServerFiles.open(options)) {
            files.filters().scanner(threads).scan(source, report, spec.commandLine().getOut());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
