package org.facteur.smtp.protocol;

/**
 * Recipient address forms that old MTAs interpreted as "forward this elsewhere" and that open relays were
 * abused through. Refused at RCPT before the directory or the relay filter sees them, whatever the client's
 * rights: they are never needed for real mail to our users.
 *
 * <ul>
 *   <li>{@code user%other@ours}: the "percent hack" (sendmail) - rewritten to {@code user@other};</li>
 *   <li>{@code a!b@ours}: UUCP bang paths;</li>
 *   <li>{@code "user@other"@ours}: a quoted {@code @} that a later hop may unquote;</li>
 *   <li>{@code user@[192.0.2.1]}: address literals, which bypass our domain list;</li>
 *   <li>{@code @a:user@b} source routes are <em>not</em> here: RFC 5321 §3.6.1 says to ignore the route, and the
 *       mailbox that remains is judged like any other, so no relay can result;</li>
 *   <li>{@code user@other@ours} does not parse at all ({@link PathParser}).</li>
 * </ul>
 */
public final class RelayTricks {

    private RelayTricks() {
    }

    /** The reason {@code address} is refused as a recipient, or null when its form is acceptable. */
    public static String refusal(MailAddress address) {
        String local = address.localPart();
        if (local.indexOf('%') >= 0) {
            return "Percent-hack addresses (user%domain@host) are not accepted";
        }
        if (local.indexOf('!') >= 0) {
            return "Bang-path addresses (host!user) are not accepted";
        }
        if (local.indexOf('@') >= 0) {
            return "A quoted @ in the local part is not accepted";
        }
        if (address.isAddressLiteral()) {
            return "Address literals (user@[IP]) are not accepted as recipients";
        }
        return null;
    }
}
