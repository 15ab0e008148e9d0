package org.facteur.auth.totp;

import java.util.Optional;

/**
 * Where each account's TOTP secret lives (RFC 6238): enrolled first, switched on only once the user proved
 * with a code that their authenticator app has it, with the last time step used so that a code works once.
 */
public interface TotpStore {

    /** @param lastStep the time step of the last code accepted, -1 for none */
    record Enrolment(String secretBase32, boolean enabled, long lastStep) {
    }

    Optional<Enrolment> totp(String account);

    /** Keeps a new secret, not yet switched on (replacing one not yet confirmed). Refused when one is on. */
    void enrol(String account, String secretBase32);

    /** Switches the enrolled secret on, recording the confirming code's step as used. False when none is pending. */
    boolean confirm(String account, long step);

    /** Forgets the account's secret: the second factor is off. */
    void disable(String account);

    /**
     * Records that the code of {@code step} was accepted: false, and nothing changes, when that step or a later
     * one was used already (RFC 6238 §5.2: the verifier must not accept the second attempt of the same OTP).
     */
    boolean useStep(String account, long step);
}
