package org.facteur.app.cli;

import java.io.PrintWriter;
import org.facteur.smtp.dkim.DkimKeys;
import org.facteur.smtp.dkim.DnsRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code facteur dns-records DOMAIN}: the MX, SPF, DKIM and DMARC records to publish, through server-smtp's
 * {@link DnsRecords} with the server's DKIM keys (SPOOL/dkim; made on first use). Plain files: works while the
 * server runs.
 */
@Command(name = "dns-records", description = "Prints the DNS records (MX, SPF, DKIM, DMARC) to publish for a domain.")
final class DnsRecordsCommand extends ServerFilesCommand {

    @Parameters(paramLabel = "DOMAIN") String domain;

    @Override
    int run(ServerFiles files, PrintWriter out) throws Exception {
        // The domain names a key file: a host name only, never a path.
        if (!domain.matches("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw new IllegalArgumentException("'" + domain + "' is not a domain name");
        }
        String host = files.config.smtp().hostname().isBlank() ? files.config.server().hostname()
                : files.config.smtp().hostname();
        DnsRecords.forDomain(domain, host, files.config.smtp().dkim().selector(), new DkimKeys(files.dkim()))
                .forEach(out::println);
        return 0;
    }
}
