package org.facteur.smtp.session;

import java.io.OutputStream;
import java.nio.file.Path;

/** The spool file BDAT chunks are appended to, and how much has arrived. */
public final class BdatState {

    private final Path file;
    private final OutputStream out;
    private long size;
    private boolean tooBig;

    public BdatState(Path file, OutputStream out, long initialSize) {
        this.file = file;
        this.out = out;
        this.size = initialSize;
    }

    public Path file() {
        return file;
    }

    public OutputStream out() {
        return out;
    }

    public long size() {
        return size;
    }

    public void add(long n) {
        size += n;
    }

    public boolean tooBig() {
        return tooBig;
    }

    public void markTooBig() {
        tooBig = true;
    }
}
