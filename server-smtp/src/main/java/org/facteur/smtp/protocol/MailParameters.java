package org.facteur.smtp.protocol;

import java.util.Locale;
import java.util.Map;

/**
 * The ESMTP parameters of MAIL FROM that Facteur implements: SIZE (RFC 1870), BODY (RFC 6152, RFC 3030),
 * SMTPUTF8 (RFC 6531), RET and ENVID (RFC 3461 §4.3-4.4) and AUTH (RFC 4954 §5). Anything else is refused
 * with 555 (RFC 5321 §4.1.1.11).
 */
public record MailParameters(long declaredSize, Body body, boolean smtpUtf8, Ret ret, String envelopeId) {

    public enum Body { SEVEN_BIT, EIGHT_BIT_MIME, BINARY_MIME }

    /** RFC 3461 §4.3: return the full message or only its headers in a DSN; null when not given. */
    public enum Ret { FULL, HDRS }

    public static final MailParameters NONE = new MailParameters(-1, Body.SEVEN_BIT, false, null, null);

    public static MailParameters parse(Map<String, String> params) throws SmtpSyntaxException {
        long size = -1;
        Body body = Body.SEVEN_BIT;
        boolean utf8 = false;
        Ret ret = null;
        String envid = null;
        for (Map.Entry<String, String> p : params.entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "SIZE" -> {
                    try {
                        size = Long.parseLong(require(p));
                    } catch (NumberFormatException e) {
                        throw new SmtpSyntaxException(501, "5.5.4", "SIZE needs a number of octets");
                    }
                    if (size < 0) {
                        throw new SmtpSyntaxException(501, "5.5.4", "SIZE needs a number of octets");
                    }
                }
                case "BODY" -> body = switch (require(p).toUpperCase(Locale.ROOT)) {
                    case "7BIT" -> Body.SEVEN_BIT;
                    case "8BITMIME" -> Body.EIGHT_BIT_MIME;
                    case "BINARYMIME" -> Body.BINARY_MIME;
                    default -> throw new SmtpSyntaxException(501, "5.5.4", "BODY must be 7BIT, 8BITMIME or BINARYMIME");
                };
                case "SMTPUTF8" -> {
                    if (value != null) {
                        throw new SmtpSyntaxException(501, "5.5.4", "SMTPUTF8 takes no value");
                    }
                    utf8 = true;
                }
                case "RET" -> ret = switch (require(p).toUpperCase(Locale.ROOT)) {
                    case "FULL" -> Ret.FULL;
                    case "HDRS" -> Ret.HDRS;
                    default -> throw new SmtpSyntaxException(501, "5.5.4", "RET must be FULL or HDRS");
                };
                case "ENVID" -> {
                    envid = Xtext.decode(require(p));
                    if (envid.length() > 100) {
                        throw new SmtpSyntaxException(501, "5.5.4", "ENVID longer than 100 characters");
                    }
                }
                case "AUTH" -> {
                    // RFC 4954 §5: the original submitter; we do not trust it from others and ignore it.
                    require(p);
                }
                default -> throw new SmtpSyntaxException(555, "5.5.4", "Unsupported parameter " + p.getKey());
            }
        }
        return new MailParameters(size, body, utf8, ret, envid);
    }

    static String require(Map.Entry<String, String> p) throws SmtpSyntaxException {
        if (p.getValue() == null) {
            throw new SmtpSyntaxException(501, "5.5.4", p.getKey() + " needs a value");
        }
        return p.getValue();
    }
}
