package org.facteur.app.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.facteur.auth.H2Directory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "alias", description = "Aliases: an address of a local domain delivering to other addresses.",
        subcommands = {AliasCommand.Add.class, AliasCommand.Del.class, AliasCommand.ListAliases.class})
final class AliasCommand {

    @Command(name = "add", description = "Adds TARGET (a local account address or a remote address) to the alias "
            + "ADDRESS, creating it; repeat to deliver to several targets.")
    static final class Add implements Callable<Integer> {
        @Mixin LocationOptions options;
        @Parameters(index = "0", paramLabel = "ADDRESS") String address;
        @Parameters(index = "1", paramLabel = "TARGET") String target;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (H2Directory directory = AdminContext.openDirectory(options)) {
                directory.addAlias(address, target);
                spec.commandLine().getOut().println("added " + address + " -> " + target);
            }
            return 0;
        }
    }

    @Command(name = "del", description = "Removes one TARGET of the alias, or the whole alias without TARGET.")
    static final class Del implements Callable<Integer> {
        @Mixin LocationOptions options;
        @Parameters(index = "0", paramLabel = "ADDRESS") String address;
        @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET") String target;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (H2Directory directory = AdminContext.openDirectory(options)) {
                directory.removeAlias(address, target);
                spec.commandLine().getOut().println("deleted " + address + (target == null ? "" : " -> " + target));
            }
            return 0;
        }
    }

    @Command(name = "list", description = "Lists the aliases and their targets.")
    static final class ListAliases implements Callable<Integer> {
        @Mixin LocationOptions options;
        @Option(names = "--json", description = "Print JSON.") boolean json;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (H2Directory directory = AdminContext.openDirectory(options)) {
                List<Map<String, Object>> rows = directory.aliases().stream().map(a -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("address", a.address());
                    row.put("targets", a.targets());
                    return row;
                }).toList();
                Output.print(spec.commandLine().getOut(), json, rows);
            }
            return 0;
        }
    }
}
