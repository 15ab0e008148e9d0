package org.facteur.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A configuration tree using every kind of value the binder supports. */
@Doc("A sample root.")
record SampleConfig(
        @Doc("The server part.") Server server,
        @Doc("Listeners, each with its own default.") Listeners listeners,
        @Doc("Domains served.") @Default("[example.org]") List<String> domains,
        @Doc("Trusted networks.") @Default("[127.0.0.1/32, ::1/128]") Set<Network> trusted,
        @Doc("Per-domain quotas.") Map<String, DataSize> quotas,
        @Doc("Extra users.") List<User> users,
        @Doc("An optional banner.") Optional<String> banner) {

    enum Mode { PLAIN, STARTTLS_REQUIRED, IMPLICIT }

    record Server(
            @Doc("Host name.") @Default("mail.example.org") String hostname,
            @Doc("Data folder.") @Default("data") Path dataDir,
            @Doc("Idle timeout.") @Default("5m") Duration idle,
            @Doc("Largest message.") @Default("25MB") DataSize maxMessageSize,
            @Doc("Verbose logs.") @Default("false") boolean debug,
            @Doc("Spam threshold.") @Default("5.0") double threshold,
            @Doc("Runs as.") Optional<String> runAs) {
    }

    record Listener(
            @Doc("Address.") @Default("0.0.0.0") String address,
            @Doc("Port.") @Default("0") int port,
            @Doc("TLS mode.") @Default("plain") Mode tls) implements ValidatedConfig {
        @Override
        public List<String> problems() {
            List<String> p = new ArrayList<>();
            if (port == 25 && tls == Mode.IMPLICIT) {
                p.add("tls: port 25 speaks cleartext first; fix: use starttls-required, or port 465 for implicit TLS");
            }
            return p;
        }
    }

    record Listeners(
            @Doc("SMTP.") @Default("{port: 25, tls: starttls-required}") Listener smtp,
            @Doc("IMAPS.") @Default("{port: 993, tls: implicit}") Listener imaps,
            @Doc("Maximum connections.") @Default("100") int maxConnections) {
        Listeners {
            if (smtp.port() != 0 && smtp.port() == imaps.port()) {
                throw new IllegalArgumentException("imaps.port: " + imaps.port()
                        + " is also the smtp port; fix: give each listener its own port");
            }
        }
    }

    record User(@Doc("Login.") String name, @Doc("Admin.") @Default("false") boolean admin) {
    }

    /** A module value type with its own parse(String), like filters' Cidr. */
    record Network(String text) {
        public static Network parse(String text) {
            if (!text.contains("/")) {
                throw new IllegalArgumentException("'" + text + "' is not a network: write an address and a prefix, like 192.0.2.0/24");
            }
            return new Network(text);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
