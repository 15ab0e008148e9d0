package org.facteur.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.facteur.filters.quarantine.Quarantine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facteur quarantine}: messages held by the filters, through filters' {@link Quarantine}. list, show and
 * delete read plain files and work while the server runs; release delivers into the store, whose index the
 * running server holds, so it needs the server stopped.
 */
@Command(name = "quarantine", description = "Messages held by the filters: list, show, release, delete.",
        subcommands = {QuarantineCommand.ListHeld.class, QuarantineCommand.Show.class,
                QuarantineCommand.Release.class, QuarantineCommand.Delete.class})
final class QuarantineCommand {

    /** The quarantine alone (no filter database), for the commands that need only its files. */
    static Quarantine files(ServerFiles files) {
        return new Quarantine(() -> files.layout.root().resolve(files.config.filters().quarantine().directory()),
                (reversePath, recipients, message) -> {
                    throw new IOException("release needs the filters: not available here");
                });
    }

    static Map<String, Object> row(Quarantine.Entry e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", e.id());
        row.put("heldAt", e.heldAt().toString());
        row.put("reason", e.reason());
        row.put("sender", e.reversePath().isEmpty() ? "<>" : e.reversePath());
        row.put("recipients", e.recipients());
        row.put("size", e.size());
        return row;
    }

    @Command(name = "list", description = "Lists the held messages.")
    static final class ListHeld extends ServerFilesCommand {
        @Option(names = "--json", description = "Print JSON.") boolean json;

        @Override
        int run(ServerFiles files, PrintWriter out) throws IOException {
            List<Map<String, Object>> rows = files(files).list().stream().map(QuarantineCommand::row).toList();
            Output.print(out, json, rows);
            return 0;
        }
    }

    @Command(name = "show", description = "Shows why a message is held; --raw prints the message itself.")
    static final class Show extends ServerFilesCommand {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--json", description = "Print JSON.") boolean json;
        @Option(names = "--raw", description = "Print the held message as received.") boolean raw;

        @Override
        int run(ServerFiles files, PrintWriter out) throws IOException {
            Quarantine quarantine = files(files);
            Quarantine.Entry entry = quarantine.show(id).orElseThrow(() -> new IOException("no quarantined message " + id));
            if (raw) {
                out.flush();
                try (InputStream in = quarantine.open(id)) {
                    in.transferTo(System.out);
                }
                System.out.flush();
            } else {
                Map<String, Object> fields = row(entry);
                fields.put("client", entry.clientAddress());
                Output.printOne(out, json, fields);
            }
            return 0;
        }
    }

    @Command(name = "release", description = "Delivers a held message to its local recipients (server stopped).")
    static final class Release extends ServerFilesCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        int run(ServerFiles files, PrintWriter out) throws IOException {
            if (!files.filters().quarantine().release(id)) {
                throw new IOException("no quarantined message " + id);
            }
            out.println("released " + id);
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes a held message.")
    static final class Delete extends ServerFilesCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        int run(ServerFiles files, PrintWriter out) throws IOException {
            if (!files(files).delete(id)) {
                throw new IOException("no quarantined message " + id);
            }
            out.println("deleted " + id);
            return 0;
        }
    }
}
