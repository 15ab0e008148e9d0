package org.facteur.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.facteur.config.Default;
import org.facteur.config.Doc;
import org.facteur.config.ValidatedConfig;

/** The server's TLS identity, shared by every listener and STARTTLS. */
@Doc("TLS certificate and key, shared by every listener (TLS 1.2 and 1.3 only).")
public record TlsConfig(
        @Doc("PEM certificate chain, server certificate first. Empty: tls/certificate.pem in the data folder, "
                + "a self-signed certificate made at the first start.")
        Optional<Path> certificate,
        @Doc("PEM private key of the certificate, readable by its owner only. Empty: tls/private-key.pem in the data folder.")
        Optional<Path> key,
        @Doc("PEM file of the CAs whose client certificates are accepted (SASL EXTERNAL, webmail certificate login). "
                + "Empty: tls/client-ca.pem in the data folder when it exists, else no client certificates are asked for.")
        Optional<Path> clientCa,
        @Doc("Lifetime of a self-signed certificate made by Facteur ('facteur cert renew' makes a new one).")
        @Default("397d") Duration selfSignedValidity) implements ValidatedConfig {

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (certificate.isPresent() != key.isPresent()) {
            problems.add((certificate.isPresent() ? "key" : "certificate")
                    + ": a certificate and its key go together; fix: set both, or neither to use the generated pair");
        }
        check(problems, "certificate", certificate);
        check(problems, "key", key);
        check(problems, "client-ca", clientCa);
        if (selfSignedValidity.compareTo(Duration.ofDays(1)) < 0) {
            problems.add("self-signed-validity: " + selfSignedValidity + " is too short; fix: write at least 1d, such as 397d");
        }
        return problems;
    }

    private static void check(List<String> problems, String key, Optional<Path> file) {
        if (file.isPresent() && !Files.isReadable(file.get())) {
            problems.add(key + ": " + file.get() + (Files.exists(file.get()) ? " cannot be read" : " does not exist")
                    + "; fix: give the path of a PEM file readable by Facteur, or remove the key to use the generated one");
        }
    }
}
