package org.facteur.app.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.facteur.app.ConfigLocation;
import org.facteur.app.FacteurConfig;
import org.facteur.app.ReloadControl;
import org.facteur.config.ConfigException;
import org.facteur.config.ConfigProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "reload", description = "Makes the running server re-read its configuration and certificate. "
        + "A file with any problem is refused and the running configuration stays.")
final class ReloadCommand implements Callable<Integer> {

    @Mixin
    LocationOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigLocation location = options.location();
        FacteurConfig config;
        try {
            config = location.load();
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                spec.commandLine().getErr().println(p);
            }
            spec.commandLine().getErr().println("not reloaded: fix the file first; the server keeps its configuration");
            return 1;
        }
        var layout = location.layout(config);
        if (ReloadControl.running(layout).isEmpty()) {
            spec.commandLine().getErr().println("Facteur is not running with data in " + layout.root()
                    + " (no live process in " + layout.pidFile() + "); the configuration is valid");
            return 1;
        }
        Optional<String> answer = ReloadControl.request(layout, Duration.ofSeconds(15));
        if (answer.isEmpty()) {
            spec.commandLine().getErr().println("the server did not answer within 15 seconds");
            return 1;
        }
        spec.commandLine().getOut().println(answer.get());
        return answer.get().contains("REFUSED") ? 1 : 0;
    }
}
