package org.facteur.filters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.facteur.auth.Directory;
import org.facteur.filters.bayes.BayesClassifier;
import org.facteur.filters.bayes.BayesFilter;
import org.facteur.filters.bayes.TokenStore;
import org.facteur.filters.bayes.Trainer;
import org.facteur.filters.attachments.AttachmentFilter;
import org.facteur.filters.auth.DkimFilter;
import org.facteur.filters.clamav.ClamavFilter;
import org.facteur.filters.auth.DmarcFilter;
import org.facteur.filters.auth.SpfFilter;
import org.facteur.filters.dns.DnsClient;
import org.facteur.filters.dns.DnsblFilter;
import org.facteur.filters.dns.FcrdnsFilter;
import org.facteur.filters.helo.HeloFilter;
import org.facteur.filters.policy.AccountSpamSettings;
import org.facteur.filters.policy.GreylistFilter;
import org.facteur.filters.policy.GtubeFilter;
import org.facteur.filters.policy.SenderLists;
import org.facteur.filters.policy.SenderListsFilter;
import org.facteur.filters.policy.TarpitFilter;
import org.facteur.filters.policy.InternalOnlyFilter;
import org.facteur.filters.policy.Scope;
import org.facteur.filters.quarantine.Quarantine;
import org.facteur.filters.report.VerdictFilter;
import org.facteur.filters.rules.RulesFilter;
import org.facteur.filters.store.FilterDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the one chain from the configuration, once, for the application: every filter is made here with
 * its dependencies, and the configured order picks which run (re-read on reload). Also hands out the
 * services that share the filters' state: the quarantine, the Bayes trainer, the scanner, the sender lists.
 *
 * <pre>
 * Filters filters = Filters.builder(() -&gt; config.filters()).directory(directory).dataDir(data).build();
 * FilterChain chain = filters.chain();
 * </pre>
 */
public final class Filters implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Filters.class);

    private final Supplier<FilterConfig> config;
    private final Scope scope;
    private final FilterDatabase database;
    private final Quarantine quarantine;
    private final DnsClient dns;
    private final SenderLists senderLists;
    private final BayesClassifier bayes;
    private final Trainer trainer;
    private final Map<String, Filter> registry = new LinkedHashMap<>();
    private final FilterChain chain;
    private final Set<String> warnedUnknown = new HashSet<>();
    private volatile FilterConfig orderedFor;
    private volatile List<Filter> ordered;

    private Filters(Builder b) throws IOException {
        this.config = b.config;
        this.scope = new Scope(b.config, b.directory, b.accountSettings);
        this.database = b.dataDir == null ? FilterDatabase.inMemory("filters-" + System.identityHashCode(this))
                : FilterDatabase.open(b.dataDir.resolve("filters"));
        Path dataDir = b.dataDir == null ? Path.of(".") : b.dataDir;
        this.quarantine = new Quarantine(() -> dataDir.resolve(config.get().quarantine().directory()), b.releaser);
        this.dns = new DnsClient(() -> config.get().dns());
        this.senderLists = new SenderLists(database);
        register(new RelayFilter(() -> config.get().trustedCidrs()));
        register(new InternalOnlyFilter(scope));
        register(new DnsblFilter(scope, dns));
        register(new FcrdnsFilter(scope, dns));
        register(new HeloFilter(scope, dns, b.serverName));
        register(new GreylistFilter(scope, database, b.clock));
        register(new TarpitFilter(scope));
        register(new SpfFilter(scope, dns));
        register(new DkimFilter(scope, dns));
        register(new DmarcFilter(scope, dns));
        register(new SenderListsFilter(scope, senderLists));
        register(new AttachmentFilter(scope, quarantine));
        register(new ClamavFilter(scope, quarantine));
        register(new GtubeFilter(scope));
        this.bayes = new BayesClassifier(new TokenStore(database), () -> config.get().bayes());
        this.trainer = new Trainer(bayes);
        register(new RulesFilter(scope));
        register(new BayesFilter(scope, bayes));
        register(new VerdictFilter(scope, quarantine));
        this.chain = new FilterChain(this::ordered, config, b.directory, quarantine);
    }

    private void register(Filter filter) {
        registry.put(filter.name(), filter);
    }

    public static Builder builder(Supplier<FilterConfig> config) {
        return new Builder(config);
    }

    /** The chain the SMTP server and the webmail call; the same instance for the life of the server. */
    public FilterChain chain() {
        return chain;
    }

    public Quarantine quarantine() {
        return quarantine;
    }

    /** Training for {@code facteur train}, the webmail buttons and Junk moves. */
    public Trainer trainer() {
        return trainer;
    }

    public BayesClassifier bayes() {
        return bayes;
    }

    /**
     * {@code facteur scan}: the content filters over stored messages. It runs the data stage of a chain made
     * of the configured order minus the connection checks that need a live client (SPF, DKIM, DMARC need
     * the envelope and DNS; they are skipped), and never quarantines: quarantine and reject show as verdicts.
     */
    public org.facteur.filters.tools.Scanner scanner(int threads) {
        return new org.facteur.filters.tools.Scanner(contentChain(), threads);
    }

    /**
     * The content part of the chain alone (attachments, clamd, GTUBE, sender lists, rules, Bayes, verdict),
     * as {@link #scanner} and the accuracy benchmark run it: no DNS, no envelope checks, never quarantines.
     */
    public FilterChain contentChain() {
        java.util.Set<String> content = java.util.Set.of("attachments", "clamav", "gtube", "sender-lists", "rules", "bayes");
        FilterConfig current = config.get();
        FilterConfig scanConfig = new FilterConfig(current.order(), current.requiredScore(), current.rejectScore(),
                current.spamAction() == FilterConfig.SpamAction.QUARANTINE ? FilterConfig.SpamAction.JUNK : current.spamAction(),
                current.fallback(), current.filterTimeout(), current.localNames(), current.authservId(), current.trustedNetworks(), current.exceptions(),
                current.dns(), current.dnsbl(), current.fcrdns(), current.helo(), current.spf(), current.dkim(), current.dmarc(),
                current.tarpit(), current.greylist(), current.internalOnly(),
                new FilterConfig.Attachments(current.attachments().enabled(),
                        current.attachments().action() == FilterConfig.AttachmentAction.QUARANTINE
                                ? FilterConfig.AttachmentAction.REJECT : current.attachments().action(),
                        current.attachments().blockedExtensions(), current.attachments().blockedTypes(),
                        current.attachments().checkMagic(), current.attachments().blockMacros(),
                        current.attachments().blockHtmlScripts(), current.attachments().blockEncryptedArchives(),
                        current.attachments().archiveMaxDepth(), current.attachments().archiveMaxEntries(),
                        current.attachments().archiveMaxSize(), current.attachments().archiveMaxRatio()),
                new FilterConfig.Clamav(current.clamav().enabled(), current.clamav().address(), current.clamav().timeout(),
                        current.clamav().optional(), current.clamav().maxSize(),
                        current.clamav().action() == FilterConfig.VirusAction.QUARANTINE
                                ? FilterConfig.VirusAction.REJECT : current.clamav().action()),
                current.quarantine(), current.rules(), current.bayes(), current.maxScanSize(), current.overrides());
        Scope scanScope = new Scope(() -> scanConfig, scope.directory());
        Map<String, Filter> scanFilters = Map.of(
                "attachments", new AttachmentFilter(scanScope, quarantine),
                "clamav", new ClamavFilter(scanScope, quarantine),
                "gtube", new GtubeFilter(scanScope),
                "sender-lists", new SenderListsFilter(scanScope, senderLists),
                "rules", registry.get("rules"),
                "bayes", new BayesFilter(scanScope, bayes));
        List<Filter> selected = new ArrayList<>();
        for (String name : current.order()) {
            if (content.contains(name)) {
                selected.add(scanFilters.get(name));
            }
        }
        selected.add(new VerdictFilter(scanScope, quarantine));
        return new FilterChain(() -> selected, () -> scanConfig, scope.directory(), null);
    }

    /** Per-account allow and block lists of senders (webmail settings). */
    public SenderLists senderLists() {
        return senderLists;
    }

    public DnsClient dns() {
        return dns;
    }

    public FilterDatabase database() {
        return database;
    }

    /** A filter by its configured name, or null (for tests and tools). */
    public Filter filter(String name) {
        return registry.get(name);
    }

    /** The names every configuration may use in {@code order}. */
    public Set<String> names() {
        return registry.keySet();
    }

    List<Filter> ordered() {
        FilterConfig current = config.get();
        if (current != orderedFor) {
            List<Filter> list = new ArrayList<>();
            for (String name : current.order()) {
                Filter filter = registry.get(name);
                if (filter != null) {
                    list.add(filter);
                } else if (warnedUnknown.add(name)) {
                    log.warn("filters.order names an unknown filter '{}'; known: {}", name, registry.keySet());
                }
            }
            ordered = List.copyOf(list);
            orderedFor = current;
        }
        return ordered;
    }

    @Override
    public void close() {
        database.close();
    }

    public static final class Builder {
        private final Supplier<FilterConfig> config;
        private Directory directory;
        private AccountSpamSettings accountSettings =
                AccountSpamSettings.NONE;
        private Path dataDir;
        private Quarantine.Releaser releaser;
        private java.time.Clock clock = java.time.Clock.systemUTC();
        private Supplier<String> serverName = () -> "";

        private Builder(Supplier<FilterConfig> config) {
            this.config = config;
        }

        /** Local domains and accounts (for HELO checks, per-account settings and Bayes databases). */
        public Builder directory(Directory directory) {
            this.directory = directory;
            return this;
        }

        /** Each account's own spam threshold and spam placement (the webmail's settings). */
        public Builder accountSettings(AccountSpamSettings accountSettings) {
            this.accountSettings = accountSettings;
            return this;
        }

        /** The data folder: the filters' database goes in {@code filters/}, the quarantine as configured. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Local delivery for released quarantined messages. */
        public Builder releaser(Quarantine.Releaser releaser) {
            this.releaser = releaser;
            return this;
        }

        /** The SMTP server's own host name: a stranger's HELO claiming it is refused, as for {@code local-names}. */
        public Builder serverName(Supplier<String> serverName) {
            this.serverName = serverName;
            return this;
        }

        /** The clock of greylisting (tests move it). */
        public Builder clock(java.time.Clock clock) {
            this.clock = clock;
            return this;
        }

        public Filters build() throws IOException {
            return new Filters(this);
        }
    }
}
