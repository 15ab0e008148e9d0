package org.facteur.auth.sasl;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import org.facteur.auth.Account;
import org.facteur.auth.AuthConfig;
import org.facteur.auth.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a verified client certificate to an account, for SASL EXTERNAL: first the configured
 * {@link AuthConfig.CertificateRule}s (issuer DN and subject pattern, as sendmail's CERTIssuer/CERTSubject), then,
 * when enabled, the certificate's e-mail addresses (rfc822Name subject alternative names, then the subject's
 * emailAddress attribute). When the client names an authzid that one of the certificate's identities maps to,
 * that one wins; otherwise the first that maps does.
 */
public final class CertificateMapper {

    private static final Logger log = LoggerFactory.getLogger(CertificateMapper.class);
    private static final String EMAIL_OID = "1.2.840.113549.1.9.1";
    private static final Map<String, String> KEYWORDS = Map.of(EMAIL_OID, "EMAILADDRESS");

    private final AuthConfig.External config;
    private final Directory directory;

    public CertificateMapper(AuthConfig.External config, Directory directory) {
        this.config = config;
        this.directory = directory;
    }

    /** The subject as rules see it: RFC 2253, with the e-mail attribute written {@code EMAILADDRESS=}. */
    public static String subjectOf(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253, KEYWORDS);
    }

    /** The account this certificate authenticates, preferring the one {@code authzid} names. */
    public Optional<Account> map(X509Certificate certificate, String authzid) {
        List<Account> candidates = new ArrayList<>();
        for (String name : identities(certificate)) {
            directory.account(name).ifPresent(candidates::add);
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        if (authzid != null && !authzid.isEmpty()) {
            Optional<Account> wanted = directory.account(authzid);
            if (wanted.isPresent() && candidates.stream().anyMatch(a -> a.name().equals(wanted.get().name()))) {
                return wanted;
            }
        }
        return Optional.of(candidates.getFirst());
    }

    /** Account names or addresses the certificate stands for, in order of preference. */
    List<String> identities(X509Certificate certificate) {
        List<String> result = new ArrayList<>();
        String subject = subjectOf(certificate);
        for (AuthConfig.CertificateRule rule : config.rules()) {
            if (rule.account().isBlank()) {
                continue;
            }
            try {
                if (!rule.issuer().isBlank()
                        && !new X500Principal(rule.issuer()).equals(certificate.getIssuerX500Principal())) {
                    continue;
                }
                Matcher m = Pattern.compile(rule.subject(), Pattern.CASE_INSENSITIVE).matcher(subject);
                if (m.matches()) {
                    result.add(expand(rule.account(), m));
                }
            } catch (IllegalArgumentException e) {
                log.warn("certificate rule {} is invalid and skipped: {}", rule, e.getMessage());
            }
        }
        if (config.byCertificateEmail()) {
            result.addAll(emails(certificate));
        }
        return result;
    }

    /** rfc822Name SANs (RFC 5280 §4.2.1.6), then the deprecated subject emailAddress attribute. */
    static List<String> emails(X509Certificate certificate) {
        List<String> result = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (name.size() >= 2 && Integer.valueOf(1).equals(name.get(0)) && name.get(1) instanceof String s) {
                        result.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            log.warn("unreadable subject alternative names in {}: {}", certificate.getSubjectX500Principal(), e.getMessage());
        }
        try {
            for (Rdn rdn : new LdapName(subjectOf(certificate)).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("EMAILADDRESS") && rdn.getValue() instanceof String s) {
                    result.add(s);
                }
            }
        } catch (InvalidNameException e) {
            log.warn("unreadable subject {}: {}", certificate.getSubjectX500Principal(), e.getMessage());
        }
        return result;
    }

    /** Replaces {@code $1}..{@code $9} in the rule's account with the subject pattern's groups. */
    private static String expand(String template, Matcher m) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '$' && i + 1 < template.length() && Character.isDigit(template.charAt(i + 1))) {
                int group = template.charAt(++i) - '0';
                if (group <= m.groupCount() && m.group(group) != null) {
                    out.append(m.group(group));
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
