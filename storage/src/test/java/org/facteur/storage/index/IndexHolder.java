package org.facteur.storage.index;

import java.nio.file.Path;

/** A second process that holds the index open, as a running server does; used by {@link IndexInUseTest}. */
public final class IndexHolder {

    private IndexHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (IndexDatabase ignored = IndexDatabase.open(Path.of(args[0]))) {
            System.out.println("OPEN");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
