package org.facteur.filters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The message at end of data, spooled to a file by the receiving side. Content filters read it (the chain
 * parses it once with Mime4J and shares the result); a filter that rewrites it (attachment stripping) writes
 * a new file and calls {@link #replace}.
 */
public final class MessageData {

    private Path file;

    public MessageData(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    public long size() throws IOException {
        return Files.size(file);
    }

    /** Replaces the content delivered (the old file is the receiver's to delete). */
    public void replace(Path rewritten) {
        this.file = rewritten;
    }
}
