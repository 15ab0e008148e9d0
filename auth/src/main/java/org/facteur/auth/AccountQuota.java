package org.facteur.auth;

import java.util.OptionalLong;

/**
 * An account's own quota, kept in the directory with the account: bytes of stored mail and number of messages.
 * An empty limit means the server's default ({@code storage.quotaBytes}, {@code storage.quotaMessages}); -1
 * means no limit.
 */
public record AccountQuota(OptionalLong bytes, OptionalLong messages) {

    /** The server's default for both. */
    public static final AccountQuota DEFAULT = new AccountQuota(OptionalLong.empty(), OptionalLong.empty());

    public AccountQuota {
        if (bytes.orElse(-1) < -1 || messages.orElse(-1) < -1) {
            throw new DirectoryException("a quota limit is -1 (none) or a size or count of at least 0");
        }
    }
}
