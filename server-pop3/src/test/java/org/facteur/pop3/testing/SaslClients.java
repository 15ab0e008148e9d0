package org.facteur.pop3.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** Client halves of CRAM-MD5 (RFC 2195) and SCRAM-SHA-256 (RFC 5802, RFC 7677) for tests. */
public final class SaslClients {

    private SaslClients() {
    }

    /** RFC 2195: "user hex(HMAC-MD5(password, challenge))". */
    public static byte[] cramMd5(String user, String password, byte[] challenge) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
        return (user + " " + HexFormat.of().formatHex(mac.doFinal(challenge))).getBytes(StandardCharsets.UTF_8);
    }

    /** One SCRAM-SHA-256 client exchange, step by step. */
    public static final class Scram {
        private final String user;
        private final String password;
        private final String clientNonce;
        private String clientFirstBare;
        private byte[] expectedServerSignature;

        public Scram(String user, String password) {
            this.user = user;
            this.password = password;
            byte[] nonce = new byte[18];
            new SecureRandom().nextBytes(nonce);
            this.clientNonce = Base64.getEncoder().encodeToString(nonce);
        }

        public byte[] clientFirst() {
            clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
            return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
        }

        public byte[] clientFinal(byte[] serverFirstBytes) throws GeneralSecurityException {
            String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
            String nonce = null;
            byte[] salt = null;
            int iterations = 0;
            for (String part : serverFirst.split(",")) {
                switch (part.charAt(0)) {
                    case 'r' -> nonce = part.substring(2);
                    case 's' -> salt = Base64.getDecoder().decode(part.substring(2));
                    case 'i' -> iterations = Integer.parseInt(part.substring(2));
                    default -> { }
                }
            }
            if (nonce == null || !nonce.startsWith(clientNonce)) {
                throw new GeneralSecurityException("server nonce does not extend the client's");
            }
            String withoutProof = "c=biws,r=" + nonce;
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
            return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
        }

        /** Whether the server's final message proves it knew the password too. */
        public boolean verifyServerFinal(byte[] serverFinal) {
            return new String(serverFinal, StandardCharsets.UTF_8)
                    .equals("v=" + Base64.getEncoder().encodeToString(expectedServerSignature));
        }

        private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        }
    }
}
