package org.facteur.auth.sasl;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.facteur.auth.Account;

/**
 * EXTERNAL (RFC 4422 appendix A): the client is authenticated by its verified TLS client certificate, mapped
 * to an account by {@link CertificateMapper}; its one message is the authorization identity, empty for "the
 * account the certificate maps to".
 */
final class ExternalExchange extends AbstractExchange {

    private static final int MAX_AUTHZID = 1024;

    private boolean challenged;

    ExternalExchange(SaslAuthenticator authenticator, SaslContext context) {
        super(authenticator, context, "EXTERNAL");
    }

    @Override
    protected SaslStep step(byte[] response) {
        if (response == null) {
            if (challenged) {
                return malformed("no response");
            }
            challenged = true;
            return new SaslStep.Challenge(new byte[0]);
        }
        if (response.length > MAX_AUTHZID) {
            return malformed("authorization identity too long");
        }
        String authzid = Utf8.decode(response);
        if (authzid == null) {
            return malformed("not UTF-8");
        }
        if (context.clientCertificates().isEmpty()) {
            return authenticator.failed(context, null, mechanism(), "no client certificate");
        }
        X509Certificate certificate = context.clientCertificates().getFirst();
        Optional<Account> account = new CertificateMapper(authenticator.config().external(), authenticator.directory())
                .map(certificate, authzid);
        String subject = certificate.getSubjectX500Principal().getName();
        claimedUser = authzid.isEmpty() ? null : authzid;
        if (account.isEmpty()) {
            return authenticator.failed(context, claimedUser, mechanism(), "certificate " + subject + " maps to no account");
        }
        SaslStep locked = authenticator.lockedOut(context, account.get().name(), mechanism());
        if (locked != null) {
            return locked;
        }
        return authenticator.authorize(account.get(), authzid, context, mechanism());
    }
}
