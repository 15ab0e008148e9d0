package org.facteur.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.facteur.config.Default;
import org.facteur.config.Doc;
import org.facteur.config.ValidatedConfig;

/** What the whole process is: its name on the network, where it keeps its data, whom it runs as. */
@Doc("The server as a whole.")
public record ServerConfig(
        @Doc("This server's host name: in greetings, Received headers and the self-signed certificate. "
                + "Empty means the machine's host name.")
        @Default("") String hostname,
        @Doc("Folder for all data: the H2 database, maildirs, spool, queue, TLS files. Relative to this file's folder.")
        @Default(".") Path dataDir,
        @Doc("Mail domains created at each start if missing (the first one gets postmaster@, abuse@ and the admin "
                + "account at the first start). Add more later with 'facteur domain add'.")
        @Default("[]") List<String> domains,
        @Doc("Started as root (to bind ports below 1024), Facteur switches to this user once its ports are open, "
                + "and refuses to go on as root without one. Ignored when not started as root.")
        Optional<String> runAs) implements ValidatedConfig {

    public ServerConfig {
        domains = List.copyOf(domains);
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < domains.size(); i++) {
            String d = domains.get(i);
            if (!d.matches("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
                problems.add("domains[" + i + "]: '" + d + "' is not a domain name; fix: write a name such as example.org");
            }
        }
        if (!hostname.isEmpty() && !hostname.matches("(?i)[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
            problems.add("hostname: '" + hostname + "' is not a host name; fix: write a name such as mail.example.org, "
                    + "or leave it empty for the machine's name");
        }
        if (runAs.isPresent() && runAs.get().equals("root")) {
            problems.add("run-as: running as root after start is what this setting prevents; "
                    + "fix: name an unprivileged user, such as facteur");
        }
        return problems;
    }
}
