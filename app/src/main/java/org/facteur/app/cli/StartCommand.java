package org.facteur.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.facteur.app.ConfigLocation;
import org.facteur.app.Endpoint;
import org.facteur.app.Facteur;
import org.facteur.app.JavaCommand;
import org.facteur.app.PortPolicy;
import org.facteur.app.Privileges;
import org.facteur.app.Setup;
import org.facteur.config.ConfigException;
import org.facteur.config.ConfigProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "start", description = "Starts the server. The first start (no configuration file) creates the "
        + "data folder, a commented facteur.yaml, a self-signed certificate, the domain and an admin account.")
final class StartCommand implements Callable<Integer> {

    @Mixin
    LocationOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConfigLocation location = options.location();
        boolean root = Privileges.isRoot();
        Setup.Prepared prepared;
        try {
            Optional<String> runAs = root ? Privileges.proposedRunAsForFirstStart() : Optional.empty();
            prepared = Setup.prepare(location, c -> PortPolicy.forUser(c, root), runAs);
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                err.println(p);
            }
            err.println("not started: " + e.problems().size() + " problem(s) in the configuration");
            return 1;
        }
        prepared.notes().forEach(n -> out.println("facteur: " + n));
        if (root) {
            return restartUnprivileged(prepared, location, err);
        }
        Facteur facteur;
        try {
            facteur = Facteur.start(location);
        } catch (java.net.BindException e) {
            err.println("facteur: a listening port is taken (" + e.getMessage() + "); is another mail server running? "
                    + "Ports configured: " + PortPolicy.ports(prepared.config()) + ". Change them in " + location.file());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            facteur.close();
            stopped.countDown();
        }, "facteur-shutdown"));
        out.println("Facteur " + facteur.config().server().hostname() + " is running; data in "
                + facteur.layout().root());
        if (facteur.endpoints().isEmpty()) {
            out.println("  (no protocol server is built into this version yet)");
        }
        for (Endpoint e : facteur.endpoints()) {
            out.println("  " + e);
        }
        out.println("Stop with Ctrl-C or SIGTERM; apply a changed facteur.yaml with 'facteur reload'.");
        out.flush();
        stopped.await();
        return 0;
    }

    /**
     * As root: refuse without a run-as user; otherwise give the data folder to that user and run the server as
     * it, keeping only the right to bind low ports (see {@link Privileges}).
     */
    private Integer restartUnprivileged(Setup.Prepared prepared, ConfigLocation location, PrintWriter err)
            throws Exception {
        Optional<String> user = prepared.config().server().runAs();
        if (user.isEmpty()) {
            err.println("facteur: refusing to run as root. Set server.run-as in " + location.file()
                    + " to an unprivileged user (Facteur then binds its ports with only the CAP_NET_BIND_SERVICE "
                    + "capability and never runs as root), or start it as a normal user.");
            return 1;
        }
        if (!Privileges.userExists(user.get())) {
            err.println("facteur: server.run-as names the user '" + user.get() + "', which does not exist; create it "
                    + "(useradd --system " + user.get() + ") or name another one");
            return 1;
        }
        Privileges.chownTree(prepared.layout().root(), user.get());
        if (!location.file().startsWith(prepared.layout().root())) {
            Privileges.chownTree(location.file(), user.get());
        }
        String aotOutput = System.getProperty(JavaCommand.AOT_OUTPUT_PROPERTY);
        if (aotOutput != null) {
            // The launcher's AOT cache folder: the server writes its cache there when it stops (see ./facteur).
            Path aotFolder = Files.createDirectories(Path.of(aotOutput).toAbsolutePath().getParent());
            Privileges.chownTree(aotFolder, user.get());
        }
        err.println("facteur: running as " + user.get() + " (started as root)");
        err.flush();
        List<String> args = new ArrayList<>(List.of("start", "--config", location.file().toString()));
        if (location.dataOverride() != null) {
            args.addAll(List.of("--data", location.dataOverride().toString()));
        }
        return Privileges.rerunAs(user.get(), prepared.layout().tmp(), args);
    }
}
