package org.facteur.app;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Root is needed for one thing only: binding ports below 1024. Java cannot give up root portably (no setuid), so
 * Facteur never keeps it: started as root, it prepares the data folder (owned by the {@code server.run-as}
 * user), then runs itself again as that user through util-linux {@code setpriv}, keeping the single capability
 * CAP_NET_BIND_SERVICE (ambient), so the new process binds 25, 143, ... without being root. Without a run-as user
 * it refuses to start as root.
 */
public final class Privileges {

    /** The users the generated configuration proposes when started as root, best first. */
    static final List<String> RUN_AS_CANDIDATES = List.of("facteur", "nobody");

    private Privileges() {
    }

    public static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    public static boolean userExists(String name) {
        try {
            lookup().lookupPrincipalByName(name);
            return true;
        } catch (UserPrincipalNotFoundException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The run-as user a first start as root writes: the first of {@link #RUN_AS_CANDIDATES} this machine has. */
    public static Optional<String> proposedRunAsForFirstStart() {
        return RUN_AS_CANDIDATES.stream().filter(Privileges::userExists).findFirst();
    }

    /** Gives {@code dir} and everything under it to {@code user} (and its primary group). */
    public static void chownTree(Path dir, String user) throws IOException {
        UserPrincipal owner = lookup().lookupPrincipalByName(user);
        GroupPrincipal group = primaryGroup(user);
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                give(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                give(f);
                return FileVisitResult.CONTINUE;
            }

            private void give(Path p) throws IOException {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                view.setOwner(owner);
                if (group != null) {
                    view.setGroup(group);
                }
            }
        });
    }

    /**
     * Runs this same command again as {@code user}, with only CAP_NET_BIND_SERVICE, and returns its exit code.
     * The child is the same JVM with the same options and class path ({@link JavaCommand}). Standard input, output
     * and error are shared, so prompts and pipes work as before.
     */
    public static int rerunAs(String user, Path tmpDir, List<String> arguments) throws IOException, InterruptedException {
        return rerunAs(user, tmpDir, Main.class, arguments);
    }

    static int rerunAs(String user, Path tmpDir, Class<?> main, List<String> arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--init-groups"));
        GroupPrincipal group = primaryGroup(user);
        if (group != null) {
            command.add("--regid=" + group.getName());
        }
        command.addAll(List.of("--inh-caps=-all,+net_bind_service", "--ambient-caps=-all,+net_bind_service",
                "--bounding-set=-all,+net_bind_service", "--"));
        command.addAll(JavaCommand.sameJvm(tmpDir, main, arguments));
        try {
            return JavaCommand.runChild(command);
        } catch (IOException e) {
            throw new IOException("could not run 'setpriv' (util-linux) to switch to user " + user
                    + ": " + e.getMessage() + ". Install util-linux, or start Facteur as " + user + " yourself", e);
        }
    }

    private static GroupPrincipal primaryGroup(String user) {
        try {
            Process id = new ProcessBuilder("id", "-gn", user).redirectErrorStream(true).start();
            String name = new String(id.getInputStream().readAllBytes()).trim();
            if (id.waitFor() == 0 && !name.isEmpty()) {
                return lookup().lookupPrincipalByGroupName(name);
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static UserPrincipalLookupService lookup() {
        return Path.of("/").getFileSystem().getUserPrincipalLookupService();
    }
}
