package org.facteur.auth;

import java.nio.file.Path;
import org.facteur.auth.testing.TestDirectory;

/** Run in a child JVM by {@link AutoServerTest}: what the CLI does while the server holds the database. */
public final class SecondProcessProbe {

    private SecondProcessProbe() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        try (H2Directory directory = H2Directory.openInDataDirectory(Path.of(args[0]), TestDirectory::testConfig)) {
            System.out.println("opened in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            // a client of the server's engine: the triggers fire there, so this process must not cache
            System.out.println("caches=" + directory.cachesRecipients());
            directory.addDomain(args[1]);
            directory.addAccount("carol@" + args[1], "carol-Pa55word", false);
            System.out.println("accounts=" + directory.accounts().size() + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }
}
