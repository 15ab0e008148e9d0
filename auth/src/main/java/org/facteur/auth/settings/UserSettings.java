package org.facteur.auth.settings;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user sets for their own account in the webmail: how they appear, what is added to their mail, and
 * how the filters treat mail for them. Kept beside the account in the directory database, read live by the
 * webmail, the filters and the SMTP server.
 *
 * @param displayName   the name shown in the From header of mail written in the webmail; empty for none
 * @param signature     plain text added to new messages after the "-- " line (RFC 3676 §4.3); empty for none
 * @param language      an IETF language tag ("fr", "en") that overrides the browser's; empty follows the browser
 * @param requiredScore the spam score at which mail for this account is spam; empty keeps the server's
 * @param spamPlacement where mail judged spam goes for this account
 */
public record UserSettings(String displayName, String signature, String language, Optional<Double> requiredScore,
                           SpamPlacement spamPlacement) {

    /** Longest display name kept (the column's size). */
    public static final int MAX_DISPLAY_NAME = 200;
    /** Longest signature kept (the column's size). */
    public static final int MAX_SIGNATURE = 4000;

    public static final UserSettings DEFAULT = new UserSettings("", "", "", Optional.empty(), SpamPlacement.DEFAULT);

    public UserSettings {
        displayName = displayName == null ? "" : displayName.strip();
        signature = signature == null ? "" : signature.stripTrailing();
        language = language == null ? "" : language.strip();
        requiredScore = requiredScore == null ? Optional.empty() : requiredScore;
        spamPlacement = spamPlacement == null ? SpamPlacement.DEFAULT : spamPlacement;
        if (displayName.length() > MAX_DISPLAY_NAME || displayName.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("the display name must be one line of at most " + MAX_DISPLAY_NAME + " characters");
        }
        if (signature.length() > MAX_SIGNATURE) {
            throw new IllegalArgumentException("the signature is limited to " + MAX_SIGNATURE + " characters");
        }
        if (requiredScore.isPresent() && !(requiredScore.get() > 0 && requiredScore.get() < 1000)) {
            throw new IllegalArgumentException("the spam threshold must be a number above 0 and below 1000");
        }
    }

    /** The language override, if any. */
    public Optional<Locale> locale() {
        return language.isEmpty() ? Optional.empty() : Optional.of(Locale.forLanguageTag(language));
    }

    /** Where spam for an account goes: as the server decides, the Junk folder, or the INBOX (tagged). */
    public enum SpamPlacement { DEFAULT, JUNK, INBOX }
}
