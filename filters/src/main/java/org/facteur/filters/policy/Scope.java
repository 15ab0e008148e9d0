package org.facteur.filters.policy;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.facteur.auth.Directory;
import org.facteur.auth.Recipient;
import org.facteur.filters.Cidr;
import org.facteur.filters.EntryPoint;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;

/**
 * Who a check applies to: whether the client is trusted or excepted (no scoring for our own users and the
 * admin's exceptions), the account whose settings and Bayes database apply, and the recipient's override.
 * One place, so every filter judges these the same way.
 */
public final class Scope {

    private final Supplier<FilterConfig> config;
    private final Directory directory;
    private final AccountSpamSettings accounts;

    public Scope(Supplier<FilterConfig> config, Directory directory) {
        this(config, directory, AccountSpamSettings.NONE);
    }

    /** @param accounts each account's own spam settings, consulted between the override and the default */
    public Scope(Supplier<FilterConfig> config, Directory directory, AccountSpamSettings accounts) {
        this.config = config;
        this.directory = directory;
        this.accounts = accounts;
    }

    public FilterConfig config() {
        return config.get();
    }

    public Directory directory() {
        return directory;
    }

    /** Mail from our users or trusted networks: connection and spam checks do not apply. */
    public boolean trusted(FilterContext context) {
        if (context.isAuthenticated() || context.client().entryPoint() != EntryPoint.MTA) {
            return true;
        }
        return inNetworks(context.client().address(), config().trustedNetworks());
    }

    /** Trusted, or in the admin's exceptions by network or FCrDNS-confirmed host name. */
    public boolean exempt(FilterContext context) {
        if (trusted(context)) {
            return true;
        }
        FilterConfig.Exceptions ex = config().exceptions();
        if (inNetworks(context.client().address(), ex.networks())) {
            return true;
        }
        String name = context.client().reverseName();
        return name != null && matchesDomain(name, ex.clientDomains());
    }

    /** Exempt, or the envelope sender's domain is excepted. */
    public boolean exemptSender(FilterContext context) {
        if (exempt(context)) {
            return true;
        }
        String domain = domainOf(context.reversePath());
        return domain != null && matchesDomain(domain, config().exceptions().senderDomains());
    }

    public static boolean inNetworks(InetAddress address, List<String> networks) {
        if (address == null) {
            return false;
        }
        for (String network : networks) {
            if (Cidr.parse(network).contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** {@code .example.org} matches sub-domains; {@code example.org} the name and its sub-domains. */
    public static boolean matchesDomain(String name, List<String> domains) {
        String n = trimDot(name.toLowerCase(Locale.ROOT));
        for (String d : domains) {
            String domain = trimDot(d.toLowerCase(Locale.ROOT));
            if (domain.startsWith(".")) {
                if (n.endsWith(domain)) {
                    return true;
                }
            } else if (n.equals(domain) || n.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    public static String domainOf(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        return at < 0 || at == address.length() - 1 ? null : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * The account whose settings apply: the first recipient's local account. At end of data the chain gives
     * each recipient group its own context ({@link FilterContext#forRecipients}), so there it is that group's
     * account; before (RCPT), the first recipient's.
     */
    public Optional<String> account(FilterContext context) {
        if (context.recipientAccount().isPresent()) {
            return context.recipientAccount(); // resolved once, when the recipients were grouped
        }
        for (String recipient : context.recipients()) {
            if (directory == null) {
                return Optional.of(recipient.toLowerCase(Locale.ROOT));
            }
            Recipient r = directory.resolve(recipient);
            if (r instanceof Recipient.Local local && !local.accounts().isEmpty()) {
                return Optional.of(local.accounts().get(0));
            }
            if (r instanceof Recipient.Forward fwd && !fwd.localAccounts().isEmpty()) {
                return Optional.of(fwd.localAccounts().get(0));
            }
        }
        return Optional.empty();
    }

    public Optional<FilterConfig.Override> override(FilterContext context) {
        List<String> recipients = context.recipients();
        return recipients.isEmpty() ? Optional.empty() : config().overrideFor(recipients.get(0));
    }

    /** The admin's override for the recipient, else the account's own setting, else the configuration's. */
    public double requiredScore(FilterContext context) {
        return override(context).flatMap(FilterConfig.Override::requiredScore)
                .or(() -> accountSettings(context).requiredScore())
                .orElse(config().requiredScore());
    }

    /** The admin's override for the recipient, else the account's own setting, else the configuration's. */
    public FilterConfig.SpamAction spamAction(FilterContext context) {
        return override(context).flatMap(FilterConfig.Override::spamAction)
                .or(() -> accountSettings(context).spamAction())
                .orElse(config().spamAction());
    }

    private AccountSpamSettings.Settings accountSettings(FilterContext context) {
        return account(context).map(accounts::of).orElse(AccountSpamSettings.Settings.NONE);
    }
}
