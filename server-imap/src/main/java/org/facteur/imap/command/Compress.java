package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;

/** RFC 4978 COMPRESS=DEFLATE: raw deflate both ways, flushed with SYNC_FLUSH at each response flush. */
final class Compress implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        String algorithm = c.args().atom();
        c.args().end();
        if (!c.session().config().compression()) {
            throw ImapException.no("CANNOT", "Compression is disabled");
        }
        if (c.session().compressed()) {
            throw ImapException.no("COMPRESSIONACTIVE", "Compression is already active");
        }
        if (!algorithm.equalsIgnoreCase("DEFLATE")) {
            throw new ImapException("CANNOT", "Unknown compression algorithm " + algorithm);
        }
        c.ok("DEFLATE active");
        c.session().connection().wrapStreams(
                in -> new InflaterInputStream(in, new Inflater(true), 4096) {
                    @Override
                    public int available() {
                        return 0;
                    }
                },
                out -> new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true), 8192, true));
        c.session().markCompressed();
    }
}
