package org.facteur.filters;

import java.util.List;

/**
 * A filter's answer at one stage. {@link Action#CONTINUE} lets the next filter run; anything else ends the
 * stage. Scores and headers accumulate in the {@link FilterContext}, not here.
 *
 * @param code          SMTP reply code for REJECT (5xx) and TEMPFAIL (4xx); 0 otherwise
 * @param enhancedCode  RFC 3463 status such as {@code 5.7.1}
 * @param text          the human text of the reply, safe to show the client (never internal details)
 */
public record Verdict(Action action, int code, String enhancedCode, String text) {

    public enum Action {
        /** No objection; the next filter decides. */
        CONTINUE,
        /** Accept now and skip the remaining filters of this stage (an allowlist hit). */
        ACCEPT,
        /** Refuse with a 5xx. */
        REJECT,
        /** Refuse with a 4xx: the client should retry. */
        TEMPFAIL,
        /** End of data only: keep the message apart in the quarantine; the sender sees 250. */
        QUARANTINE,
        /** End of data only: deliver into the recipient's Junk folder. */
        JUNK,
        /** End of data only: accept and drop (virus with a known-forged sender). */
        DISCARD
    }

    public static final Verdict CONTINUE = new Verdict(Action.CONTINUE, 0, null, null);
    public static final Verdict ACCEPT = new Verdict(Action.ACCEPT, 0, null, null);

    public static Verdict reject(int code, String enhancedCode, String text) {
        return new Verdict(Action.REJECT, code, enhancedCode, text);
    }

    public static Verdict tempfail(int code, String enhancedCode, String text) {
        return new Verdict(Action.TEMPFAIL, code, enhancedCode, text);
    }

    public static Verdict of(Action action) {
        return new Verdict(action, 0, null, null);
    }

    public boolean isFinal() {
        return action != Action.CONTINUE;
    }

    /** Human-readable reply lines, for multi-line SMTP replies. */
    public List<String> lines() {
        return text == null ? List.of() : List.of(text.split("\n"));
    }
}
