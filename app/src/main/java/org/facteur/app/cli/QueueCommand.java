package org.facteur.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.facteur.smtp.queue.QueueEntry;
import org.facteur.smtp.queue.QueueRecipient;
import org.facteur.smtp.queue.QueueStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facteur queue}: the outbound queue's files (SPOOL/queue), read and changed through server-smtp's
 * {@link QueueStore}. Plain files, so it works while the server runs; the running queue picks up a retried
 * entry at its next scan.
 */
@Command(name = "queue", description = "Outgoing mail waiting for delivery: list, show, retry, delete.",
        subcommands = {QueueCommand.ListQueue.class, QueueCommand.Show.class, QueueCommand.Retry.class,
                QueueCommand.Delete.class})
final class QueueCommand {

    static Map<String, Object> row(QueueEntry e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", e.id());
        row.put("sender", e.sender().isEmpty() ? "<>" : e.sender());
        row.put("created", e.created().toString());
        row.put("attempts", e.attempts());
        row.put("nextAttempt", String.valueOf(e.nextAttempt()));
        row.put("pending", e.pending().stream().map(QueueRecipient::address).toList());
        return row;
    }

    static QueueEntry read(QueueStore store, String id) throws IOException {
        // Same shape as OutboundQueue's ids: never a path ("../x") into another folder.
        if (!id.matches("[a-z0-9]{1,40}") || !store.exists(id)) {
            throw new IOException("no queue entry " + id);
        }
        return store.read(id);
    }

    @Command(name = "list", description = "Lists the queued messages.")
    static final class ListQueue extends ServerFilesCommand {
        @Option(names = "--json", description = "Print JSON.") boolean json;

        @Override
        int run(ServerFiles files, PrintWriter out) throws IOException {
            QueueStore store = new QueueStore(files.queue());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String id : store.ids()) {
                rows.add(row(store.read(id)));
            }
            Output.print(out, json, rows);
            return 0;
        }
    }

    @Command(name = "show", description = "Shows one queued message: envelope and each recipient's state.")
    static final class Show extends ServerFilesCommand {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--json", description = "Print JSON.") boolean json;

        @Override
        int run(ServerFiles files, PrintWriter out) throws IOException {
            QueueEntry e = read(new QueueStore(files.queue()), id);
            Map<String, Object> fields = row(e);
            fields.remove("pending");
            fields.put("recipients", e.recipients().stream().map(r -> r.address() + " " + r.state()
                    + (r.status() == null || r.status().isEmpty() ? "" : " " + r.status())
                    + (r.diagnostic() == null || r.diagnostic().isEmpty() ? "" : " (" + r.diagnostic() + ")")).toList());
            Output.printOne(out, json, fields);
            return 0;
        }
    }

    @Command(name = "retry", description = "Makes a queued message due now.")
    static final class Retry extends ServerFilesCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        int run(ServerFiles files, PrintWriter out) throws IOException {
            QueueStore store = new QueueStore(files.queue());
            QueueEntry e = read(store, id);
            store.writeEnvelope(e.scheduled(e.attempts(), Instant.now(), e.delayNotified()));
            out.println("due now: " + id);
            return 0;
        }
    }

    @Command(name = "delete", description = "Drops a queued message without a bounce.")
    static final class Delete extends ServerFilesCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        int run(ServerFiles files, PrintWriter out) throws IOException {
            QueueStore store = new QueueStore(files.queue());
            read(store, id);
            store.delete(id);
            out.println("deleted " + id);
            return 0;
        }
    }
}
