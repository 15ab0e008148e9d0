package org.facteur.smtp.outbound;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.facteur.smtp.SmtpConfig;
import org.facteur.smtp.protocol.DotStuffingOutputStream;
import org.facteur.smtp.protocol.Reply;
import org.facteur.smtp.protocol.Xtext;
import org.facteur.smtp.queue.DeliveryAgent;
import org.facteur.smtp.queue.QueueEntry;
import org.facteur.smtp.queue.QueueRecipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers queued mail to other servers: the domain's MX hosts in preference order (or the smarthost), one
 * connection for all recipients of the destination, opportunistic STARTTLS (RFC 3207, RFC 7435: encrypt when
 * offered, without demanding a trusted certificate), PIPELINING (RFC 2920) when offered, DSN parameters
 * passed on when the next hop supports DSN (RFC 3461 §4).
 */
public final class RemoteDelivery implements DeliveryAgent {

    private static final Logger log = LoggerFactory.getLogger(RemoteDelivery.class);

    private final Supplier<SmtpConfig> config;
    private final Supplier<String> hostname;
    private final SSLContext opportunistic;
    private final SSLContext smarthostTls;
    private volatile MxResolver resolver;
    private volatile List<String> resolverServers;

    /** @param smarthostTls verifies the smarthost's certificate (the system trust store in production) */
    public RemoteDelivery(Supplier<SmtpConfig> config, Supplier<String> hostname, SSLContext smarthostTls) {
        this.config = config;
        this.hostname = hostname;
        this.opportunistic = trustAll();
        this.smarthostTls = smarthostTls;
    }

    private MxResolver resolver(SmtpConfig cfg) throws IOException {
        List<String> servers = cfg.queue().dnsServers();
        if (resolver == null || !servers.equals(resolverServers)) {
            resolver = new MxResolver(servers, cfg.queue().connectTimeout());
            resolverServers = servers;
        }
        return resolver;
    }

    @Override
    public List<QueueRecipient> deliver(QueueEntry entry, Path message, List<QueueRecipient> group) {
        SmtpConfig cfg = config.get();
        List<Target> targets;
        try {
            targets = targets(cfg, group.get(0).domain());
        } catch (DeliveryException e) {
            return all(group, e.permanent(), e.status(), e.getMessage(), e.remoteMta());
        } catch (IOException e) {
            return all(group, false, "4.4.3", "DNS resolver unusable: " + e.getMessage(), null);
        }
        String lastError = "no host could be reached";
        String lastStatus = "4.4.1";
        String lastHost = null;
        for (Target target : targets) {
            try (SmtpClient client = SmtpClient.connect(target.address(), target.name(), cfg.queue().connectTimeout(),
                    cfg.queue().commandTimeout(), target.implicitTls() ? smarthostTls : null)) {
                List<QueueRecipient> results = transaction(cfg, client, target, entry, message, group);
                if (results != null) {
                    return results;
                }
                lastError = "temporary failure at " + target.name();
            } catch (DeliveryException e) {
                if (e.permanent()) {
                    return all(group, true, e.status(), e.getMessage(), e.remoteMta());
                }
                lastError = e.getMessage();
                lastStatus = e.status();
                lastHost = e.remoteMta();
            } catch (IOException e) {
                log.info("outbound: {} ({}): {}", target.name(), target.address(), e.toString());
                lastError = "connection to " + target.name() + " failed: " + e.getMessage();
                lastHost = target.name();
            }
        }
        return all(group, false, lastStatus, lastError, lastHost);
    }

    private record Target(String name, InetSocketAddress address, boolean smarthost, boolean implicitTls) {
    }

    private List<Target> targets(SmtpConfig cfg, String domain) throws DeliveryException, IOException {
        List<Target> targets = new ArrayList<>();
        SmtpConfig.Smarthost smarthost = cfg.smarthost();
        if (smarthost.enabled()) {
            for (InetAddress a : InetAddress.getAllByName(smarthost.host())) {
                targets.add(new Target(smarthost.host(), new InetSocketAddress(a, smarthost.port()), true,
                        smarthost.tls() == SmtpConfig.SmarthostTls.IMPLICIT));
            }
            return targets;
        }
        for (MxResolver.MxHost host : resolver(cfg).resolve(domain)) {
            for (InetAddress a : host.addresses()) {
                targets.add(new Target(host.name(), new InetSocketAddress(a, cfg.queue().remotePort()), false, false));
            }
        }
        return targets;
    }

    /**
     * One SMTP transaction. Returns the per-recipient outcome, or null when this host failed temporarily as a
     * whole and the next one should be tried.
     */
    private List<QueueRecipient> transaction(SmtpConfig cfg, SmtpClient client, Target target, QueueEntry entry,
                                             Path message, List<QueueRecipient> group) throws IOException, DeliveryException {
        String host = target.name();
        Reply greeting = client.read();
        if (greeting.code() != 220) {
            log.info("outbound: {} greets with {}", host, greeting.oneLine());
            return null; // RFC 5321 §5.1: try the next MX
        }
        String me = hostname.get();
        Reply ehlo = client.ehlo(me);
        if (ehlo.code() != 250) {
            return null;
        }
        if (client.supports("STARTTLS") && (!target.smarthost() || cfg.smarthost().tls() == SmtpConfig.SmarthostTls.STARTTLS)) {
            Reply go = client.command("STARTTLS");
            if (go.code() == 220) {
                client.startTls(target.smarthost() ? smarthostTls : opportunistic, target.smarthost());
                client.ehlo(me);
            }
        }
        if (target.smarthost()) {
            if (cfg.smarthost().tls() == SmtpConfig.SmarthostTls.STARTTLS && !client.isTls()) {
                throw new DeliveryException(false, "4.7.0", "Smarthost " + host + " did not offer STARTTLS", host);
            }
            if (!cfg.smarthost().username().isEmpty()) {
                String token = Base64.getEncoder().encodeToString(("\0" + cfg.smarthost().username() + "\0"
                        + cfg.smarthost().password()).getBytes(StandardCharsets.UTF_8));
                Reply auth = client.command("AUTH PLAIN " + token);
                if (auth.code() != 235) {
                    throw new DeliveryException(false, "4.7.0", "Smarthost " + host + " refused our login: " + auth.oneLine(), host);
                }
            }
        }
        if (entry.smtpUtf8() && !client.supports("SMTPUTF8")) {
            // RFC 6531 §3.2: without SMTPUTF8 at the next hop the message cannot be delivered.
            throw new DeliveryException(true, "5.6.7", host + " does not support SMTPUTF8, which this message needs", host);
        }
        boolean dsn = client.supports("DSN");
        StringBuilder mail = new StringBuilder("MAIL FROM:<" + entry.sender() + ">");
        if (client.supports("SIZE")) {
            mail.append(" SIZE=").append(Files.size(message));
        }
        if (entry.eightBit() && client.supports("8BITMIME")) {
            mail.append(" BODY=8BITMIME");
        }
        if (entry.smtpUtf8()) {
            mail.append(" SMTPUTF8");
        }
        if (dsn && entry.ret() != null) {
            mail.append(" RET=").append(entry.ret().name());
        }
        if (dsn && entry.envelopeId() != null) {
            mail.append(" ENVID=").append(Xtext.encode(entry.envelopeId()));
        }
        List<String> rcpts = new ArrayList<>();
        for (QueueRecipient r : group) {
            StringBuilder rcpt = new StringBuilder("RCPT TO:<" + r.address() + ">");
            if (dsn && !r.notifications().isEmpty()) {
                rcpt.append(" NOTIFY=").append(String.join(",", r.notifications().stream().map(Enum::name).sorted().toList()));
            }
            if (dsn && r.originalRecipient() != null) {
                int semi = r.originalRecipient().indexOf(';');
                rcpt.append(" ORCPT=").append(r.originalRecipient(), 0, semi + 1)
                        .append(Xtext.encode(r.originalRecipient().substring(semi + 1)));
            }
            rcpts.add(rcpt.toString());
        }
        boolean pipelining = client.supports("PIPELINING");
        Reply mailReply;
        List<Reply> rcptReplies = new ArrayList<>();
        Reply dataReply = null;
        if (pipelining) {
            // RFC 2920 §3.1: MAIL, RCPTs and DATA in one go; then the replies in order.
            client.send(mail.toString());
            for (String r : rcpts) {
                client.send(r);
            }
            client.send("DATA");
            mailReply = client.read();
            for (int i = 0; i < rcpts.size(); i++) {
                rcptReplies.add(client.read());
            }
            dataReply = client.read();
        } else {
            mailReply = client.command(mail.toString());
            if (mailReply.isPositive()) {
                for (String r : rcpts) {
                    rcptReplies.add(client.command(r));
                }
            }
        }
        if (!mailReply.isPositive()) {
            quit(client);
            if (mailReply.isTransient()) {
                throw new DeliveryException(false, status(mailReply, "4.0.0"), mailReply.oneLine(), host);
            }
            return all(group, true, status(mailReply, "5.0.0"), mailReply.oneLine(), host);
        }
        List<QueueRecipient> results = new ArrayList<>();
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            Reply r = rcptReplies.get(i);
            if (r.isPositive()) {
                accepted.add(i);
                results.add(group.get(i));
            } else {
                results.add(outcome(group.get(i), r, host));
            }
        }
        if (accepted.isEmpty()) {
            quit(client);
            return results;
        }
        if (!pipelining) {
            dataReply = client.command("DATA");
        }
        if (dataReply.code() != 354) {
            quit(client);
            for (int i : accepted) {
                results.set(i, outcome(group.get(i), dataReply, host));
            }
            return results;
        }
        DotStuffingOutputStream data = new DotStuffingOutputStream(client.output());
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message))) {
            in.transferTo(data);
        }
        data.finish();
        Reply end = client.read();
        quit(client);
        for (int i : accepted) {
            QueueRecipient done = group.get(i).with(QueueRecipient.State.DELIVERED, status(end, "2.0.0"), end.oneLine(), host);
            // RFC 3461 §5.2.2: a next hop that offers DSN now owns the success notice; one that does not leaves
            // us to send a "relayed" one (the queue does, seeing SUCCESS still asked)
            results.set(i, end.isPositive() ? (dsn ? done.handedOver() : done) : outcome(group.get(i), end, host));
        }
        log.info("outbound: {} recipient(s) at {}{}: {}", accepted.size(), host, client.isTls() ? " (TLS)" : "", end.oneLine());
        return results;
    }

    private static QueueRecipient outcome(QueueRecipient r, Reply reply, String host) {
        QueueRecipient.State state = reply.isPermanent() ? QueueRecipient.State.FAILED : QueueRecipient.State.PENDING;
        return r.with(state, status(reply, reply.isPermanent() ? "5.0.0" : "4.0.0"), reply.oneLine(), host);
    }

    private static String status(Reply reply, String fallback) {
        return reply.enhancedCode() != null ? reply.enhancedCode() : fallback;
    }

    private static void quit(SmtpClient client) {
        try {
            client.command("QUIT");
        } catch (IOException ignored) {
            // the transaction is over either way
        }
    }

    private static List<QueueRecipient> all(List<QueueRecipient> group, boolean permanent, String status, String why, String host) {
        QueueRecipient.State state = permanent ? QueueRecipient.State.FAILED : QueueRecipient.State.PENDING;
        return group.stream().map(r -> r.with(state, status, why, host)).toList();
    }

    /** RFC 7435 opportunistic TLS: any certificate, since a failed check would only mean falling back to cleartext. */
    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
