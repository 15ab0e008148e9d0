package org.facteur.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.facteur.config.Doc;
import org.facteur.config.ValidatedConfig;
import org.facteur.filters.FilterConfig;

/**
 * The whole {@code facteur.yaml}: one section per module, each owned by its module. Adding a module's section
 * here (and its wiring in {@link Facteur}) is all it takes to configure it; the binder, the writer and the
 * checks need nothing else.
 */
public record FacteurConfig(
        @Doc("The server as a whole: host name, data folder, domains, run-as user.") ServerConfig server,
        @Doc("TLS certificate and key, shared by every listener.") TlsConfig tls,
        @Doc("The filtering chain applied to incoming mail.") FilterConfig filters) implements ValidatedConfig {

    /** The same configuration with another {@code server} section. */
    public FacteurConfig withServer(ServerConfig newServer) {
        return new FacteurConfig(newServer, tls, filters);
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        // Two listeners cannot share a port; the later one would fail to bind after the first had started.
        Map<Integer, String> used = new HashMap<>();
        for (Map.Entry<String, Integer> port : PortPolicy.ports(this).entrySet()) {
            if (port.getValue() <= 0) {
                continue;
            }
            String other = used.putIfAbsent(port.getValue(), port.getKey());
            if (other != null) {
                problems.add(port.getKey() + ": port " + port.getValue() + " is also " + other
                        + "; fix: give each listener its own port");
            }
        }
        return problems;
    }
}
