package org.facteur.imap.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.auth.sasl.SaslContext;
import org.facteur.auth.sasl.SaslExchange;
import org.facteur.auth.sasl.SaslStep;

/**
 * PLAIN and EXTERNAL over a fixed user table, standing in for the auth module's fixture until it is merged.
 */
public final class TestAuthenticator implements Authenticator {

    private final Map<String, String> passwords;

    public TestAuthenticator(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    @Override
    public List<String> mechanisms(SaslContext context) {
        List<String> m = new ArrayList<>();
        if (context.secure()) {
            m.add("PLAIN");
        }
        if (!context.clientCertificates().isEmpty()) {
            m.add("EXTERNAL");
        }
        return m;
    }

    @Override
    public SaslExchange start(String mechanism, SaslContext context) {
        if (mechanism.equals("PLAIN") && context.secure()) {
            return new SaslExchange() {
                @Override
                public SaslStep evaluate(byte[] response) {
                    if (response == null) {
                        return new SaslStep.Challenge(new byte[0]);
                    }
                    String[] parts = new String(response, StandardCharsets.UTF_8).split("\0", -1);
                    if (parts.length != 3) {
                        return new SaslStep.Failure("malformed", false);
                    }
                    return checkPassword(parts[1], parts[2], context);
                }

                @Override
                public void abort() {
                }
            };
        }
        if (mechanism.equals("EXTERNAL") && !context.clientCertificates().isEmpty()) {
            return new SaslExchange() {
                @Override
                public SaslStep evaluate(byte[] response) {
                    String dn = context.clientCertificates().get(0).getSubjectX500Principal().getName();
                    String user = dn.replaceFirst("^.*CN=([^,]+).*$", "$1");
                    return passwords.containsKey(user) ? new SaslStep.Success(user, null) : new SaslStep.Failure("unknown", false);
                }

                @Override
                public void abort() {
                }
            };
        }
        return null;
    }

    @Override
    public SaslStep checkPassword(String user, String password, SaslContext context) {
        return password.equals(passwords.get(user)) ? new SaslStep.Success(user, null) : new SaslStep.Failure("bad", false);
    }
}
