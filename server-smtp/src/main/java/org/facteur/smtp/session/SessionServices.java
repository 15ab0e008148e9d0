package org.facteur.smtp.session;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.facteur.auth.Directory;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.filters.FilterChain;
import org.facteur.smtp.SmtpConfig;
import org.facteur.smtp.delivery.MessageRouter;
import org.facteur.smtp.delivery.SenderPolicy;

/** What every session shares: configuration, directory, authentication, filters, and where messages go. */
public record SessionServices(Supplier<SmtpConfig> config, Supplier<String> hostname, Directory directory,
                              Authenticator authenticator, FilterChain chain, MessageRouter router,
                              SenderPolicy senders, Path spoolDir) {

    /** Where messages are written while they arrive; {@code SmtpServer} makes it at start. */
    public Path incomingDir() {
        return spoolDir.resolve("incoming");
    }
}
