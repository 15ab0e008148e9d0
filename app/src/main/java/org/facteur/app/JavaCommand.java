package org.facteur.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line that runs a main class of this program again in a new JVM as this one was run: the same
 * {@code java}, the same JVM options (the launcher's {@code FACTEUR_JAVA_OPTS}: {@code -Xmx}, {@code -D...}, the
 * AOT cache) and the same class path. Used when Facteur started as root runs itself again as the service user
 * ({@link Privileges#rerunAs}); before, the child got none of the options and ran with the JVM's defaults.
 */
public final class JavaCommand {

    /**
     * Set by the launcher (as {@code -D}) when started as root: the AOT cache that the server writes when it stops.
     * Only the re-run child JVM serves mail, so only it records ({@code -XX:AOTCacheOutput}); the parent, which
     * just waits for it, would otherwise write a cache of its own idle run over the child's at exit.
     */
    public static final String AOT_OUTPUT_PROPERTY = "facteur.aot.output";

    private JavaCommand() {
    }

    /** {@code java <this JVM's options> -Djava.io.tmpdir=TMP -cp <this class path> MAIN ARGS...}. */
    public static List<String> sameJvm(Path tmpDir, Class<?> main, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(childOptions(ManagementFactory.getRuntimeMXBean().getInputArguments(), tmpDir));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(arguments);
        return command;
    }

    /**
     * This JVM's input arguments as the child must get them: what would clash when repeated is left out (a
     * debugger or JMX agent listening on a port the parent holds), the temp folder is the child's own (the
     * system's /tmp may not be writable by the run-as user; the data folder is), and the launcher's AOT output
     * request becomes the JVM option that makes the child record.
     */
    static List<String> childOptions(List<String> inputArguments, Path tmpDir) {
        List<String> options = new ArrayList<>();
        String aotOutput = "-D" + AOT_OUTPUT_PROPERTY + "=";
        for (String option : inputArguments) {
            if (option.startsWith(aotOutput)) {
                options.add("-XX:AOTCacheOutput=" + option.substring(aotOutput.length()));
            } else if (!bindsAPortOrIsReplaced(option)) {
                options.add(option);
            }
        }
        options.add("-Djava.io.tmpdir=" + tmpDir);
        return options;
    }

    private static boolean bindsAPortOrIsReplaced(String option) {
        return option.startsWith("-agentlib:jdwp") || option.startsWith("-Xrunjdwp")
                || (option.startsWith("-agentpath:") && option.contains("jdwp"))
                || option.startsWith("-Dcom.sun.management.jmxremote.port=")
                || option.startsWith("-Dcom.sun.management.jmxremote.rmi.port=")
                || option.startsWith("-Djava.io.tmpdir=");
    }

    /**
     * Runs {@code command} with this process's standard input, output and error and returns its exit code. When
     * this JVM is asked to stop (SIGTERM, Ctrl-C) it passes the request on and waits: the child is the server, and
     * it must stop cleanly (and write its AOT cache) rather than be left running without its parent.
     */
    public static int runChild(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        dropOptionVariables(builder.environment());
        Process child = builder.start();
        Thread stopChild = new Thread(() -> {
            child.destroy();
            try {
                child.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "facteur-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        int exit = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(stopChild);
        } catch (IllegalStateException e) {
            // This JVM is stopping: the hook has run or is running.
        }
        return exit;
    }

    /**
     * Removes from a child's environment the variables whose options the JVM already counted among its input
     * arguments ({@code JDK_JAVA_OPTIONS} from the launcher, {@code JAVA_TOOL_OPTIONS} from the VM): passed both
     * ways, an agent in them would load twice.
     */
    private static void dropOptionVariables(Map<String, String> environment) {
        environment.remove("JDK_JAVA_OPTIONS");
        environment.remove("JAVA_TOOL_OPTIONS");
    }
}
