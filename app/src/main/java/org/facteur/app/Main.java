package org.facteur.app;

import org.facteur.app.cli.FacteurCommand;
import picocli.CommandLine;

/** The one JVM's entry point: the command line ({@code facteur start}, {@code facteur user add}, ...). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Only the server logs at INFO; admin commands print their own results and show warnings only.
        boolean server = args.length > 0 && args[0].equals("start");
        if (System.getProperty("facteur.log.level") == null) {
            System.setProperty("facteur.log.level", server ? "INFO" : "WARN");
        }
        System.exit(FacteurCommand.commandLine().execute(args));
    }
}
