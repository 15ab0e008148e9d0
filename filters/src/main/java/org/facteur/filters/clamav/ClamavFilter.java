package org.facteur.filters.clamav;

import java.io.IOException;
import java.io.InputStream;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.Verdict;
import org.facteur.filters.quarantine.Quarantine;
import org.facteur.filters.policy.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virus scanning through clamd (off by default). The raw message is streamed: clamd decodes MIME itself.
 * When clamd is down or too slow, the message is accepted unscanned if the admin made clamd optional;
 * otherwise the failure propagates and the chain's fallback (a temporary failure) applies, so nothing is
 * lost and the sender retries.
 */
public final class ClamavFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(ClamavFilter.class);

    private final Scope scope;
    private final Quarantine quarantine;

    public ClamavFilter(Scope scope, Quarantine quarantine) {
        this.scope = scope;
        this.quarantine = quarantine;
    }

    @Override
    public String name() {
        return "clamav";
    }

    @Override
    public Verdict data(FilterContext context, MessageData message) throws Exception {
        FilterConfig.Clamav config = scope.config().clamav();
        if (!config.enabled()) {
            return Verdict.CONTINUE;
        }
        if (message.size() > config.maxSize().bytes()) {
            log.info("session {}: message of {} bytes not scanned by clamd (limit {})", context.client().sessionId(),
                    message.size(), config.maxSize());
            return Verdict.CONTINUE;
        }
        ClamdClient.Result result;
        try (InputStream in = message.open()) {
            result = new ClamdClient(config.address(), config.timeout()).scan(in);
        } catch (IOException e) {
            if (config.optional()) {
                log.warn("session {}: clamd unavailable, message accepted unscanned: {}", context.client().sessionId(), e.getMessage());
                context.addHeader("X-Virus-Scanned", "no (clamd unavailable)");
                return Verdict.CONTINUE;
            }
            throw e;
        }
        if (!result.infected()) {
            context.addHeader("X-Virus-Scanned", "clean (clamd)");
            return Verdict.CONTINUE;
        }
        log.info("session {}: virus {} found", context.client().sessionId(), result.signature());
        return switch (config.action()) {
            case REJECT -> Verdict.reject(554, "5.7.1", "Message refused: virus found (" + result.signature() + ")");
            case QUARANTINE -> quarantine.hold(context, message, "virus " + result.signature());
            case DISCARD -> Verdict.of(Verdict.Action.DISCARD);
        };
    }
}
