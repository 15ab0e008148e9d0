package org.facteur.auth.sasl;

import java.nio.charset.StandardCharsets;

/**
 * LOGIN (draft-murchison-sasl-login-00): the server asks {@code Username:} then {@code Password:}; a client
 * may send the user name as its initial response. Obsolete, but Outlook and many devices still use it.
 * Offered only over TLS.
 */
final class LoginExchange extends AbstractExchange {

    private static final byte[] USERNAME = "Username:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASSWORD = "Password:".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_FIELD = 1024;

    private String user;
    private boolean askedUser;

    LoginExchange(SaslAuthenticator authenticator, SaslContext context) {
        super(authenticator, context, "LOGIN");
    }

    @Override
    protected SaslStep step(byte[] response) {
        if (user == null) {
            if (response == null || response.length == 0) {
                if (askedUser) {
                    return malformed("empty user name");
                }
                askedUser = true;
                return new SaslStep.Challenge(USERNAME.clone());
            }
            if (response.length > MAX_FIELD) {
                return malformed("user name too long");
            }
            user = Utf8.decode(response);
            if (user == null) {
                return malformed("user name is not UTF-8");
            }
            claimedUser = user;
            return new SaslStep.Challenge(PASSWORD.clone());
        }
        if (response == null || response.length == 0) {
            return malformed("empty password");
        }
        if (response.length > MAX_FIELD) {
            return malformed("password too long");
        }
        String password = Utf8.decode(response);
        if (password == null) {
            return malformed("password is not UTF-8");
        }
        return authenticator.verifyPassword(user, password, null, context, mechanism());
    }
}
