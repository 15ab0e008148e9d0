package org.facteur.auth.sasl;

/**
 * PLAIN (RFC 4616): one message {@code [authzid] NUL authcid NUL passwd}. The server sends an empty challenge
 * when the client gave no initial response (RFC 4616 §2). Offered only over TLS.
 */
final class PlainExchange extends AbstractExchange {

    /** RFC 4616 §2 caps each field at 255 octets; we allow more for long passwords but bound the whole. */
    private static final int MAX_MESSAGE = 3 * 1024;

    private boolean challenged;

    PlainExchange(SaslAuthenticator authenticator, SaslContext context) {
        super(authenticator, context, "PLAIN");
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
        if (response.length > MAX_MESSAGE) {
            return malformed("longer than " + MAX_MESSAGE + " bytes");
        }
        int first = indexOf(response, 0);
        int second = first < 0 ? -1 : indexOf(response, first + 1);
        if (first < 0 || second < 0 || indexOf(response, second + 1) >= 0) {
            return malformed("expected authzid NUL authcid NUL password");
        }
        String authzid = Utf8.decode(response, 0, first);
        String authcid = Utf8.decode(response, first + 1, second - first - 1);
        String password = Utf8.decode(response, second + 1, response.length - second - 1);
        if (authzid == null || authcid == null || password == null) {
            return malformed("not UTF-8");
        }
        claimedUser = authcid;
        if (authcid.isEmpty() || password.isEmpty()) {
            return malformed("empty user name or password");
        }
        return authenticator.verifyPassword(authcid, password, authzid, context, mechanism());
    }

    private static int indexOf(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
