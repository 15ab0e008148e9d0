package org.facteur.auth.sasl;

import org.facteur.auth.DirectoryException;

/** What every exchange shares: its context, its end state, and cancellation counted as a failure. */
abstract class AbstractExchange implements SaslExchange {

    protected final SaslAuthenticator authenticator;
    protected final SaslContext context;
    private final String mechanism;
    private boolean finished;
    /** The user the client claimed so far, for throttling and logs. */
    protected String claimedUser;

    AbstractExchange(SaslAuthenticator authenticator, SaslContext context, String mechanism) {
        this.authenticator = authenticator;
        this.context = context;
        this.mechanism = mechanism;
    }

    @Override
    public final SaslStep evaluate(byte[] response) {
        if (finished) {
            return new SaslStep.Failure("The authentication exchange is over", false);
        }
        SaslStep step;
        try {
            step = step(response);
        } catch (DirectoryException e) {
            step = authenticator.unavailable(context, mechanism, e);
        }
        if (!(step instanceof SaslStep.Challenge)) {
            finished = true;
        }
        return step;
    }

    protected abstract SaslStep step(byte[] response);

    @Override
    public void abort() {
        if (!finished) {
            finished = true;
            authenticator.aborted(context, claimedUser, mechanism);
        }
    }

    protected String mechanism() {
        return mechanism;
    }

    /** A malformed client message: counted as a failure (a probe is a probe), answered with a clear reason. */
    protected SaslStep malformed(String why) {
        authenticator.failed(context, claimedUser, mechanism, "malformed response: " + why);
        return new SaslStep.Failure("Malformed " + mechanism + " response: " + why, false);
    }
}
