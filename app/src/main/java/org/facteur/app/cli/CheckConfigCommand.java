package org.facteur.app.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.facteur.app.ConfigLocation;
import org.facteur.app.Facteur;
import org.facteur.config.ConfigProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check-config", description = "Validates a configuration file and prints every problem with "
        + "file:line:column, the key and the fix. Exit code 1 when there is any.")
final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The file (default: as for 'start').")
    Path file;

    @Mixin
    LocationOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ConfigLocation location = file != null ? ConfigLocation.of(file, options.data) : options.location();
        List<ConfigProblem> problems = Facteur.check(location);
        if (problems.isEmpty()) {
            spec.commandLine().getOut().println(location.file() + ": OK");
            return 0;
        }
        for (ConfigProblem p : problems) {
            spec.commandLine().getErr().println(p);
        }
        spec.commandLine().getErr().println(problems.size() + (problems.size() == 1 ? " problem" : " problems"));
        return 1;
    }
}
