package org.facteur.app.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "alias", description = "Aliases: an address of a local domain delivering to other addresses.",
        subcommands = {AliasCommand.Add.class, AliasCommand.Del.class, AliasCommand.ListAliases.class})
final class AliasCommand {

    @Command(name = "add", description = "Adds TARGET (a local account address or a remote address) to the alias "
            + "ADDRESS, creating it; repeat to deliver to several targets.")
    static final class Add extends ServerFilesCommand {
        @Parameters(index = "0", paramLabel = "ADDRESS") String address;
        @Parameters(index = "1", paramLabel = "TARGET") String target;

        @Override
        int run(ServerFiles files, PrintWriter out) {
            files.directory().addAlias(address, target);
            out.println("added " + address + " -> " + target);
            return 0;
        }
    }

    @Command(name = "del", description = "Removes one TARGET of the alias, or the whole alias without TARGET.")
    static final class Del extends ServerFilesCommand {
        @Parameters(index = "0", paramLabel = "ADDRESS") String address;
        @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET") String target;

        @Override
        int run(ServerFiles files, PrintWriter out) {
            files.directory().removeAlias(address, target);
            out.println("deleted " + address + (target == null ? "" : " -> " + target));
            return 0;
        }
    }

    @Command(name = "list", description = "Lists the aliases and their targets.")
    static final class ListAliases extends ServerFilesCommand {
        @Option(names = "--json", description = "Print JSON.") boolean json;

        @Override
        int run(ServerFiles files, PrintWriter out) {
            List<Map<String, Object>> rows = files.directory().aliases().stream().map(a -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("address", a.address());
                row.put("targets", a.targets());
                return row;
            }).toList();
            Output.print(out, json, rows);
            return 0;
        }
    }
}
