package org.facteur.filters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.facteur.auth.Directory;
import org.facteur.auth.Recipient;

/**
 * How end of data splits a transaction's recipients into the copies judged apart: one group per local account
 * (an alias that fans out gives each account its own), and one group for every address delivered elsewhere
 * (relayed, or forwarded by an alias), judged with the defaults. The group's {@code recipients} are what its
 * narrowed context holds: the account itself for a local group; the remote addresses for the other group. The
 * narrowed context also carries the group's account ({@code FilterContext#recipientAccount}), so that its own
 * settings and Bayes database apply without resolving the address again.
 */
public final class RecipientGroups {

    /** One copy's recipients; {@code account} is null for the group of addresses that are not local. */
    public record Group(String account, List<String> recipients) {
        public Group {
            recipients = List.copyOf(recipients);
        }
    }

    private RecipientGroups() {
    }

    /**
     * The groups in the order their recipients were given; never empty (a message with no recipient, as
     * {@code facteur scan} sees it, is one group of none). Without a directory, each address is its own
     * account, as {@link org.facteur.filters.policy.Scope#account} assumes.
     */
    public static List<Group> split(Directory directory, List<String> recipients) {
        Map<String, Group> local = new LinkedHashMap<>();
        List<String> elsewhere = new ArrayList<>();
        for (String recipient : recipients) {
            Recipient resolution = directory == null
                    ? new Recipient.Local(List.of(recipient.toLowerCase(Locale.ROOT)), null)
                    : directory.resolve(recipient);
            switch (resolution) {
                case Recipient.Local l -> l.accounts().forEach(a -> local.putIfAbsent(a, new Group(a, List.of(a))));
                case Recipient.Forward f -> {
                    f.localAccounts().forEach(a -> local.putIfAbsent(a, new Group(a, List.of(a))));
                    elsewhere.addAll(f.remoteAddresses());
                }
                case Recipient.NotLocal n -> elsewhere.add(recipient);
                case Recipient.Unknown u -> {
                    // refused at RCPT; nothing is delivered to it
                }
            }
        }
        List<Group> groups = new ArrayList<>(local.values());
        if (!elsewhere.isEmpty() || groups.isEmpty()) {
            groups.add(new Group(null, elsewhere));
        }
        return groups;
    }
}
