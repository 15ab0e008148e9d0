package org.facteur.filters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.facteur.config.DataSize;
import org.facteur.config.Default;
import org.facteur.config.Doc;

/**
 * The filtering chain's configuration ({@code filters:} in facteur.yaml). Read through a supplier at each
 * stage, so a reload applies to the next command.
 */
@Doc("The filtering chain: anti-relay, connection checks, SPF/DKIM/DMARC, rules, Bayes, attachments, anti-virus.")
public record FilterConfig(
        @Doc("Filters in the order they run. Names: relay, internal-only, sender-lists, dnsbl, fcrdns, helo, greylist, "
                + "tarpit, spf, dkim, dmarc, gtube, attachments, clamav, rules, bayes, verdict. A filter left out does not run.")
        @Default("[relay, internal-only, dnsbl, fcrdns, helo, greylist, tarpit, spf, dkim, dmarc, sender-lists, "
                + "attachments, clamav, gtube, rules, bayes, verdict]")
        List<String> order,

        @Doc("Score at or above which a message is spam (SpamAssassin's required_score).")
        @Default("5.0")
        double requiredScore,

        @Doc("Score at or above which a message is refused outright at end of data (5.7.1); 0 turns it off, so spam is never bounced.")
        @Default("0")
        double rejectScore,

        @Doc("What happens to spam: junk (deliver to the Junk folder), quarantine, reject, or tag (headers only, INBOX).")
        @Default("junk")
        SpamAction spamAction,

        @Doc("What applies when a filter fails or times out: tempfail (4xx: the client keeps the message and retries) "
                + "or accept (that filter is skipped and the others still judge).")
        @Default("tempfail")
        FallbackAction fallback,

        @Doc("Longest time one filter may take at one stage; past it the filter is abandoned and the fallback applies. "
                + "Keep it above clamav.timeout, 4 x dns.timeout (SPF) and tarpit.max-delay, which bound their own waits.")
        @Default("60s")
        Duration filterTimeout,

        @Doc("Host names of this server (as in HELO and the MX records); a client claiming one from outside is refused. "
                + "The server's own addresses and local domains count too.")
        List<String> localNames,

        @Doc("The authserv-id in Authentication-Results (RFC 8601 §2.5); empty means the first local name.")
        @Default("")
        String authservId,

        @Doc("Networks allowed to relay without authentication, and skipped by connection checks (CIDR).")
        @Default("[127.0.0.0/8, ::1/128]")
        List<String> trustedNetworks,

        @Doc("Clients and senders never checked by DNSBL, HELO, SPF, greylisting and content scoring.")
        Exceptions exceptions,

        @Doc("DNS used by the blocklist, FCrDNS, HELO, SPF, DKIM and DMARC checks.")
        Dns dns,

        @Doc("DNS blocklists and allowlists, checked once per connection.")
        Dnsbl dnsbl,

        @Doc("Forward-confirmed reverse DNS (PTR name that resolves back to the client address).")
        Fcrdns fcrdns,

        @Doc("HELO/EHLO name checks.")
        Helo helo,

        @Doc("Sender Policy Framework (RFC 7208).")
        Spf spf,

        @Doc("DKIM signature verification (RFC 6376).")
        Dkim dkim,

        @Doc("DMARC policy evaluation (RFC 7489).")
        Dmarc dmarc,

        @Doc("Slows down clients whose score rises, before they get an answer.")
        Tarpit tarpit,

        @Doc("Greylisting of unknown (client network, sender, recipient) triplets.")
        Greylist greylist,

        @Doc("Addresses (staff lists, say) that accept mail only from senders of their own domain or authenticated users.")
        List<String> internalOnly,

        @Doc("Attachment policy: dangerous content blocked without signatures.")
        Attachments attachments,

        @Doc("Virus scanning through clamd's INSTREAM protocol.")
        Clamav clamav,

        @Doc("Where held messages are kept.")
        Quarantine quarantine,

        @Doc("Scored rules, SpamAssassin style.")
        Rules rules,

        @Doc("The Bayesian classifier.")
        Bayes bayes,

        @Doc("Messages larger than this are not content-scanned by rules and Bayes (attachments and clamd still run).")
        @Default("10MB")
        DataSize maxScanSize,

        @Doc("Per-domain or per-account changes (the first whose match equals the recipient or its domain applies).")
        List<Override> overrides) {

    public FilterConfig {
        order = List.copyOf(order);
        localNames = List.copyOf(localNames);
        trustedNetworks = List.copyOf(trustedNetworks);
        internalOnly = List.copyOf(internalOnly);
        overrides = List.copyOf(overrides);
        if (filterTimeout.isNegative() || filterTimeout.isZero()) {
            throw new IllegalArgumentException("filter-timeout must be positive, not " + filterTimeout);
        }
        for (String network : trustedNetworks) {
            Cidr.parse(network);
        }
    }

    /** The authserv-id we write (RFC 8601 §2.5): {@code authservId}, else the first local name. */
    public String effectiveAuthservId() {
        return !authservId.isBlank() ? authservId : localNames.isEmpty() ? "localhost" : localNames.get(0);
    }

    public enum SpamAction { JUNK, QUARANTINE, REJECT, TAG }

    public enum FallbackAction { TEMPFAIL, ACCEPT }

    public enum AttachmentAction { REJECT, STRIP, QUARANTINE }

    public enum VirusAction { REJECT, QUARANTINE, DISCARD }

    /** The verdict the chain applies when a filter fails or times out. */
    public Verdict fallbackVerdict() {
        return fallback == FallbackAction.ACCEPT ? Verdict.CONTINUE : FilterChain.DEFAULT_FALLBACK;
    }

    public List<Cidr> trustedCidrs() {
        return trustedNetworks.stream().map(Cidr::parse).toList();
    }

    /** The override for a recipient address, by exact address first, then by its domain. */
    public Optional<Override> overrideFor(String recipient) {
        if (recipient == null) {
            return Optional.empty();
        }
        String address = recipient.toLowerCase(Locale.ROOT);
        String domain = address.substring(address.lastIndexOf('@') + 1);
        return overrides.stream().filter(o -> o.match().equalsIgnoreCase(address)).findFirst()
                .or(() -> overrides.stream().filter(o -> o.match().equalsIgnoreCase(domain)).findFirst());
    }

    public record Exceptions(
            @Doc("Client networks (CIDR) exempt from connection and content checks.") List<String> networks,
            @Doc("Sender domains (MAIL FROM) exempt from content scoring; use with SPF so it cannot be forged.")
            List<String> senderDomains,
            @Doc("Client host names (FCrDNS-confirmed; a leading dot matches sub-domains) exempt from DNSBL and HELO checks.")
            List<String> clientDomains) {
        public Exceptions {
            networks = List.copyOf(networks);
            senderDomains = List.copyOf(senderDomains);
            clientDomains = List.copyOf(clientDomains);
            for (String network : networks) {
                Cidr.parse(network);
            }
        }
    }

    public record Dns(
            @Doc("Resolver as address:port (say 127.0.0.1:53); empty uses the system's resolvers.") @Default("") String resolver,
            @Doc("Time allowed for one DNS query.") @Default("3s") Duration timeout,
            @Doc("How long answers are cached.") @Default("10m") Duration cacheTime) {
    }

    public record Dnsbl(
            @Doc("Check the zones below.") @Default("true") boolean enabled,
            @Doc("Zones to query: name, weight (negative for an allowlist), the return codes that count.")
            List<DnsZone> zones) {
        public Dnsbl {
            zones = List.copyOf(zones);
        }
    }

    public record DnsZone(
            @Doc("Zone name, such as zen.spamhaus.org or list.dnswl.org.") @Default("") String zone,
            @Doc("Points added when listed; negative for an allowlist (DNSWL).") @Default("3.0") double weight,
            @Doc("Answers (127.0.0.x) that count; empty means any answer in 127.0.0.0/8.") List<String> returnCodes,
            @Doc("Refuse the connection at RCPT (554 5.7.1) when listed, instead of scoring.") @Default("false") boolean reject) {
        public DnsZone {
            returnCodes = List.copyOf(returnCodes);
        }
    }

    public record Fcrdns(
            @Doc("Score clients without forward-confirmed reverse DNS.") @Default("true") boolean enabled,
            @Doc("Points when the client has no PTR or it does not resolve back.") @Default("1.0") double points) {
    }

    public record Helo(
            @Doc("Check the HELO/EHLO name.") @Default("true") boolean enabled,
            @Doc("Refuse (5.7.1) an outside client that claims our host name, one of our domains or our address.")
            @Default("true") boolean rejectOurName,
            @Doc("Points for a name that is not a valid domain or address literal (RFC 5321 §4.1.1.1).") @Default("2.0") double invalidPoints,
            @Doc("Points for a bare IP address instead of a name or [literal].") @Default("1.5") double bareIpPoints,
            @Doc("Points for a name that does not resolve.") @Default("1.0") double unresolvablePoints) {
    }

    public record Spf(
            @Doc("Check SPF for MAIL FROM (or HELO for the null sender).") @Default("true") boolean enabled,
            @Doc("Refuse at MAIL FROM when SPF fails (550 5.7.23); otherwise it only scores.") @Default("false") boolean rejectOnFail,
            @Doc("Points for fail.") @Default("3.0") double failPoints,
            @Doc("Points for softfail.") @Default("1.0") double softfailPoints,
            @Doc("Points for pass (usually zero or negative).") @Default("0.0") double passPoints) {
    }

    public record Dkim(
            @Doc("Verify DKIM signatures.") @Default("true") boolean enabled,
            @Doc("Points when a signature is present but none verifies.") @Default("1.0") double failPoints,
            @Doc("Points when at least one signature verifies.") @Default("-0.1") double passPoints,
            @Doc("Signatures checked at most per message.") @Default("5") int maxSignatures) {
    }

    public record Dmarc(
            @Doc("Evaluate DMARC for the From domain.") @Default("true") boolean enabled,
            @Doc("Apply the domain's policy: p=reject refuses (550 5.7.1), p=quarantine sends to Junk.") @Default("true") boolean enforce,
            @Doc("Points when DMARC fails and the policy is not applied (p=none, pct, enforce off).") @Default("2.0") double failPoints) {
    }

    public record Tarpit(
            @Doc("Delay answers to clients whose score is at or above the threshold.") @Default("true") boolean enabled,
            @Doc("Score from which the delay starts.") @Default("3.0") double threshold,
            @Doc("Delay added per point above the threshold.") @Default("2s") Duration delayPerPoint,
            @Doc("Longest delay per answer (keep it under the clients' 5 minute timeout, RFC 5321 §4.5.3.2).") @Default("20s") Duration maxDelay) {
    }

    public record Greylist(
            @Doc("Greylist unknown triplets (off by default: it delays first mail by minutes).") @Default("false") boolean enabled,
            @Doc("How long a new triplet is refused (451 4.7.1).") @Default("5m") Duration delay,
            @Doc("How long a client has to retry before the triplet is forgotten.") @Default("2d") Duration retryWindow,
            @Doc("How long a passed triplet stays allowed without a new message.") @Default("35d") Duration expiry,
            @Doc("After this many passed triplets, the client network and sender domain pair is allowed without waiting.")
            @Default("3") int autoAllowlistAfter,
            @Doc("IPv4 prefix length grouping retries from a sender's pool of servers.") @Default("24") int ipv4Prefix,
            @Doc("IPv6 prefix length.") @Default("64") int ipv6Prefix) {
    }

    public record Attachments(
            @Doc("Check attachments.") @Default("true") boolean enabled,
            @Doc("What to do with a message holding dangerous content: reject, strip (replace by a notice), quarantine.")
            @Default("reject") AttachmentAction action,
            @Doc("File name extensions refused (also inside archives and as the last of a double extension).")
            @Default("[exe, com, scr, pif, bat, cmd, vbs, vbe, js, jse, wsf, wsh, wsc, hta, cpl, msi, msp, msc, jar, ps1, "
                    + "psm1, lnk, reg, inf, scf, sct, vb, iso, img, vhd, vhdx, appx, msix, dll, sys, gadget, application, elf, sh, apk]")
            List<String> blockedExtensions,
            @Doc("Content types refused.")
            @Default("[application/x-msdownload, application/x-dosexec, application/x-msdos-program, application/x-ms-installer, "
                    + "application/hta, application/x-sh, application/x-executable, application/java-archive, application/x-ms-shortcut]")
            List<String> blockedTypes,
            @Doc("Refuse executables recognised by their first bytes (MZ, ELF, Mach-O, #!), whatever their name.") @Default("true") boolean checkMagic,
            @Doc("Refuse Office documents holding macros (vbaProject.bin, OLE2 VBA streams).") @Default("true") boolean blockMacros,
            @Doc("Refuse HTML attachments holding scripts.") @Default("true") boolean blockHtmlScripts,
            @Doc("Refuse encrypted archives (their content cannot be checked).") @Default("false") boolean blockEncryptedArchives,
            @Doc("Nesting depth of archives looked into; deeper is refused.") @Default("3") int archiveMaxDepth,
            @Doc("Entries per archive; more is refused.") @Default("1000") int archiveMaxEntries,
            @Doc("Total uncompressed bytes read from one attachment's archives; more is refused (zip bomb).") @Default("200MB") DataSize archiveMaxSize,
            @Doc("Highest compression ratio of an archive entry; more is refused (zip bomb).") @Default("100") int archiveMaxRatio) {
        public Attachments {
            blockedExtensions = List.copyOf(blockedExtensions);
            blockedTypes = List.copyOf(blockedTypes);
        }
    }

    public record Clamav(
            @Doc("Scan messages with clamd.") @Default("false") boolean enabled,
            @Doc("clamd's socket: a Unix socket path, or host:port for TCP.") @Default("/run/clamav/clamd.ctl") String address,
            @Doc("Time allowed for one scan.") @Default("30s") Duration timeout,
            @Doc("When clamd is down or times out, accept the message unscanned (true) or apply the fallback (false).")
            @Default("false") boolean optional,
            @Doc("Largest message streamed to clamd (keep it under clamd's StreamMaxLength); larger is not scanned.") @Default("25MB") DataSize maxSize,
            @Doc("What to do with an infected message: reject, quarantine or discard.") @Default("reject") VirusAction action) {
    }

    public record Quarantine(
            @Doc("Folder of held messages; relative to the data folder.") @Default("quarantine") Path directory) {
    }

    public record Rules(
            @Doc("Run the scored rules.") @Default("true") boolean enabled,
            @Doc("Load the built-in rule set shipped with Facteur.") @Default("true") boolean builtIn,
            @Doc("Extra rules files (SpamAssassin syntax subset); a rule named as a built-in one replaces it.") List<Path> files,
            @Doc("Characters of decoded body text the body rules see.") @Default("200000") int maxBodyChars) {
        public Rules {
            files = List.copyOf(files);
        }
    }

    public record Bayes(
            @Doc("Run the Bayesian classifier.") @Default("true") boolean enabled,
            @Doc("Spam messages trained before the classifier is used.") @Default("20") int minSpam,
            @Doc("Ham messages trained before the classifier is used.") @Default("20") int minHam,
            @Doc("Distinct tokens taken from one message.") @Default("2000") int maxTokens,
            @Doc("Tokens whose probability is closer than this to 0.5 are ignored (bogofilter's min_dev).") @Default("0.1") double minDev,
            @Doc("Robinson's s: the strength of the prior for rare tokens.") @Default("0.45") double robinsonS,
            @Doc("Robinson's x: the probability assumed for an unseen token.") @Default("0.5") double robinsonX,
            @Doc("Points by spam probability: 'probability:points' bands, the highest band not above the probability applies.")
            @Default("[0.0:-1.5, 0.02:-0.5, 0.1:0.0, 0.5:1.5, 0.8:3.0, 0.95:5.0, 0.99:6.0, 0.999:7.0]")
            List<String> points,
            @Doc("Strongest tokens shown in X-Spam-Report.") @Default("6") int reportTokens) {
        public Bayes {
            points = List.copyOf(points);
        }
    }

    public record Override(
            @Doc("A recipient address or domain.") @Default("") String match,
            @Doc("Required score for this recipient.") Optional<Double> requiredScore,
            @Doc("Spam action for this recipient.") Optional<SpamAction> spamAction,
            @Doc("Filters skipped for this recipient's mail (end-of-data filters only).") List<String> disabled) {
        public Override {
            disabled = List.copyOf(disabled);
        }
    }
}
