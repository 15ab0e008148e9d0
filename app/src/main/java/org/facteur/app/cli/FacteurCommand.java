package org.facteur.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.Set;
import org.facteur.app.ConfigLocation;
import org.facteur.app.FacteurConfig;
import org.facteur.app.Privileges;
import org.facteur.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code facteur}: the server and its administration, one command line. */
@Command(name = "facteur", mixinStandardHelpOptions = true, version = "Facteur 0.1.0",
        description = "A complete, secure mail server in one JVM: SMTP, IMAP, POP3, filters and webmail.",
        subcommands = {StartCommand.class, CheckConfigCommand.class, ReloadCommand.class, UserCommand.class,
                DomainCommand.class, AliasCommand.class, CertCommand.class, QueueCommand.class,
                QuarantineCommand.class, TrainCommand.class, ScanCommand.class, ReindexCommand.class,
                ImportCommand.class, ExportCommand.class, DnsRecordsCommand.class,
                CommandLine.HelpCommand.class})
public final class FacteurCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Exit codes: 0 done, 1 failed (message printed), 2 usage error. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new FacteurCommand());
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("facteur: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        line.setExecutionStrategy(FacteurCommand::execute);
        return line;
    }

    /** Commands that write into the data folder, and so run as the server's user when started as root. */
    private static final Set<String> WRITING = Set.of("reload", "user", "domain", "alias", "cert", "queue",
            "quarantine", "train", "scan", "reindex", "import", "export", "dns-records");

    /**
     * Runs the command, as {@code server.run-as} when started as root for a command that writes in the data
     * folder: files it creates (H2's, certificates, reload requests) must stay the server's.
     */
    private static int execute(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        String top = parsed.hasSubcommand() ? parsed.subcommand().commandSpec().name() : "";
        boolean writes = WRITING.contains(top) && !last.commandSpec().name().equals("show");
        CommandLine.Model.CommandSpec mixin = last.commandSpec().mixins().get("options");
        if (writes && mixin != null && mixin.userObject() instanceof LocationOptions options && Privileges.isRoot()) {
            ConfigLocation location = options.location();
            try {
                if (location.exists()) {
                    FacteurConfig config = location.load();
                    Optional<String> user = config.server().runAs();
                    if (user.isPresent() && Privileges.userExists(user.get())) {
                        return Privileges.rerunAs(user.get(), location.layout(config).tmp(), parsed.originalArgs());
                    }
                }
            } catch (ConfigException e) {
                // The command itself reports the problems.
            } catch (IOException e) {
                parsed.commandSpec().commandLine().getErr().println("facteur: " + e.getMessage());
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }
}
