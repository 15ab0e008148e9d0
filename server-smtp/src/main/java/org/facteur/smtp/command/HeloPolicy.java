package org.facteur.smtp.command;

import java.net.InetAddress;
import java.util.Locale;

import org.facteur.filters.Cidr;
import org.facteur.smtp.session.SmtpSession;

/**
 * HELO anti-spoofing: a client that is not in our trusted networks and not authenticated may not claim to be
 * us - our host name, one of our mail domains, or our own IP address as a literal. Real servers never do;
 * spam software does it to look local.
 */
final class HeloPolicy {

    private HeloPolicy() {
    }

    static boolean impersonates(SmtpSession session, String name) {
        if (session.isAuthenticated() || trusted(session)) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.equals(session.hostname().toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (n.startsWith("[") && n.endsWith("]")) {
            String literal = n.substring(1, n.length() - 1);
            if (literal.startsWith("ipv6:")) {
                literal = literal.substring(5);
            }
            InetAddress ours = session.connection().localAddress().getAddress();
            InetAddress client = session.clientAddress();
            // The client's own address is the truth, not a spoof; our address from elsewhere is.
            return literal.equals(ours.getHostAddress()) && !ours.equals(client);
        }
        return session.services().directory().isLocalDomain(n);
    }

    private static boolean trusted(SmtpSession session) {
        for (String network : session.config().trustedNetworks()) {
            if (Cidr.parse(network).contains(session.clientAddress())) {
                return true;
            }
        }
        return false;
    }
}
