package org.facteur.smtp.outbound;

/** A delivery attempt that failed for a whole destination, permanently or for now, with its RFC 3463 status. */
public class DeliveryException extends Exception {

    private final boolean permanent;
    private final String status;
    private final String remoteMta;

    public DeliveryException(boolean permanent, String status, String message, String remoteMta) {
        super(message);
        this.permanent = permanent;
        this.status = status;
        this.remoteMta = remoteMta;
    }

    public boolean permanent() {
        return permanent;
    }

    public String status() {
        return status;
    }

    public String remoteMta() {
        return remoteMta;
    }
}
