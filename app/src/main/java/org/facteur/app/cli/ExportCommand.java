package org.facteur.app.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.facteur.storage.importexport.MailExporter;
import org.facteur.storage.importexport.MailImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facteur export ACCOUNT PATH}: an account as a maildir, or one mailbox as an mbox file ({@code --mailbox}),
 * through storage's {@link MailExporter}. Opens the index in place: server stopped.
 */
@Command(name = "export", description = "Exports an account as a maildir, or one mailbox (--mailbox) as an mbox file.")
final class ExportCommand extends ServerFilesCommand {

    @Parameters(index = "0", paramLabel = "ACCOUNT") String account;
    @Parameters(index = "1", paramLabel = "PATH", description = "Target maildir folder, or mbox file with --mailbox.") Path target;
    @Option(names = "--mailbox", paramLabel = "MAILBOX", description = "Export only this mailbox, as an mboxrd file.") String mailbox;

    @Override
    int run(ServerFiles files, PrintWriter out) throws Exception {
        MailExporter exporter = new MailExporter(files.store());
        long count;
        if (mailbox != null) {
            try (OutputStream mbox = Files.newOutputStream(target)) {
                count = exporter.exportMbox(account, mailbox, mbox, MailImporter.Progress.NONE);
            }
        } else {
            count = exporter.exportMaildir(account, target, MailImporter.Progress.NONE);
        }
        out.printf("exported %d messages to %s%n", count, target);
        return 0;
    }
}
