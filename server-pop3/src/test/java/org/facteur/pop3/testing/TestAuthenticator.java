package org.facteur.pop3.testing;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.auth.sasl.SaslContext;
import org.facteur.auth.sasl.SaslExchange;
import org.facteur.auth.sasl.SaslStep;

/**
 * A stand-in for the auth module's H2 directory while it is being written: accounts with passwords in a map,
 * PLAIN (RFC 4616), LOGIN, EXTERNAL (RFC 4422 App. A, from the certificate's e-mail address) and a test-only
 * mechanism that ends with additional data, as SCRAM does. To be replaced by the auth test-jar's fixture.
 */
public final class TestAuthenticator implements Authenticator {

    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    /** When set, every check fails temporarily (throttling, directory down). */
    public volatile boolean unavailable;

    public TestAuthenticator add(String account, String password) {
        passwords.put(account, password);
        return this;
    }

    @Override
    public List<String> mechanisms(SaslContext context) {
        List<String> result = new ArrayList<>();
        if (context.secure()) {
            result.add("PLAIN");
            result.add("LOGIN");
            result.add("X-FINAL");
        }
        if (!context.clientCertificates().isEmpty()) {
            result.add("EXTERNAL");
        }
        return result;
    }

    @Override
    public SaslExchange start(String mechanism, SaslContext context) {
        if (!mechanisms(context).contains(mechanism)) {
            return null;
        }
        return switch (mechanism) {
            case "PLAIN" -> new SaslExchange() {
                @Override
                public SaslStep evaluate(byte[] response) {
                    if (response == null) {
                        return new SaslStep.Challenge(new byte[0]);
                    }
                    String[] parts = new String(response, StandardCharsets.UTF_8).split("\u0000", -1);
                    if (parts.length != 3) {
                        return new SaslStep.Failure("Malformed PLAIN response", false);
                    }
                    return checkPassword(parts[1], parts[2], context);
                }

                @Override
                public void abort() {
                }
            };
            case "LOGIN" -> new SaslExchange() {
                private String user;
                private int step;

                @Override
                public SaslStep evaluate(byte[] response) {
                    if (step == 0 && response == null) {
                        step = 1;
                        return new SaslStep.Challenge("Username:".getBytes(StandardCharsets.US_ASCII));
                    }
                    if (step <= 1) {
                        user = new String(response, StandardCharsets.UTF_8);
                        step = 2;
                        return new SaslStep.Challenge("Password:".getBytes(StandardCharsets.US_ASCII));
                    }
                    return checkPassword(user, new String(response, StandardCharsets.UTF_8), context);
                }

                @Override
                public void abort() {
                }
            };
            case "X-FINAL" -> new SaslExchange() {
                @Override
                public SaslStep evaluate(byte[] response) {
                    if (response == null) {
                        return new SaslStep.Challenge("who".getBytes(StandardCharsets.US_ASCII));
                    }
                    String user = new String(response, StandardCharsets.UTF_8);
                    return passwords.containsKey(user)
                            ? new SaslStep.Success(user, "v=done".getBytes(StandardCharsets.US_ASCII))
                            : new SaslStep.Failure("no", false);
                }

                @Override
                public void abort() {
                }
            };
            case "EXTERNAL" -> new SaslExchange() {
                @Override
                public SaslStep evaluate(byte[] response) {
                    if (response == null) {
                        return new SaslStep.Challenge(new byte[0]);
                    }
                    String email = email(context.clientCertificates().get(0));
                    String asked = new String(response, StandardCharsets.UTF_8);
                    if (email == null || !passwords.containsKey(email) || (!asked.isEmpty() && !asked.equals(email))) {
                        return new SaslStep.Failure("Certificate does not name this account", false);
                    }
                    return new SaslStep.Success(email, null);
                }

                @Override
                public void abort() {
                }
            };
            default -> null;
        };
    }

    private static String email(X509Certificate certificate) {
        try {
            if (certificate.getSubjectAlternativeNames() == null) {
                return null;
            }
            for (List<?> san : certificate.getSubjectAlternativeNames()) {
                if (Integer.valueOf(1).equals(san.get(0))) {
                    return (String) san.get(1);
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    @Override
    public SaslStep checkPassword(String user, String password, SaslContext context) {
        if (unavailable) {
            return new SaslStep.Failure("Too many failures; try again later", true);
        }
        String expected = passwords.get(user);
        if (expected != null && expected.equals(password)) {
            return new SaslStep.Success(user, null);
        }
        return new SaslStep.Failure("Invalid user name or password", false);
    }
}
