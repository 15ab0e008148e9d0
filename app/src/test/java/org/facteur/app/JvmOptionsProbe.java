package org.facteur.app;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny program for {@link JavaCommandTest}, run in real JVMs. {@code parent TMP OUT} runs itself again as a child
 * through {@link JavaCommand#sameJvm}; {@code parent-as USER TMP OUT} through {@link Privileges#rerunAs} (root only);
 * {@code child OUT} writes its user, class path and JVM input arguments to OUT, one per line.
 */
public final class JvmOptionsProbe {

    private JvmOptionsProbe() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "parent" -> {
                ProcessBuilder child = new ProcessBuilder(JavaCommand.sameJvm(Path.of(args[1]), JvmOptionsProbe.class,
                        List.of("child", args[2]))).inheritIO();
                JavaCommand.dropOptionVariables(child.environment());
                System.exit(child.start().waitFor());
            }
            case "parent-as" -> System.exit(Privileges.rerunAs(args[1], Path.of(args[2]), JvmOptionsProbe.class,
                    List.of("child", args[3])));
            case "child" -> {
                List<String> lines = new ArrayList<>();
                lines.add("user=" + System.getProperty("user.name"));
                lines.add("classpath=" + System.getProperty("java.class.path"));
                ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(a -> lines.add("arg=" + a));
                Files.write(Path.of(args[1]), lines);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
