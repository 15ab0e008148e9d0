package org.facteur.storage;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * An account's own quota limits, overriding {@link StorageConfig#quotaBytes()} and
 * {@link StorageConfig#quotaMessages()}: an empty field means the configured default, -1 means no limit.
 */
public record QuotaLimits(OptionalLong bytes, OptionalLong messages) {

    /** The configured default for both. */
    public static final QuotaLimits DEFAULT = new QuotaLimits(OptionalLong.empty(), OptionalLong.empty());

    public QuotaLimits {
        if (bytes.orElse(-1) < -1 || messages.orElse(-1) < -1) {
            throw new IllegalArgumentException("a quota limit is -1 (none) or at least 0");
        }
    }

    /** This account's byte limit, or {@code defaultLimit}. */
    public long bytesOr(long defaultLimit) {
        return bytes.orElse(defaultLimit);
    }

    /** This account's message limit, or {@code defaultLimit}. */
    public long messagesOr(long defaultLimit) {
        return messages.orElse(defaultLimit);
    }

    /**
     * Where accounts' own limits are kept (the directory, wired by the application). Asked at every check, so
     * that a change made by {@code facteur user quota} applies at once.
     */
    @FunctionalInterface
    public interface Source {
        Source DEFAULTS = account -> DEFAULT;

        QuotaLimits of(String account) throws IOException;
    }
}
