package org.facteur.filters.policy;

import java.util.Optional;
import org.facteur.auth.DirectoryException;
import org.facteur.auth.settings.SettingsStore;
import org.facteur.auth.settings.UserSettings;
import org.facteur.filters.FilterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An account's own spam settings, set by its user in the webmail: {@link Scope} consults them after the admin's
 * per-recipient override and before the configuration's default.
 */
@FunctionalInterface
public interface AccountSpamSettings {

    /** Empty values leave the decision to the configuration. */
    record Settings(Optional<Double> requiredScore, Optional<FilterConfig.SpamAction> spamAction) {
        public static final Settings NONE = new Settings(Optional.empty(), Optional.empty());
    }

    AccountSpamSettings NONE = account -> Settings.NONE;

    Settings of(String account);

    /**
     * The users' settings kept by the directory. "Spam stays in the INBOX" is {@code TAG} (headers added, normal
     * delivery); "to Junk" is {@code JUNK}. An unreadable database leaves the configuration's values in force.
     */
    static AccountSpamSettings from(SettingsStore store) {
        Logger log = LoggerFactory.getLogger(AccountSpamSettings.class);
        return account -> {
            UserSettings s;
            try {
                s = store.settings(account);
            } catch (DirectoryException e) {
                log.warn("the spam settings of {} cannot be read, the configuration's apply: {}", account, e.getMessage());
                return Settings.NONE;
            }
            Optional<FilterConfig.SpamAction> action = switch (s.spamPlacement()) {
                case DEFAULT -> Optional.empty();
                case JUNK -> Optional.of(FilterConfig.SpamAction.JUNK);
                case INBOX -> Optional.of(FilterConfig.SpamAction.TAG);
            };
            return new Settings(s.requiredScore(), action);
        };
    }
}
