package org.facteur.app.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.facteur.auth.Account;
import org.facteur.auth.AccountQuota;
import org.facteur.auth.DirectoryException;
import org.facteur.auth.H2Directory;
import org.facteur.config.DataSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "user", description = "Accounts: add, change password, delete, list, quota.",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.Del.class, UserCommand.ListUsers.class,
                UserCommand.Quota.class})
final class UserCommand {

    @Command(name = "add", description = "Creates an account named by its address (its domain must exist). "
            + "The password is read from standard input when it is not a terminal, else prompted.")
    static final class Add extends ServerFilesCommand {
        @Parameters(paramLabel = "ADDRESS") String address;
        @Option(names = "--admin", description = "May administer the server.") boolean admin;

        @Override
        int run(ServerFiles files, PrintWriter out) throws Exception {
            String password = PasswordInput.read(address); // before the directory opens
            Account account = files.directory().addAccount(address, password, admin);
            out.println("added " + account.name() + (admin ? " (admin)" : ""));
            return 0;
        }
    }

    @Command(name = "passwd", description = "Sets an account's password (standard input or prompt, as for add).")
    static final class Passwd extends ServerFilesCommand {
        @Parameters(paramLabel = "ADDRESS") String address;

        @Override
        int run(ServerFiles files, PrintWriter out) throws Exception {
            String password = PasswordInput.read(address);
            files.directory().setPassword(address, password);
            out.println("password changed for " + address);
            return 0;
        }
    }

    @Command(name = "del", description = "Deletes an account and its addresses (its mail stays on disk).")
    static final class Del extends ServerFilesCommand {
        @Parameters(paramLabel = "ADDRESS") String address;

        @Override
        int run(ServerFiles files, PrintWriter out) {
            files.directory().removeAccount(address);
            out.println("deleted " + address);
            return 0;
        }
    }

    @Command(name = "list", description = "Lists the accounts.")
    static final class ListUsers extends ServerFilesCommand {
        @Option(names = "--json", description = "Print JSON.") boolean json;

        @Override
        int run(ServerFiles files, PrintWriter out) {
            List<Map<String, Object>> rows = files.directory().accounts().stream().map(a -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", a.name());
                row.put("admin", a.admin());
                row.put("addresses", a.addresses().stream().sorted().toList());
                return row;
            }).toList();
            Output.print(out, json, rows);
            return 0;
        }
    }

    @Command(name = "quota", description = "Shows or sets an account's own quota (bytes of mail, number of messages), "
            + "which overrides storage.quotaBytes / storage.quotaMessages; applies at once, the server may run. "
            + "Each value: a size (500MB, 2GB) or a count, 'none' for no limit, 'default' for the configured default.")
    static final class Quota extends ServerFilesCommand {
        @Parameters(paramLabel = "ACCOUNT") String address;
        @Option(names = "--storage", paramLabel = "SIZE", description = "Bytes of stored mail: 500MB, 2GB, none, default.")
        String storage;
        @Option(names = "--messages", paramLabel = "N", description = "Number of messages: 10000, none, default.")
        String messages;

        @Override
        int run(ServerFiles files, PrintWriter out) {
            H2Directory directory = files.directory();
            String name = directory.account(address).map(Account::name)
                    .orElseThrow(() -> new DirectoryException("no account " + address));
            AccountQuota q = directory.quota(name);
            if (storage != null || messages != null) {
                q = new AccountQuota(storage == null ? q.bytes() : limit(storage, true),
                        messages == null ? q.messages() : limit(messages, false));
                directory.setQuota(name, q);
            }
            out.println(name + ": storage " + show(q.bytes(), files.config.storage().quotaBytes(), true)
                    + ", messages " + show(q.messages(), files.config.storage().quotaMessages(), false));
            return 0;
        }

        private OptionalLong limit(String value, boolean size) {
            String v = value.trim();
            if (v.equalsIgnoreCase("default")) {
                return OptionalLong.empty();
            }
            if (v.equalsIgnoreCase("none") || v.equals("-1")) {
                return OptionalLong.of(-1);
            }
            try {
                return OptionalLong.of(size ? DataSize.parse(v).bytes() : Long.parseLong(v));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "'" + value + "' is not "
                        + (size ? "a size (like 500MB or 2GB)" : "a number") + ", 'none' or 'default'");
            }
        }

        private static String show(OptionalLong own, long configured, boolean size) {
            if (own.isEmpty()) {
                return "default (" + value(configured, size) + ")";
            }
            return value(own.getAsLong(), size);
        }

        private static String value(long limit, boolean size) {
            return limit < 0 ? "none" : size ? DataSize.ofBytes(limit).toString() : Long.toString(limit);
        }
    }
}
