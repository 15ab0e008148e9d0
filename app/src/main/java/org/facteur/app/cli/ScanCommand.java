package org.facteur.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facteur scan PATH [--report]}: the content filters over messages on disk, through filters'
 * {@code Filters.scanner}. Never quarantines. Opens the filters' database in place: run it with the server stopped.
 */
@Command(name = "scan", description = "Runs the content filters over a file, folder, mbox or maildir and prints each verdict.")
final class ScanCommand extends ServerFilesCommand {

    @Parameters(paramLabel = "PATH") Path source;
    @Option(names = "--report", description = "Also print the headers the filters would add (score, reasons).") boolean report;
    @Option(names = "--threads", defaultValue = "2", description = "Messages scanned at once (default: ${DEFAULT-VALUE}).") int threads;

    @Override
    int run(ServerFiles files, PrintWriter out) throws Exception {
        files.filters().scanner(threads).scan(source, report, out);
        return 0;
    }
}
