package org.facteur.smtp.testing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.facteur.auth.Account;
import org.facteur.auth.Directory;
import org.facteur.auth.Recipient;

/**
 * A small in-test directory until the auth module's H2 fixture is used everywhere: example.test with alice and
 * bob, {@code team@} (both), {@code fwd@} (forwards to carol@remote.test), user+tag sub-addressing.
 */
public final class TestDirectory implements Directory {

    private final Map<String, Account> accounts = Map.of(
            "alice@example.test", new Account("alice@example.test", Set.of("alice@example.test", "al@example.test"), false),
            "bob@example.test", new Account("bob@example.test", Set.of("bob@example.test"), false),
            "jörg@example.test", new Account("jörg@example.test", Set.of("jörg@example.test"), false));

    @Override
    public boolean isLocalDomain(String domain) {
        return domain.equalsIgnoreCase("example.test");
    }

    @Override
    public List<String> domains() {
        return List.of("example.test");
    }

    @Override
    public Optional<Account> account(String nameOrAddress) {
        String key = nameOrAddress.toLowerCase(Locale.ROOT);
        return accounts.values().stream().filter(a -> a.name().equals(key) || a.addresses().contains(key)).findFirst();
    }

    @Override
    public List<Account> accounts() {
        return List.copyOf(accounts.values());
    }

    @Override
    public Recipient resolve(String address) {
        String a = address.toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        if (at < 0 || !isLocalDomain(a.substring(at + 1))) {
            return new Recipient.NotLocal();
        }
        String local = a.substring(0, at);
        String detail = null;
        int plus = local.indexOf('+');
        if (plus > 0) {
            detail = local.substring(plus + 1);
            local = local.substring(0, plus);
        }
        if (local.equals("team")) {
            return new Recipient.Local(List.of("alice@example.test", "bob@example.test"), detail);
        }
        if (local.equals("fwd")) {
            return new Recipient.Forward(List.of("carol@remote.test"), List.of());
        }
        if (local.equals("postmaster")) {
            return new Recipient.Local(List.of("alice@example.test"), null);
        }
        String key = local + "@example.test";
        return account(key).<Recipient>map(acc -> new Recipient.Local(List.of(acc.name()), null))
                .orElse(new Recipient.Unknown());
    }

    @Override
    public boolean maySendAs(String account, String address) {
        return account(account).map(a -> a.addresses().contains(address.toLowerCase(Locale.ROOT))).orElse(false);
    }
}
