package org.facteur.smtp.protocol;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** RCPT TO parameters: NOTIFY and ORCPT (RFC 3461 §4.1-4.2). */
public record RcptParameters(Set<Notify> notifications, String originalRecipient) {

    /** RFC 3461 §4.1. An empty set means the parameter was absent: failures and delays are reported. */
    public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }

    public static final RcptParameters NONE = new RcptParameters(Set.of(), null);

    public RcptParameters {
        notifications = Set.copyOf(notifications);
    }

    public boolean wantsFailure() {
        return notifications.isEmpty() || notifications.contains(Notify.FAILURE);
    }

    public boolean wantsDelay() {
        return notifications.isEmpty() || notifications.contains(Notify.DELAY);
    }

    public boolean wantsSuccess() {
        return notifications.contains(Notify.SUCCESS);
    }

    public static RcptParameters parse(Map<String, String> params) throws SmtpSyntaxException {
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        String orcpt = null;
        for (Map.Entry<String, String> p : params.entrySet()) {
            switch (p.getKey()) {
                case "NOTIFY" -> {
                    for (String item : MailParameters.require(p).toUpperCase(Locale.ROOT).split(",")) {
                        try {
                            notify.add(Notify.valueOf(item));
                        } catch (IllegalArgumentException e) {
                            throw new SmtpSyntaxException(501, "5.5.4", "NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY");
                        }
                    }
                    if (notify.contains(Notify.NEVER) && notify.size() > 1) {
                        throw new SmtpSyntaxException(501, "5.5.4", "NOTIFY=NEVER cannot be combined");
                    }
                }
                case "ORCPT" -> {
                    String value = MailParameters.require(p);
                    int semi = value.indexOf(';');
                    if (semi <= 0) {
                        throw new SmtpSyntaxException(501, "5.5.4", "ORCPT must be addr-type;xtext");
                    }
                    // Kept as "type;decoded" for the DSN's Original-Recipient field (RFC 3464 §2.3.1).
                    orcpt = value.substring(0, semi) + ";" + Xtext.decode(value.substring(semi + 1));
                }
                default -> throw new SmtpSyntaxException(555, "5.5.4", "Unsupported parameter " + p.getKey());
            }
        }
        return new RcptParameters(notify, orcpt);
    }
}
