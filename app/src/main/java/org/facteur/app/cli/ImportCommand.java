package org.facteur.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.facteur.storage.importexport.MailImporter;
import org.facteur.storage.importexport.MboxFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facteur import ACCOUNT PATH}: mail from an mbox file or a maildir into an account, through storage's
 * {@link MailImporter} (re-running skips what was imported). Opens the index in place: server stopped.
 */
@Command(name = "import", description = "Imports an mbox file (into --mailbox) or a maildir (its folders) into an account.")
final class ImportCommand extends ServerFilesCommand {

    @Parameters(index = "0", paramLabel = "ACCOUNT") String account;
    @Parameters(index = "1", paramLabel = "PATH", description = "An mbox file or a maildir folder.") Path source;
    @Option(names = "--mailbox", defaultValue = "INBOX", description = "Target of an mbox (default: ${DEFAULT-VALUE}).") String mailbox;
    @Option(names = "--format", defaultValue = "mboxrd", description = "mbox variant: mboxo, mboxrd, mboxcl (default: ${DEFAULT-VALUE}).") String format;

    @Override
    int run(ServerFiles files, PrintWriter out) throws Exception {
        MailImporter importer = new MailImporter(files.store());
        MailImporter.Result result = Files.isDirectory(source)
                ? importer.importMaildir(account, source, MailImporter.Progress.NONE)
                : importer.importMbox(account, mailbox, source, MboxFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT)),
                        MailImporter.Progress.NONE);
        out.printf("imported %d, skipped %d, failed %d%n",
                result.imported(), result.skipped(), result.failed());
        return result.failed() == 0 ? 0 : 1;
    }
}
