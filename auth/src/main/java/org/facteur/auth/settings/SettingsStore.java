package org.facteur.auth.settings;

import java.time.Duration;
import java.time.Instant;

/**
 * Each account's own settings and vacation auto-reply, and the memory of whom the auto-reply answered. The H2
 * directory implements it in its own database ({@code H2Directory.settings()}); every read goes to the database,
 * so a change made in the webmail applies to the next message.
 *
 * <p>Methods may throw {@link org.facteur.auth.DirectoryException} when the database cannot be read or written.
 */
public interface SettingsStore {

    /** The account's settings, {@link UserSettings#DEFAULT} when it never saved any. */
    UserSettings settings(String account);

    void save(String account, UserSettings settings);

    /** The account's auto-reply, {@link Vacation#OFF} when it never set one. */
    Vacation vacation(String account);

    /**
     * Saves the auto-reply and forgets whom the previous one answered: a new text goes to everyone once, as
     * Sieve implementations do when the script changes (RFC 5230 §4.2).
     */
    void saveVacation(String account, Vacation vacation);

    /**
     * Records that {@code account}'s auto-reply answers {@code sender} now, unless it answered them less than
     * {@code period} ago (RFC 5230 §4.2, RFC 3834 §2: at most one reply per sender per period). Atomic: two
     * messages delivered at once get one reply. Returns whether to reply.
     */
    boolean claimVacationReply(String account, String sender, Instant now, Duration period);

    /** Most senders one account keeps in its remote-image allow list. */
    int MAX_IMAGE_SENDERS = 1000;

    /** The senders (bare addresses, lower case, sorted) whose remote images the account's webmail always loads. */
    java.util.List<String> imageSenders(String account);

    /**
     * Adds a sender's address to the account's remote-image allow list (nothing when already there); refuses
     * with {@link IllegalArgumentException} a malformed address or a list already {@link #MAX_IMAGE_SENDERS} long.
     */
    void allowImagesFrom(String account, String sender);

    /** Removes a sender from the account's remote-image allow list. */
    void forgetImageSender(String account, String sender);
}
