package org.facteur.filters.auth;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.james.jspf.core.DNSRequest;
import org.apache.james.jspf.core.DNSService;
import org.apache.james.jspf.core.exceptions.TimeoutException;
import org.facteur.filters.dns.DnsClient;
import org.xbill.DNS.Type;

/**
 * jSPF's DNS, answered by our {@link DnsClient} (its resolver, timeout and cache). jSPF's own dnsjava
 * service sends asynchronous queries to the system resolver whatever it is given, and never completes when a
 * name does not exist; this one answers synchronously and completes every request.
 */
final class SpfDns implements DNSService {

    private final DnsClient dns;
    private int recordLimit = 10; // RFC 7208 §4.6.4: at most 10 DNS-querying terms

    SpfDns(DnsClient dns) {
        this.dns = dns;
    }

    /** jSPF's convention: null when there is no record of the type. */
    @Override
    public List<String> getRecords(DNSRequest request) throws TimeoutException {
        int type = switch (request.getRecordType()) {
            case DNSRequest.A -> Type.A;
            case DNSRequest.AAAA -> Type.AAAA;
            case DNSRequest.MX -> Type.MX;
            case DNSRequest.PTR -> Type.PTR;
            case DNSRequest.TXT -> Type.TXT;
            default -> -1; // the SPF RR type is obsolete (RFC 7208 §3.1)
        };
        if (type < 0) {
            return null;
        }
        try {
            List<String> answers = dns.query(request.getHostname(), type);
            if (answers.isEmpty()) {
                return null;
            }
            if (type == Type.MX || type == Type.PTR) {
                return answers.stream().map(n -> n.endsWith(".") ? n.substring(0, n.length() - 1) : n).toList();
            }
            return answers;
        } catch (DnsClient.DnsException e) {
            throw new TimeoutException(e.getMessage());
        }
    }

    @Override
    public CompletionStage<List<String>> getRecordsAsync(DNSRequest request) {
        try {
            return CompletableFuture.completedFuture(getRecords(request));
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public List<String> getLocalDomainNames() {
        return List.of();
    }

    @Override
    public void setTimeOut(int seconds) {
        // the DnsClient's configured timeout applies
    }

    @Override
    public int getRecordLimit() {
        return recordLimit;
    }

    @Override
    public void setRecordLimit(int limit) {
        this.recordLimit = limit;
    }
}
