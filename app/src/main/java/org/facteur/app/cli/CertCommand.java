package org.facteur.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.facteur.app.ConfigLocation;
import org.facteur.app.DataLayout;
import org.facteur.app.FacteurConfig;
import org.facteur.app.ReloadControl;
import org.facteur.app.Setup;
import org.facteur.net.TlsContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "cert", description = "The server's TLS certificate.",
        subcommands = {CertCommand.Show.class, CertCommand.Renew.class})
final class CertCommand {

    @Command(name = "show", description = "Prints the certificate in use: names, issuer, validity, fingerprint.")
    static final class Show implements Callable<Integer> {
        @Mixin
        LocationOptions options;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ConfigLocation location = options.location();
            FacteurConfig config = location.load();
            Path file = location.layout(config).certificate(config.tls());
            X509Certificate cert = TlsContexts.readCertificates(file).getFirst();
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("file", file.toString());
            fields.put("subject", cert.getSubjectX500Principal().getName());
            fields.put("issuer", cert.getIssuerX500Principal().getName());
            fields.put("names", String.join(", ", alternativeNames(cert)));
            fields.put("notBefore", cert.getNotBefore().toInstant().toString());
            fields.put("notAfter", cert.getNotAfter().toInstant().toString());
            fields.put("selfSigned", Boolean.toString(cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())));
            fields.put("sha256", HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));
            Output.printOne(spec.commandLine().getOut(), json, fields);
            return 0;
        }

        private static List<String> alternativeNames(X509Certificate cert) throws Exception {
            List<String> names = new ArrayList<>();
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    names.add(String.valueOf(san.get(1)));
                }
            }
            return names;
        }
    }

    @Command(name = "renew", description = "Makes a new self-signed certificate (not for a certificate you "
            + "configured yourself: renew that one with its CA, e.g. certbot, then run 'facteur reload').")
    static final class Renew implements Callable<Integer> {
        @Mixin
        LocationOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ConfigLocation location = options.location();
            FacteurConfig config = location.load();
            if (config.tls().certificate().isPresent()) {
                spec.commandLine().getErr().println("tls.certificate names your own certificate ("
                        + config.tls().certificate().get() + "); renew it with its CA, then run 'facteur reload'");
                return 1;
            }
            DataLayout layout = location.layout(config);
            Setup.makeCertificate(config, layout);
            out.println("made a new self-signed certificate for " + config.server().hostname() + ": "
                    + layout.certificate(config.tls()));
            if (ReloadControl.running(layout).isPresent()) {
                out.println(ReloadControl.request(layout, Duration.ofSeconds(15))
                        .orElse("the running server did not answer; run 'facteur reload'"));
            }
            return 0;
        }
    }
}
