package org.facteur.app.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.facteur.app.Setup;
import org.facteur.auth.H2Directory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "domain", description = "Mail domains: add, delete, list.",
        subcommands = {DomainCommand.Add.class, DomainCommand.Del.class, DomainCommand.ListDomains.class})
final class DomainCommand {

    @Command(name = "add", description = "Adds a local domain, with postmaster@ and abuse@ delivered to the first admin.")
    static final class Add implements Callable<Integer> {
        @Mixin LocationOptions options;
        @Parameters(paramLabel = "DOMAIN") String domain;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (H2Directory directory = AdminContext.openDirectory(options)) {
                directory.addDomain(domain);
                spec.commandLine().getOut().println("added " + domain);
                Setup.ensureRoleAliases(directory, domain).forEach(spec.commandLine().getOut()::println);
            }
            return 0;
        }
    }

    @Command(name = "del", description = "Deletes a domain (refused while accounts or aliases use it).")
    static final class Del implements Callable<Integer> {
        @Mixin LocationOptions options;
        @Parameters(paramLabel = "DOMAIN") String domain;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (H2Directory directory = AdminContext.openDirectory(options)) {
                directory.removeDomain(domain);
                spec.commandLine().getOut().println("deleted " + domain);
            }
            return 0;
        }
    }

    @Command(name = "list", description = "Lists the local domains.")
    static final class ListDomains implements Callable<Integer> {
        @Mixin LocationOptions options;
        @Option(names = "--json", description = "Print JSON.") boolean json;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (H2Directory directory = AdminContext.openDirectory(options)) {
                List<Map<String, Object>> rows = directory.domains().stream().map(d -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("domain", d);
                    row.put("catchAll", directory.catchAll(d).orElse(""));
                    return row;
                }).toList();
                Output.print(spec.commandLine().getOut(), json, rows);
            }
            return 0;
        }
    }
}
