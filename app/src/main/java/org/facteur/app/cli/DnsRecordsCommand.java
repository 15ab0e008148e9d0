package org.facteur.app.cli;

import java.util.concurrent.Callable;
import org.facteur.smtp.dkim.DkimKeys;
import org.facteur.smtp.dkim.DnsRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code facteur dns-records DOMAIN}: the MX, SPF, DKIM and DMARC records to publish, through server-smtp's
 * {@link DnsRecords} with the server's DKIM keys (SPOOL/dkim; made on first use). Plain files: works while the
 * server runs.
 */
@Command(name = "dns-records", description = "Prints the DNS records (MX, SPF, DKIM, DMARC) to publish for a domain.")
final class DnsRecordsCommand implements Callable<Integer> {

    @Mixin LocationOptions options;
    @Parameters(paramLabel = "DOMAIN") String domain;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // The domain names a key file: a host name only, never a path.
        if (!domain.matches("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw new IllegalArgumentException("'" + domain + "' is not a domain name");
        }
        try (ServerFiles files = ServerFiles.open(options)) {
            String host = files.config.smtp().hostname().isBlank() ? files.config.server().hostname()
                    : files.config.smtp().hostname();
            DnsRecords.forDomain(domain, host, files.config.smtp().dkim().selector(), new DkimKeys(files.dkim()))
                    .forEach(spec.commandLine().getOut()::println);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
