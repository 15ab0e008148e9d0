package org.facteur.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code facteur}: the server and its administration, one command line. */
@Command(name = "facteur", mixinStandardHelpOptions = true, version = "Facteur 0.1.0",
        description = "A complete, secure mail server in one JVM: SMTP, IMAP, POP3, filters and webmail.",
        subcommands = {StartCommand.class, CheckConfigCommand.class, ReloadCommand.class, CertCommand.class,
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
        return line;
    }
}
