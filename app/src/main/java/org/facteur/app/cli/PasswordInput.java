package org.facteur.app.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reading a new password for the admin commands, from a terminal or from a pipe. */
final class PasswordInput {

    private PasswordInput() {
    }

    /**
     * Whether the console is a real terminal. On JDK 22+ System.console() also exists when input is piped, and
     * Console.isTerminal() (JDK 22) tells; on JDK 21 a console exists only for a terminal.
     */
    private static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException jdk21) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /**
     * The new password: prompted twice on a terminal (not echoed), else the first line of standard input, so
     * scripts can pipe it ({@code printf '%s\n' "$pw" | facteur user add alice@example.org}) without it
     * appearing in the process list.
     */
    static String read(String account) throws IOException {
        Console console = System.console();
        if (isTerminal(console)) {
            char[] first = console.readPassword("Password for %s: ", account);
            char[] second = console.readPassword("Again: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new IOException("the two passwords differ; nothing changed");
            }
            return new String(first);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || line.isEmpty()) {
            throw new IOException("no password on standard input; nothing changed");
        }
        return line;
    }
}
