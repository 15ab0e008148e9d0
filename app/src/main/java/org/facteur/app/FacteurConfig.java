package org.facteur.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.facteur.auth.AuthConfig;
import org.facteur.config.Doc;
import org.facteur.config.ValidatedConfig;
import org.facteur.filters.Cidr;
import org.facteur.filters.FilterConfig;
import org.facteur.imap.ImapConfig;
import org.facteur.pop3.Pop3Config;
import org.facteur.smtp.SmtpConfig;
import org.facteur.storage.StorageConfig;
import org.facteur.webmail.WebmailConfig;

/**
 * The whole {@code facteur.yaml}: one section per module, each owned by its module. Adding a module's section
 * here (and its wiring in {@link Facteur}) is all it takes to configure it; the binder, the writer and the
 * checks need nothing else.
 */
public record FacteurConfig(
        @Doc("The server as a whole: host name, data folder, domains, run-as user.") ServerConfig server,
        @Doc("TLS certificate and key, shared by every listener.") TlsConfig tls,
        @Doc("Accounts and logins: SASL mechanisms, password hashing, throttling, client certificates.") AuthConfig auth,
        @Doc("Mail storage: maildirs, index, quotas. Relative paths are relative to the data folder.") StorageConfig storage,
        @Doc("SMTP: the MTA on 25, submission on 587 and 465, the outbound queue, DKIM signing.") SmtpConfig smtp,
        @Doc("IMAP (IMAP4rev2 and IMAP4rev1) on 143 with STARTTLS and 993 with implicit TLS.") ImapConfig imap,
        @Doc("POP3 on 110 with STLS and 995 with implicit TLS.") Pop3Config pop3,
        @Doc("The webmail, over HTTPS.") WebmailConfig webmail,
        @Doc("The filtering chain applied to incoming mail.") FilterConfig filters) implements ValidatedConfig {

    /** The same configuration with another {@code server} section. */
    public FacteurConfig withServer(ServerConfig newServer) {
        return new FacteurConfig(newServer, tls, auth, storage, smtp, imap, pop3, webmail, filters);
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        relayNetworks(problems, "filters.trusted-networks", filters);
        if (smtp.smarthost().enabled() && smtp.smarthost().tls() == SmtpConfig.SmarthostTls.PLAIN
                && !smtp.smarthost().password().isEmpty()) {
            problems.add("smtp.smarthost.tls: plain would send the relay host's password in clear; "
                    + "fix: use starttls or implicit");
        }
        // Two listeners cannot share a port; the later one would fail to bind after the first had started.
        Map<Integer, String> used = new HashMap<>();
        for (Map.Entry<String, Integer> port : PortPolicy.ports(this).entrySet()) {
            if (port.getValue() <= 0) {
                continue;
            }
            String other = used.putIfAbsent(port.getValue(), port.getKey());
            if (other != null) {
                problems.add(port.getKey() + ": port " + port.getValue() + " is also " + other
                        + "; fix: give each listener its own port");
            }
        }
        return problems;
    }

    /** Shorter prefixes than these cover a good part of the internet: no real site trusts that much. */
    private static final int MIN_IPV4_PREFIX = 8;
    private static final int MIN_IPV6_PREFIX = 16;

    /**
     * Networks allowed to relay without authentication must never be the whole internet. Their syntax is the
     * filters' {@link Cidr} (already checked when {@code FilterConfig} was built), so only the width is judged here.
     */
    private static void relayNetworks(List<String> problems, String key, FilterConfig filters) {
        List<Cidr> networks = filters.trustedCidrs();
        for (int i = 0; i < networks.size(); i++) {
            Cidr network = networks.get(i);
            boolean v6 = network.network().getAddress().length == 16;
            if (network.prefixLength() < (v6 ? MIN_IPV6_PREFIX : MIN_IPV4_PREFIX)) {
                problems.add(key + "[" + i + "]: " + filters.trustedNetworks().get(i).trim()
                        + " would make Facteur an open relay for a large part of the internet; "
                        + "fix: list only your own networks, such as 192.0.2.0/24, and let users authenticate");
            }
        }
    }
}
