package org.facteur.app.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.facteur.storage.maildir.MaildirStore;
import org.facteur.storage.maildir.ReindexReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facteur reindex [ACCOUNT]}: rebuilds the mail index from the maildirs through storage's
 * {@link MaildirStore#reindex}, keeping UIDs. Opens the index in place: run it with the server stopped.
 */
@Command(name = "reindex", description = "Rebuilds the mail index from the maildir (one account, or all) and reports what differed.")
final class ReindexCommand extends ServerFilesCommand {

    @Parameters(paramLabel = "ACCOUNT", arity = "0..1", description = "Only this account (default: every account).") String account;
    @Option(names = "--json", description = "Print JSON.") boolean json;

    @Override
    int run(ServerFiles files, PrintWriter out) throws Exception {
        MaildirStore store = files.store();
        List<String> accounts = account == null ? store.accounts() : List.of(account);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String a : accounts) {
            ReindexReport report = store.reindex(a);
            for (ReindexReport.Mailbox box : report.mailboxes()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("account", report.account());
                row.put("mailbox", box.name());
                row.put("messages", box.messages());
                row.put("missing", box.missing().size());
                row.put("extra", box.extra().size());
                row.put("flagsDiffer", box.flagsDiffer().size());
                rows.add(row);
            }
        }
        Output.print(out, json, rows);
        return 0;
    }
}
