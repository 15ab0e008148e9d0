package org.facteur.filters;

import java.net.InetAddress;
import org.facteur.net.TlsInfo;

/**
 * The connection a message arrives on. {@code reverseName} is the PTR name checked forward (FCrDNS), or null.
 * {@code tls} is null in cleartext.
 */
public record ClientInfo(String sessionId, EntryPoint entryPoint, InetAddress address, String reverseName,
                         TlsInfo tls) {
}
