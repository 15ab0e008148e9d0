package org.facteur.smtp.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.facteur.auth.sasl.Authenticator;
import org.facteur.auth.sasl.SaslContext;
import org.facteur.auth.sasl.SaslExchange;
import org.facteur.auth.sasl.SaslStep;

/** PLAIN and LOGIN against fixed passwords (alice/bob: "secret"), until the auth module's fixture is used. */
public final class TestAuthenticator implements Authenticator {

    private static final Map<String, String> PASSWORDS = Map.of("alice@example.test", "secret", "bob@example.test", "secret");

    @Override
    public List<String> mechanisms(SaslContext context) {
        List<String> m = new ArrayList<>();
        if (context.secure()) {
            m.add("PLAIN");
            m.add("LOGIN");
        }
        return m;
    }

    @Override
    public SaslExchange start(String mechanism, SaslContext context) {
        return switch (mechanism) {
            case "PLAIN" -> new SaslExchange() {
                @Override
                public SaslStep evaluate(byte[] response) {
                    if (response == null) {
                        return new SaslStep.Challenge(new byte[0]);
                    }
                    String[] parts = new String(response, StandardCharsets.UTF_8).split("\0", -1);
                    return parts.length == 3 ? checkPassword(parts[1], parts[2], context) : new SaslStep.Failure("bad", false);
                }

                @Override
                public void abort() {
                }
            };
            case "LOGIN" -> new SaslExchange() {
                private String user;

                @Override
                public SaslStep evaluate(byte[] response) {
                    if (response == null) {
                        return new SaslStep.Challenge("Username:".getBytes(StandardCharsets.US_ASCII));
                    }
                    if (user == null) {
                        user = new String(response, StandardCharsets.UTF_8);
                        return new SaslStep.Challenge("Password:".getBytes(StandardCharsets.US_ASCII));
                    }
                    return checkPassword(user, new String(response, StandardCharsets.UTF_8), context);
                }

                @Override
                public void abort() {
                }
            };
            default -> null;
        };
    }

    @Override
    public SaslStep checkPassword(String user, String password, SaslContext context) {
        String u = user.toLowerCase(java.util.Locale.ROOT);
        if (!u.contains("@")) {
            u = u + "@example.test";
        }
        return password.equals(PASSWORDS.get(u)) ? new SaslStep.Success(u, null) : new SaslStep.Failure("wrong", false);
    }
}
