package org.facteur.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Which ports the listeners use. Each module declares its standard ports as defaults (25, 587, 465, 143, 993,
 * 110, 995, 443); the policy is applied here, once:
 * <ul>
 *   <li>started as root: the standard ports;</li>
 *   <li>otherwise: each standard port plus {@value #UNPRIVILEGED_OFFSET} (10025, 10587, ...), since only root may
 *       bind below 1024 on most systems; the chosen ports are written into the generated file;</li>
 *   <li>tests: every port 0 (a free port each).</li>
 * </ul>
 * A port of -1 (off) is left alone. Only the listening ports named in {@link #LISTENERS} are touched: the SMTP
 * client's remote port 25 or a smarthost's 587 are other servers' ports.
 */
public final class PortPolicy {

    public static final int UNPRIVILEGED_OFFSET = 10000;
    /** RFC 5321 (25), RFC 6409 (587), RFC 8314 (465, 993, 995), RFC 9051 (143), RFC 1939 (110), HTTPS (443). */
    public static final Set<Integer> STANDARD_PORTS = Set.of(25, 587, 465, 143, 993, 110, 995, 443);
    /** The key paths of every listening port, as {@link Facteur} starts them. */
    public static final List<String> LISTENERS = List.of(
            "smtp.listeners.mta-port", "smtp.listeners.submission-port", "smtp.listeners.submissions-port",
            "imap.starttls-port", "imap.implicit-tls-port", "pop3.port", "pop3.tls-port", "webmail.port");

    private PortPolicy() {
    }

    /** The configuration with standard ports shifted for a process that is not root. */
    public static FacteurConfig forUser(FacteurConfig config, boolean root) {
        return root ? config : map(config, p -> STANDARD_PORTS.contains(p) ? p + UNPRIVILEGED_OFFSET : p);
    }

    /** Every listening port set to 0, so the system picks free ones (tests, several instances on one host). */
    public static FacteurConfig ephemeral(FacteurConfig config) {
        return map(config, p -> p > 0 ? 0 : p);
    }

    /** Each listening port by its key path ({@code pop3.tls-port} → 995). */
    public static Map<String, Integer> ports(FacteurConfig config) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ConfigTrees.map(config, (path, component, value) -> {
            if (LISTENERS.contains(path)) {
                ports.put(path, (Integer) value);
            }
            return value;
        });
        return ports;
    }

    /** A copy of {@code config} with every listening port passed through {@code change}. */
    public static FacteurConfig map(FacteurConfig config, IntUnaryOperator change) {
        return ConfigTrees.map(config, (path, component, value) ->
                LISTENERS.contains(path) ? (Object) change.applyAsInt((Integer) value) : value);
    }
}
