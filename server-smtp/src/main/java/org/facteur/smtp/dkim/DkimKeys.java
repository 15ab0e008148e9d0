package org.facteur.smtp.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RSA-2048 DKIM key per domain and selector (RFC 6376 §3.3.3; RFC 8301 asks for at least 1024, 2048 is
 * what receivers expect today), generated on first use and kept as PKCS#8 PEM in {@code DIR/DOMAIN.SELECTOR.key},
 * readable by the owner only.
 */
public final class DkimKeys {

    private static final Logger log = LoggerFactory.getLogger(DkimKeys.class);

    private final Path dir;
    private final Map<String, PrivateKey> cache = new ConcurrentHashMap<>();

    public DkimKeys(Path dir) {
        this.dir = dir;
    }

    public PrivateKey privateKey(String domain, String selector) throws IOException {
        String key = file(domain, selector).toString();
        PrivateKey cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        synchronized (this) {
            PrivateKey loaded = load(domain, selector);
            cache.put(key, loaded);
            return loaded;
        }
    }

    /** The public key as base64 DER (SubjectPublicKeyInfo), the {@code p=} of the DNS record. */
    public String publicKeyBase64(String domain, String selector) throws IOException {
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) privateKey(domain, selector);
        try {
            PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            return Base64.getEncoder().encodeToString(pub.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private Path file(String domain, String selector) {
        String safe = (domain + "." + selector).toLowerCase(Locale.ROOT);
        if (!safe.matches("[a-z0-9.-]+") || safe.contains("..")) {
            throw new IllegalArgumentException("not a domain and selector: " + domain + " " + selector);
        }
        return dir.resolve(safe + ".key");
    }

    private PrivateKey load(String domain, String selector) throws IOException {
        Path file = file(domain, selector);
        try {
            if (!Files.exists(file)) {
                generate(file);
                log.info("dkim: generated a 2048-bit key for {} selector {}; publish it with 'facteur dns-records {}'",
                        domain, selector, domain);
            }
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the DKIM key " + file + ": " + e.getMessage(), e);
        }
    }

    private static void generate(Path file) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.getParent());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data directory's own permissions apply.
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
