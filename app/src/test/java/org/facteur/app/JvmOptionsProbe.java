package org.facteur.app;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny program for {@link JavaCommandTest}, run in real JVMs. {@code parent TMP OUT} runs itself again as a child
 * through {@link JavaCommand#sameJvm}; {@code parent-as USER TMP OUT} through {@link Privileges#rerunAs} (root only);
 * {@code child OUT} writes its user, class path and JVM input arguments to OUT, one per line; {@code
 * parent-of-server TMP OUT} runs {@code server OUT}, which writes "running" then waits, and "stopped cleanly" in its
 * shutdown hook.
 */
public final class JvmOptionsProbe {

    private JvmOptionsProbe() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "parent" -> System.exit(JavaCommand.runChild(JavaCommand.sameJvm(Path.of(args[1]),
                    JvmOptionsProbe.class, List.of("child", args[2]))));
            case "parent-as" -> System.exit(Privileges.rerunAs(args[1], Path.of(args[2]), JvmOptionsProbe.class,
                    List.of("child", args[3])));
            case "child" -> {
                List<String> lines = new ArrayList<>();
                lines.add("user=" + System.getProperty("user.name"));
                lines.add("classpath=" + System.getProperty("java.class.path"));
                ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(a -> lines.add("arg=" + a));
                Files.write(Path.of(args[1]), lines);
            }
            case "parent-of-server" -> System.exit(JavaCommand.runChild(JavaCommand.sameJvm(Path.of(args[1]),
                    JvmOptionsProbe.class, List.of("server", args[2]))));
            case "server" -> {
                Path out = Path.of(args[1]);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Files.writeString(out, "stopped cleanly\n", java.nio.file.StandardOpenOption.APPEND);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
                Files.writeString(out, "running\n");
                Thread.sleep(120_000);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
