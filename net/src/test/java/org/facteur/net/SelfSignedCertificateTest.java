package org.facteur.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first-start certificate: written as PEM, read back by the same code that loads an admin's files. */
class SelfSignedCertificateTest {

    @TempDir
    Path dir;

    @Test
    void writtenFilesLoadAsATlsContext() throws Exception {
        SelfSignedCertificate made = SelfSignedCertificate.create("mail.example.test", Duration.ofDays(30));
        Path certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        made.writePem(certificate, key);

        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(key))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(TlsContexts.readPrivateKey(key).getEncoded()).isEqualTo(made.keyPair().getPrivate().getEncoded());
        assertThat(TlsContexts.readCertificates(certificate)).containsExactly(made.certificate());
        assertThat(TlsContexts.fromPem(certificate, key, null).context()).isNotNull();
    }

    @Test
    void namesTheHostAndLocalhost() throws Exception {
        SelfSignedCertificate made = SelfSignedCertificate.create("mail.example.test", Duration.ofDays(30));
        assertThat(made.certificate().getSubjectAlternativeNames())
                .extracting(name -> (Object) name.get(1))
                .contains((Object) "mail.example.test", "localhost", "127.0.0.1");
    }
}
