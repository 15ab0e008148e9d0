package org.facteur.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.facteur.auth.Account;
import org.facteur.auth.Credentials;
import org.facteur.auth.password.ScramSha256;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding: gs2 headers {@code n,,} and {@code y,,} (with an
 * optional {@code a=} authzid) are accepted, {@code p=} is refused since SCRAM-SHA-256-PLUS is not offered.
 * The server proves it knows the stored keys with the final {@code v=} message ({@link SaslStep.Success#additionalData()}).
 */
final class ScramSha256Exchange extends AbstractExchange {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_MESSAGE = 4096;
    /** Salts for unknown users come from this per-process key, so that they look stable and real (no user enumeration). */
    private static final byte[] DECOY_KEY = new byte[32];

    static {
        RANDOM.nextBytes(DECOY_KEY);
    }

    /** The account and its SCRAM keys for a user name, if there is one. */
    record Lookup(Account account, ScramSha256 keys) {
    }

    private final Function<String, Optional<Lookup>> lookup;
    private final Supplier<String> serverNonces;

    private String gs2Header;
    private String authzid;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private Lookup found;

    ScramSha256Exchange(SaslAuthenticator authenticator, SaslContext context) {
        this(authenticator, context, user -> {
            Optional<Account> account = authenticator.findAccount(user);
            return account.flatMap(a -> authenticator.credentials(a)
                    .map(Credentials::scram).map(ScramSha256::decode).map(keys -> new Lookup(a, keys)));
        }, ScramSha256Exchange::randomNonce);
    }

    /** With a given lookup and server nonce (tests replay RFC 7677's example). */
    ScramSha256Exchange(SaslAuthenticator authenticator, SaslContext context,
                        Function<String, Optional<Lookup>> lookup, Supplier<String> serverNonces) {
        super(authenticator, context, "SCRAM-SHA-256");
        this.lookup = lookup;
        this.serverNonces = serverNonces;
    }

    @Override
    protected SaslStep step(byte[] response) {
        if (response == null) {
            return serverFirst == null && gs2Header == null ? emptyChallengeOnce() : malformed("no response");
        }
        if (response.length > MAX_MESSAGE) {
            return malformed("message too long");
        }
        String message = Utf8.decode(response);
        if (message == null) {
            return malformed("not UTF-8");
        }
        return serverFirst == null ? clientFirst(message) : clientFinal(message);
    }

    private boolean askedForFirst;

    private SaslStep emptyChallengeOnce() {
        if (askedForFirst) {
            return malformed("no response");
        }
        askedForFirst = true;
        return new SaslStep.Challenge(new byte[0]);
    }

    /** RFC 5802 §7: gs2-header client-first-message-bare. */
    private SaslStep clientFirst(String message) {
        if (message.startsWith("p=")) {
            return malformed("channel binding is not supported (SCRAM-SHA-256-PLUS is not offered)");
        }
        if (!message.startsWith("n,") && !message.startsWith("y,")) {
            return malformed("expected a gs2 header 'n,' or 'y,'");
        }
        int secondComma = message.indexOf(',', 2);
        if (secondComma < 0) {
            return malformed("incomplete gs2 header");
        }
        String authzField = message.substring(2, secondComma);
        if (!authzField.isEmpty()) {
            if (!authzField.startsWith("a=")) {
                return malformed("bad authzid field");
            }
            authzid = decodeSaslName(authzField.substring(2));
            if (authzid == null) {
                return malformed("bad encoding in authzid");
            }
        }
        gs2Header = message.substring(0, secondComma + 1);
        clientFirstBare = message.substring(secondComma + 1);
        String[] fields = clientFirstBare.split(",", -1);
        if (fields.length < 2) {
            return malformed("expected n=user,r=nonce");
        }
        if (fields[0].startsWith("m=")) {
            return malformed("mandatory extensions are not supported"); // RFC 5802 §5.1: 'm' must make us fail
        }
        if (!fields[0].startsWith("n=") || !fields[1].startsWith("r=")) {
            return malformed("expected n=user,r=nonce");
        }
        String user = decodeSaslName(fields[0].substring(2));
        String clientNonce = fields[1].substring(2);
        if (user == null || user.isEmpty()) {
            return malformed("bad user name");
        }
        if (clientNonce.isEmpty() || !clientNonce.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != ',')) {
            return malformed("bad nonce");
        }
        claimedUser = user;
        SaslStep locked = authenticator.lockedOut(context, user, mechanism());
        if (locked != null) {
            return locked;
        }
        found = lookup.apply(user).orElse(null);
        byte[] salt;
        int iterations;
        if (found != null) {
            salt = found.keys().salt();
            iterations = found.keys().iterations();
        } else {
            // Carry on with a plausible salt; the proof will fail. Refusing here would tell who has an account.
            salt = Arrays.copyOf(ScramSha256.hmac(DECOY_KEY, user.toLowerCase(java.util.Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8)), 16);
            iterations = authenticator.config().hashing().scramIterations();
        }
        nonce = clientNonce + serverNonces.get();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
        return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 5802 §7: c=binding,r=nonce[,extensions],p=proof. */
    private SaslStep clientFinal(String message) {
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            return malformed("no proof");
        }
        String withoutProof = message.substring(0, proofAt);
        String[] fields = withoutProof.split(",", -1);
        if (fields.length < 2 || !fields[0].startsWith("c=") || !fields[1].startsWith("r=")) {
            return malformed("expected c=...,r=...,p=...");
        }
        byte[] binding;
        byte[] proof;
        try {
            binding = Base64.getDecoder().decode(fields[0].substring(2));
            proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return malformed("bad base64");
        }
        // Without channel binding the client echoes the gs2 header (RFC 5802 §7, cbind-input).
        if (!MessageDigest.isEqual(binding, gs2Header.getBytes(StandardCharsets.UTF_8))) {
            return malformed("channel binding data does not match the gs2 header");
        }
        if (!fields[1].substring(2).equals(nonce)) {
            return malformed("nonce mismatch");
        }
        if (found == null) {
            return authenticator.failed(context, claimedUser, mechanism(), "unknown user or no SCRAM keys stored");
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] authBytes = authMessage.getBytes(StandardCharsets.UTF_8);
        ScramSha256 keys = found.keys();
        byte[] clientSignature = ScramSha256.hmac(keys.storedKey(), authBytes);
        if (proof.length != clientSignature.length) {
            return authenticator.failed(context, found.account().name(), mechanism(), "wrong proof length");
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(ScramSha256.sha256(clientKey), keys.storedKey())) {
            return authenticator.failed(context, found.account().name(), mechanism(), "wrong password");
        }
        SaslStep result = authenticator.authorize(found.account(), authzid, context, mechanism());
        if (result instanceof SaslStep.Success success) {
            byte[] serverSignature = ScramSha256.hmac(keys.serverKey(), authBytes);
            return new SaslStep.Success(success.account(),
                    ("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.US_ASCII));
        }
        return result;
    }

    /** RFC 5802 §5.1 saslname: "=2C" is ',' and "=3D" is '='; any other '=' is an error. */
    static String decodeSaslName(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ',') {
                return null;
            }
            if (c == '=') {
                if (name.startsWith("=2C", i)) {
                    out.append(',');
                } else if (name.startsWith("=3D", i)) {
                    out.append('=');
                } else {
                    return null;
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String randomNonce() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
