package org.facteur.app.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.facteur.auth.Account;
import org.facteur.auth.H2Directory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "user", description = "Accounts: add, change password, delete, list.",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.Del.class, UserCommand.ListUsers.class})
final class UserCommand {

    @Command(name = "add", description = "Creates an account named by its address (its domain must exist). "
            + "The password is read from standard input when it is not a terminal, else prompted.")
    static final class Add implements Callable<Integer> {
        @Mixin LocationOptions options;
        @Parameters(paramLabel = "ADDRESS") String address;
        @Option(names = "--admin", description = "May administer the server.") boolean admin;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String password = AdminContext.readPassword(address);
            try (H2Directory directory = AdminContext.openDirectory(options)) {
                Account account = directory.addAccount(address, password, admin);
                spec.commandLine().getOut().println("added " + account.name() + (admin ? " (admin)" : ""));
            }
            return 0;
        }
    }

    @Command(name = "passwd", description = "Sets an account's password (standard input or prompt, as for add).")
    static final class Passwd implements Callable<Integer> {
        @Mixin LocationOptions options;
        @Parameters(paramLabel = "ADDRESS") String address;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String password = AdminContext.readPassword(address);
            try (H2Directory directory = AdminContext.openDirectory(options)) {
                directory.setPassword(address, password);
                spec.commandLine().getOut().println("password changed for " + address);
            }
            return 0;
        }
    }

    @Command(name = "del", description = "Deletes an account and its addresses (its mail stays on disk).")
    static final class Del implements Callable<Integer> {
        @Mixin LocationOptions options;
        @Parameters(paramLabel = "ADDRESS") String address;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (H2Directory directory = AdminContext.openDirectory(options)) {
                directory.removeAccount(address);
                spec.commandLine().getOut().println("deleted " + address);
            }
            return 0;
        }
    }

    @Command(name = "list", description = "Lists the accounts.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin LocationOptions options;
        @Option(names = "--json", description = "Print JSON.") boolean json;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (H2Directory directory = AdminContext.openDirectory(options)) {
                List<Map<String, Object>> rows = directory.accounts().stream().map(a -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", a.name());
                    row.put("admin", a.admin());
                    row.put("addresses", a.addresses().stream().sorted().toList());
                    return row;
                }).toList();
                Output.print(spec.commandLine().getOut(), json, rows);
            }
            return 0;
        }
    }
}
