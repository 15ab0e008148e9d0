package org.facteur.config;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * This machine's host name, found once per process without asking DNS when the system can tell it: a fresh
 * machine or a container may have no resolvable name, and {@link InetAddress#getLocalHost()} then waits for the
 * resolver's time-out (seconds) before it answers. Read by the generated configuration, the server's default
 * host name and the maildir file names, so they all agree.
 */
public final class MachineName {

    private static final String NAME = lookUp();

    private MachineName() {
    }

    /** The host name in lower case, {@code localhost} if none can be found. */
    public static String get() {
        return NAME;
    }

    /** {@code configured} (a server's {@code hostname} setting) unless it is empty or blank, else this machine's name. */
    public static String unless(String configured) {
        return configured == null || configured.isBlank() ? NAME : configured;
    }

    private static String lookUp() {
        for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
            try {
                Path p = Path.of(file);
                if (Files.isReadable(p)) {
                    String name = Files.readString(p).trim();
                    if (!name.isEmpty()) {
                        return name.toLowerCase(Locale.ROOT);
                    }
                }
            } catch (Exception e) {
                // try the next source
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (Exception e) {
            return "localhost";
        }
    }
}
