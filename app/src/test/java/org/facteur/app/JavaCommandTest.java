package org.facteur.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Started as root, the server runs itself again as the service user; that child must get the launcher's JVM
 * options (heap, -D, the AOT cache) and class path. Checked with real JVMs: a parent started with options runs
 * the child the way {@link Privileges#rerunAs} does, and the child reports what it got.
 */
class JavaCommandTest {

    private static final String JDWP = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0";

    @TempDir
    Path dir;

    @Test
    void childOptionsKeepTheLaunchersOptionsAndLeaveOutWhatBindsAPort() {
        List<String> parent = List.of("-Xmx1g", "-XX:AOTCache=/srv/facteur.aot", "-Dlogback.configurationFile=x.xml",
                JDWP, "-Xrunjdwp:transport=dt_socket,address=8000", "-Dcom.sun.management.jmxremote.port=9010",
                "-Dcom.sun.management.jmxremote.rmi.port=9011", "-Djava.io.tmpdir=/tmp",
                "-D" + JavaCommand.AOT_OUTPUT_PROPERTY + "=/opt/facteur/app/target/aot/facteur.aot.part");
        assertEquals(List.of("-Xmx1g", "-XX:AOTCache=/srv/facteur.aot", "-Dlogback.configurationFile=x.xml",
                        "-XX:AOTCacheOutput=/opt/facteur/app/target/aot/facteur.aot.part",
                        "-Djava.io.tmpdir=/var/lib/facteur/tmp"),
                JavaCommand.childOptions(parent, Path.of("/var/lib/facteur/tmp")));
    }

    @Test
    void aChildJvmGetsTheParentsOptionsAndClassPath() throws Exception {
        List<String> child = runParent(List.of("parent", tmp().toString(), out().toString()));
        assertChildGotTheParentsOptions(child);
    }

    @Test
    void rerunAsTheServiceUserKeepsTheOptionsAndClassPath() throws Exception {
        assumeTrue(Privileges.isRoot(), "needs root: setpriv switches to another user");
        assumeTrue(Privileges.userExists("nobody"), "needs the user nobody");
        List<String> child = runParent(List.of("parent-as", "nobody", tmp().toString(), out().toString()));
        assertTrue(child.contains("user=nobody"), child.toString());
        assertChildGotTheParentsOptions(child);
    }

    @Test
    void stoppingTheParentStopsTheChildCleanly() throws Exception {
        Process parent = startParent(List.of("parent-of-server", tmp().toString(), out().toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(out()) && Files.readString(out()).contains("running"))) {
            assertTrue(parent.isAlive() && System.nanoTime() < deadline, "the child did not start");
            Thread.sleep(50);
        }
        List<ProcessHandle> children = parent.children().toList();
        parent.destroy(); // SIGTERM, as the launcher or systemd sends it
        assertTrue(parent.waitFor(60, TimeUnit.SECONDS), "the parent did not stop");
        assertEquals(List.of("running", "stopped cleanly"), Files.readAllLines(out()));
        assertTrue(children.stream().noneMatch(ProcessHandle::isAlive), "the child outlived its parent");
    }

    private void assertChildGotTheParentsOptions(List<String> child) throws Exception {
        assertTrue(child.contains("arg=-Xmx77m"), child.toString());
        assertTrue(child.contains("arg=-Dfacteur.probe=kept"), child.toString());
        assertTrue(child.contains("arg=-Djava.io.tmpdir=" + tmp()), child.toString());
        assertTrue(child.contains("classpath=" + classPath()), child.toString());
        assertFalse(child.stream().anyMatch(l -> l.contains("jdwp")), child.toString());
    }

    /** Starts a parent JVM with options, which starts the child; returns what the child wrote. */
    private List<String> runParent(List<String> arguments) throws Exception {
        Process parent = startParent(arguments);
        assertTrue(parent.waitFor(60, TimeUnit.SECONDS), "the parent JVM did not end");
        assertEquals(0, parent.exitValue(), Files.readString(dir.resolve("parent.log")));
        return Files.readAllLines(out());
    }

    private Process startParent(List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx77m", "-Dfacteur.probe=kept", JDWP, "-cp", classPath(),
                JvmOptionsProbe.class.getName()));
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("parent.log").toFile()).start();
    }

    /** Only this module's own classes: the run-as user may not read the build's other folders (~/.m2). */
    private static String classPath() throws Exception {
        return Path.of(JavaCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + File.pathSeparator
                + Path.of(JvmOptionsProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Writable by the run-as user, as the data folder's tmp is. */
    private Path tmp() throws Exception {
        Path tmp = dir.resolve("tmp");
        if (!Files.exists(tmp)) {
            Files.createDirectory(tmp);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        return tmp;
    }

    private Path out() throws Exception {
        return tmp().resolve("child.txt");
    }
}
