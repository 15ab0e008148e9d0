package org.facteur.storage;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/**
 * One message of a batch read for FETCH ({@link Mailbox#stored}): its file and cached structure were looked up
 * together with its neighbours', so reading them costs no further index query.
 */
public interface StoredMessage {

    long uid();

    /** As {@link Mailbox#openChannel}: readable at any offset, and stays so if the message is renamed or expunged. */
    SeekableByteChannel openChannel() throws IOException;

    /** As {@link Mailbox#structure}: the cached structure, parsed and cached now if the index lacks it. */
    MessageStructure structure() throws IOException;
}
