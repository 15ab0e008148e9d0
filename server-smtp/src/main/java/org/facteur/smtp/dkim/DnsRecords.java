package org.facteur.smtp.dkim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS records a domain needs to receive and send mail through this server, as zone-file lines for
 * {@code facteur dns-records DOMAIN}: MX (RFC 5321 §5), SPF (RFC 7208), DKIM (RFC 6376 §3.6.1) and a
 * DMARC policy to start with (RFC 7489).
 */
public final class DnsRecords {

    private DnsRecords() {
    }

    public static List<String> forDomain(String domain, String mailHost, String selector, DkimKeys keys) throws IOException {
        String d = domain.endsWith(".") ? domain : domain + ".";
        String host = mailHost.endsWith(".") ? mailHost : mailHost + ".";
        List<String> lines = new ArrayList<>();
        lines.add("; Mail for " + domain + " (publish these in the zone, then check with dig)");
        lines.add(d + "\t3600\tIN\tMX\t10 " + host);
        lines.add(d + "\t3600\tIN\tTXT\t\"v=spf1 mx -all\"");
        String dkim = "v=DKIM1; k=rsa; p=" + keys.publicKeyBase64(domain, selector);
        lines.add(selector + "._domainkey." + d + "\t3600\tIN\tTXT\t" + quoted(dkim));
        lines.add("_dmarc." + d + "\t3600\tIN\tTXT\t\"v=DMARC1; p=quarantine; adkim=s; aspf=s; rua=mailto:postmaster@" + domain + "\"");
        return lines;
    }

    /** A TXT value as 255-octet character-strings (RFC 1035 §3.3.14); a 2048-bit key needs two. */
    static String quoted(String value) {
        StringBuilder b = new StringBuilder("( ");
        for (int i = 0; i < value.length(); i += 255) {
            b.append('"').append(value, i, Math.min(value.length(), i + 255)).append("\" ");
        }
        return b.append(')').toString();
    }
}
