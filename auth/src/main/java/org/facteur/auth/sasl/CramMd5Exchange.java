package org.facteur.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.facteur.auth.Account;
import org.facteur.auth.Credentials;
import org.facteur.auth.password.CramMd5Secret;

/**
 * CRAM-MD5 (RFC 2195): the server sends a unique {@code <random.time@host>} challenge, the client answers
 * {@code user SP hex(HMAC-MD5(password, challenge))}. Needs the stored CRAM-MD5 secret, which exists only
 * while CRAM-MD5 is enabled (and is filled in at the next password login for older accounts).
 */
final class CramMd5Exchange extends AbstractExchange {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_RESPONSE = 1024;

    private final byte[] challenge;
    private boolean challenged;

    CramMd5Exchange(SaslAuthenticator authenticator, SaslContext context) {
        this(authenticator, context, ("<" + Long.toUnsignedString(RANDOM.nextLong()) + "." + System.currentTimeMillis()
                + "@" + (context.serverName() == null ? "localhost" : context.serverName()) + ">")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** With a given challenge (tests replay RFC 2195's). */
    CramMd5Exchange(SaslAuthenticator authenticator, SaslContext context, byte[] challenge) {
        super(authenticator, context, "CRAM-MD5");
        this.challenge = challenge.clone();
    }

    @Override
    protected SaslStep step(byte[] response) {
        if (!challenged) {
            if (response != null && response.length > 0) {
                return malformed("CRAM-MD5 has no initial response"); // RFC 2195 §2: the server speaks first
            }
            challenged = true;
            return new SaslStep.Challenge(challenge.clone());
        }
        if (response == null || response.length == 0 || response.length > MAX_RESPONSE) {
            return malformed("expected 'user digest'");
        }
        String text = Utf8.decode(response);
        int space = text == null ? -1 : text.lastIndexOf(' ');
        if (space <= 0 || text.length() - space - 1 != 32) {
            return malformed("expected 'user digest' with a 32-digit hex digest");
        }
        String user = text.substring(0, space);
        claimedUser = user;
        byte[] digest;
        try {
            digest = HexFormat.of().parseHex(text.substring(space + 1).toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return malformed("the digest is not hexadecimal");
        }
        SaslStep locked = authenticator.lockedOut(context, user, mechanism());
        if (locked != null) {
            return locked;
        }
        Optional<Account> account = authenticator.findAccount(user);
        CramMd5Secret secret = account.flatMap(authenticator::credentials).map(Credentials::cramMd5)
                .map(CramMd5Secret::decode).orElse(null);
        if (secret == null) {
            return authenticator.failed(context, account.map(Account::name).orElse(user), mechanism(),
                    account.isEmpty() ? "unknown user" : "no CRAM-MD5 secret stored (log in once with a password mechanism, or set the password again)");
        }
        if (!MessageDigest.isEqual(secret.digest(challenge), digest)) {
            return authenticator.failed(context, account.get().name(), mechanism(), "wrong digest");
        }
        return authenticator.authorize(account.get(), null, context, mechanism());
    }
}
