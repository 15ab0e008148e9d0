package org.facteur.filters.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.ParsedMessage;
import org.facteur.filters.Verdict;
import org.facteur.filters.policy.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores the message with the rules: the built-in set shipped as a resource, then the admin's files (a rule
 * of the same name replaces the built-in one). Files are re-read when the configuration or a file changes.
 */
public final class RulesFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(RulesFilter.class);
    public static final String BUILT_IN = "/org/facteur/filters/rules/default.cf";

    private final Scope scope;
    private volatile Loaded loaded;

    private record Loaded(FilterConfig.Rules config, List<Long> stamps, RuleEngine engine) {
    }

    public RulesFilter(Scope scope) {
        this.scope = scope;
    }

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public Verdict data(FilterContext context, MessageData message) throws Exception {
        FilterConfig config = scope.config();
        if (!config.rules().enabled() || scope.exemptSender(context) || message.size() > config.maxScanSize().bytes()) {
            return Verdict.CONTINUE;
        }
        ParsedMessage parsed = ParsedMessage.of(context, message);
        for (Rule hit : engine().evaluate(parsed)) {
            if (!hit.isSubRule() && hit.score() != 0) {
                context.score(hit.name(), hit.score(), hit.description());
            }
        }
        return Verdict.CONTINUE;
    }

    /** The current engine, reloaded when the rules configuration or a rules file changed. */
    public RuleEngine engine() throws IOException {
        FilterConfig.Rules config = scope.config().rules();
        List<Long> stamps = new ArrayList<>();
        for (Path file : config.files()) {
            stamps.add(Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : -1);
        }
        Loaded current = loaded;
        if (current != null && current.config().equals(config) && current.stamps().equals(stamps)) {
            return current.engine();
        }
        RuleSet set = load(config);
        for (RuleSet.Problem p : set.problems()) {
            log.warn("rules: {}", p);
        }
        RuleEngine engine = new RuleEngine(set.rules(), config.maxBodyChars());
        loaded = new Loaded(config, stamps, engine);
        return engine;
    }

    public static RuleSet load(FilterConfig.Rules config) throws IOException {
        RuleSet set = new RuleSet();
        if (config.builtIn()) {
            try (InputStream in = RulesFilter.class.getResourceAsStream(BUILT_IN);
                 Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                set.parse(r, "built-in default.cf");
            }
        }
        for (Path file : config.files()) {
            if (!Files.exists(file)) {
                log.warn("rules file {} does not exist", file);
                continue;
            }
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                set.parse(r, file.toString());
            }
        }
        return set;
    }
}
