package org.facteur.smtp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.facteur.storage.AccountStore;
import org.facteur.storage.AppendResult;
import org.facteur.storage.MailStore;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.Quota;
import org.facteur.storage.QuotaExceededException;
import org.facteur.storage.SpecialUse;

/**
 * Files under a temp folder, one directory per account and mailbox; enough of MailStore for SMTP delivery
 * (deliver, quota, the Junk folder) until the storage module's maildir fixture is used.
 */
public final class TestMailStore implements MailStore {

    private final Path root;
    private final AtomicLong counter = new AtomicLong();
    private final Set<String> full = ConcurrentHashMap.newKeySet();
    private volatile boolean failing;

    public TestMailStore(Path root) {
        this.root = root;
    }

    /** Makes an account's quota full (deliveries throw QuotaExceededException). */
    public void fill(String account) {
        full.add(account);
    }

    /** Makes every delivery fail with an IOException. */
    public void failing(boolean value) {
        failing = value;
    }

    @Override
    public AccountStore account(String account) {
        return (AccountStore) Proxy.newProxyInstance(AccountStore.class.getClassLoader(), new Class<?>[] {AccountStore.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "account" -> account;
                    case "quota" -> full.contains(account) ? new Quota(101, 100, 1, -1) : new Quota(0, -1, 0, -1);
                    case "specialUse" -> args[0] == SpecialUse.JUNK
                            ? Optional.of(new MailboxInfo("Junk", Optional.of(SpecialUse.JUNK), true, false)) : Optional.empty();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Override
    public AppendResult deliver(String account, String mailbox, InputStream content, Set<String> flags) throws IOException {
        if (failing) {
            throw new IOException("disk on fire");
        }
        if (full.contains(account)) {
            throw new QuotaExceededException("full");
        }
        Path dir = Files.createDirectories(root.resolve(account).resolve(mailbox));
        Path file = dir.resolve(counter.incrementAndGet() + ".eml");
        Files.copy(content, file);
        return null;
    }

    /** The messages of a mailbox as text, oldest first. */
    public List<String> messages(String account, String mailbox) throws IOException {
        Path dir = root.resolve(account).resolve(mailbox);
        List<String> result = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return result;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted((a, b) -> Long.compare(n(a), n(b))).toList()) {
                result.add(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return result;
    }

    public List<String> inbox(String account) throws IOException {
        return messages(account, "INBOX");
    }

    private static long n(Path p) {
        return Long.parseLong(p.getFileName().toString().replace(".eml", ""));
    }

    @Override
    public void addReclassificationListener(ReclassificationListener listener) {
    }

    @Override
    public void close() {
    }
}
