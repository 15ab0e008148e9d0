package org.facteur.webmail.browser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and a client certificate made with the real {@code openssl}, installed for headless Chromium:
 * imported with {@code pk12util} (Debian {@code libnss3-tools}) into an NSS database under its own
 * {@code $HOME/.pki/nssdb}, and chosen without a dialog through the profile's
 * {@code auto_select_certificate} content setting for the webmail's origin (what Chromium's
 * {@code AutoSelectCertificateForUrls} policy sets, without writing a machine-wide policy file in /etc).
 */
final class ClientCertificate {

    static final Path OPENSSL = Path.of("/usr/bin/openssl");
    static final Path PK12UTIL = Path.of("/usr/bin/pk12util");
    static final Path CERTUTIL = Path.of("/usr/bin/certutil");
    static final String CA_NAME = "Facteur Browser Test CA";

    private final Path dir;
    final X509Certificate ca;

    /**
     * @param dir    a fresh folder for the keys and the browser's home
     * @param email  the rfc822Name subject alternative name, which names the account (SASL EXTERNAL)
     */
    ClientCertificate(Path dir, String email) throws IOException {
        this.dir = dir;
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=" + CA_NAME, "-days", "2",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=" + email);
        Files.writeString(dir.resolve("client.ext"), "subjectAltName=email:" + email
                + "\nextendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n");
        run("openssl", "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "client.pem", "-days", "2", "-extfile", "client.ext");
        run("openssl", "pkcs12", "-export", "-inkey", "client.key", "-in", "client.pem", "-certfile", "ca.pem",
                "-name", "webmail test", "-out", "client.p12", "-passout", "pass:test");
        Path nss = home().resolve(".pki").resolve("nssdb");
        Files.createDirectories(nss);
        run("certutil", "-N", "-d", "sql:" + nss, "--empty-password");
        run("pk12util", "-i", "client.p12", "-d", "sql:" + nss, "-W", "test");
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(e);
        }
    }

    static boolean available() {
        return Files.isExecutable(OPENSSL) && Files.isExecutable(PK12UTIL) && Files.isExecutable(CERTUTIL);
    }

    /** The HOME the browser runs with, holding the NSS database. */
    Path home() {
        return dir.resolve("home");
    }

    /**
     * Writes the profile's preference that picks this CA's certificate without asking on {@code origin}
     * ({@code https://localhost:PORT}).
     */
    void install(Path profile, String origin) throws IOException {
        Path prefs = profile.resolve("Default").resolve("Preferences");
        Files.createDirectories(prefs.getParent());
        Files.writeString(prefs, "{\"profile\":{\"content_settings\":{\"exceptions\":{\"auto_select_certificate\":{\""
                + origin + ",*\":{\"setting\":{\"filters\":[{\"ISSUER\":{\"CN\":\"" + CA_NAME + "\"}}]}}}}}}}",
                StandardCharsets.UTF_8);
    }

    private void run(String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
