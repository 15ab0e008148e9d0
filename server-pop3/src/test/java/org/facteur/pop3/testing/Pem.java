package org.facteur.pop3.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.facteur.net.testing.TestPki;

/** Writes the test CA as PEM for clients outside the JVM (python, fetchmail, openssl). */
public final class Pem {

    private Pem() {
    }

    public static Path testCa(Path directory) throws IOException {
        X509Certificate ca = TestPki.shared().caCertificate();
        try {
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            Path file = directory.resolve("test-ca.pem");
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            return file;
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
    }
}
