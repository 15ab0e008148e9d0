package org.facteur.auth.sasl;

import java.util.List;

/**
 * Server-side authentication shared by SMTP, IMAP, POP3 and the webmail: the SASL mechanisms, the plain
 * password check behind IMAP LOGIN and POP3 USER/PASS, and the throttling of failures.
 */
public interface Authenticator {

    /**
     * The mechanisms to advertise on this connection, in preference order. Mechanisms that carry passwords
     * are offered only when {@code context.secure()}; EXTERNAL only with a client certificate.
     */
    List<String> mechanisms(SaslContext context);

    /** Starts an exchange, or returns null when {@code mechanism} is unknown or not allowed on this connection. */
    SaslExchange start(String mechanism, SaslContext context);

    /** A user name and password from IMAP LOGIN, POP3 USER/PASS or the webmail form. */
    SaslStep checkPassword(String user, String password, SaslContext context);

    /** Whether {@code account} has a second factor on: the webmail then asks for a one-time code after the password. */
    default boolean hasSecondFactor(String account) {
        return false;
    }

    /**
     * Checks the one-time code (TOTP, RFC 6238) of {@code account}, whose password was just proven. A wrong or
     * replayed code counts as a failed login for the throttling, as a wrong password does.
     */
    default SaslStep checkSecondFactor(String account, String code, SaslContext context) {
        return new SaslStep.Failure("No second factor is set up", false);
    }
}
