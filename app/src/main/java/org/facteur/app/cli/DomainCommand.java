package org.facteur.app.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.facteur.app.Setup;
import org.facteur.auth.H2Directory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "domain", description = "Mail domains: add, delete, list.",
        subcommands = {DomainCommand.Add.class, DomainCommand.Del.class, DomainCommand.ListDomains.class})
final class DomainCommand {

    @Command(name = "add", description = "Adds a local domain, with postmaster@ and abuse@ delivered to the first admin.")
    static final class Add extends ServerFilesCommand {
        @Parameters(paramLabel = "DOMAIN") String domain;

        @Override
        int run(ServerFiles files, PrintWriter out) {
            H2Directory directory = files.directory();
            directory.addDomain(domain);
            out.println("added " + domain);
            Setup.ensureRoleAliases(directory, domain).forEach(out::println);
            return 0;
        }
    }

    @Command(name = "del", description = "Deletes a domain (refused while accounts or aliases use it).")
    static final class Del extends ServerFilesCommand {
        @Parameters(paramLabel = "DOMAIN") String domain;

        @Override
        int run(ServerFiles files, PrintWriter out) {
            files.directory().removeDomain(domain);
            out.println("deleted " + domain);
            return 0;
        }
    }

    @Command(name = "list", description = "Lists the local domains.")
    static final class ListDomains extends ServerFilesCommand {
        @Option(names = "--json", description = "Print JSON.") boolean json;

        @Override
        int run(ServerFiles files, PrintWriter out) {
            H2Directory directory = files.directory();
            List<Map<String, Object>> rows = directory.domains().stream().map(d -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("domain", d);
                row.put("catchAll", directory.catchAll(d).orElse(""));
                return row;
            }).toList();
            Output.print(out, json, rows);
            return 0;
        }
    }
}
