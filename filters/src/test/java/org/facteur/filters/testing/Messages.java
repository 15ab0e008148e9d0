package org.facteur.filters.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.facteur.filters.ClientInfo;
import org.facteur.filters.EntryPoint;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;

/** Test helpers: messages as files, contexts for a client. */
public final class Messages {

    private Messages() {
    }

    public static MessageData write(Path dir, String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content.replace("\r\n", "\n").replace("\n", "\r\n"), StandardCharsets.ISO_8859_1);
        return new MessageData(file);
    }

    public static FilterContext mta(String address) throws IOException {
        return new FilterContext(new ClientInfo("t1", EntryPoint.MTA, InetAddress.getByName(address), null, null));
    }

    public static FilterContext submission(String account) throws IOException {
        FilterContext c = new FilterContext(new ClientInfo("t2", EntryPoint.SUBMISSION,
                InetAddress.getByName("192.0.2.10"), null, null));
        c.authenticatedAccount(account);
        return c;
    }
}
