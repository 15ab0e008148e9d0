package org.facteur.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency rule between modules, written down so it holds: config is the bottom; net and storage may use
 * config; auth may use config and net; filters may use net, auth, storage and config; each protocol server may use
 * everything below it but not another server nor the webmail; the webmail likewise; only app uses the servers.
 * Checked on main classes (test fixtures may reach further, e.g. a server test using another's test client).
 */
@AnalyzeClasses(packages = "org.facteur", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String CONFIG = "org.facteur.config..";
    private static final String NET = "org.facteur.net..";
    private static final String AUTH = "org.facteur.auth..";
    private static final String STORAGE = "org.facteur.storage..";
    private static final String FILTERS = "org.facteur.filters..";
    private static final String SMTP = "org.facteur.smtp..";
    private static final String IMAP = "org.facteur.imap..";
    private static final String POP3 = "org.facteur.pop3..";
    private static final String WEBMAIL = "org.facteur.webmail..";
    private static final String APP = "org.facteur.app..";

    /** Each module's package and the modules it may use. */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put(CONFIG, Set.of());
        ALLOWED.put(NET, Set.of(CONFIG));
        ALLOWED.put(STORAGE, Set.of(CONFIG));
        ALLOWED.put(AUTH, Set.of(CONFIG, NET));
        ALLOWED.put(FILTERS, Set.of(CONFIG, NET, AUTH, STORAGE));
        for (String server : List.of(SMTP, IMAP, POP3, WEBMAIL)) {
            ALLOWED.put(server, Set.of(CONFIG, NET, AUTH, STORAGE, FILTERS));
        }
        ALLOWED.put(APP, Set.of(CONFIG, NET, AUTH, STORAGE, FILTERS, SMTP, IMAP, POP3, WEBMAIL));
    }

    @ArchTest
    static final ArchRule modulesDependOnlyDownwards = rules();

    private static ArchRule rules() {
        List<ArchRule> rules = new ArrayList<>();
        for (Map.Entry<String, Set<String>> module : ALLOWED.entrySet()) {
            List<String> forbidden = new ArrayList<>();
            for (String other : ALLOWED.keySet()) {
                if (!other.equals(module.getKey()) && !module.getValue().contains(other)) {
                    forbidden.add(other);
                }
            }
            rules.add(noClasses().that().resideInAPackage(module.getKey())
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                    .allowEmptyShould(true)
                    .because(module.getKey() + " may use only " + (module.getValue().isEmpty() ? "the JDK and libraries"
                            : String.join(", ", module.getValue()))));
        }
        CompositeArchRule all = CompositeArchRule.of(rules.getFirst());
        for (ArchRule r : rules.subList(1, rules.size())) {
            all = all.and(r);
        }
        return all;
    }
}
