package org.facteur.filters;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state one SMTP session (or one webmail send) carries through the stages: who the client is, what it
 * said, who it authenticated as, and the score and headers the filters have added. Filters read and add to
 * it; the session resets the transaction part on RSET and after each message.
 */
public final class FilterContext {

    /** One reason a score was added, shown in X-Spam-Report. */
    public record ScoreHit(String rule, double points, String description) {
    }

    /** A header the filters want on the delivered message, in order. */
    public record AddedHeader(String name, String value) {
    }

    private final ClientInfo client;
    private String helo;
    private String authenticatedAccount;
    private String reversePath;
    private final List<String> recipients = new ArrayList<>();
    /** At end of data, the local account the recipients of this copy belong to; null before or for others. */
    private String recipientAccount;
    /** Hits about the client's address, found before it said anything (DNSBL, reverse DNS). */
    private final List<ScoreHit> addressHits = new ArrayList<>();
    private final List<ScoreHit> connectionHits = new ArrayList<>();
    private final List<ScoreHit> transactionHits = new ArrayList<>();
    private final List<AddedHeader> headers = new ArrayList<>();
    private final Map<String, Object> connectionNotes;
    private final Map<String, Object> transactionNotes;

    public FilterContext(ClientInfo client) {
        this.client = client;
        this.connectionNotes = new LinkedHashMap<>();
        this.transactionNotes = new LinkedHashMap<>();
    }

    /** A copy of {@code from}; the notes are the same maps when {@code shareNotes}, else copies. */
    private FilterContext(FilterContext from, List<String> recipients, boolean shareNotes) {
        this.client = from.client;
        this.connectionNotes = shareNotes ? from.connectionNotes : new LinkedHashMap<>(from.connectionNotes);
        this.transactionNotes = shareNotes ? from.transactionNotes : new LinkedHashMap<>(from.transactionNotes);
        copyState(from, recipients);
    }

    /**
     * This transaction as one recipient group sees it at end of data: the same client, envelope sender, hits
     * and headers so far, but only {@code recipients}, so that whatever depends on the recipient (its account,
     * Bayes database, lists, required score) is judged for them alone. The notes stay shared: they are facts
     * about the connection and the message (the parsed message is cached there, so it is parsed once).
     */
    public FilterContext forRecipients(String account, List<String> recipients) {
        FilterContext own = new FilterContext(this, recipients, true);
        own.recipientAccount = account;
        return own;
    }

    /** The local account of a copy's recipients, known once {@link #forRecipients} narrowed this context. */
    public Optional<String> recipientAccount() {
        return Optional.ofNullable(recipientAccount);
    }

    /**
     * A private copy for one filter call that may time out (notes copied too): the chain runs the filter on it
     * and takes its state back with {@link #adopt} only if the filter answered in time, so a filter abandoned
     * at its deadline can never change the session's state afterwards.
     */
    FilterContext isolated() {
        return new FilterContext(this, recipients, false);
    }

    /** Takes over the state of {@code other}, a copy of this context that a filter has worked on. */
    void adopt(FilterContext other) {
        copyState(other, other.recipients);
        if (other.connectionNotes != connectionNotes) {
            connectionNotes.clear();
            connectionNotes.putAll(other.connectionNotes);
        }
        if (other.transactionNotes != transactionNotes) {
            transactionNotes.clear();
            transactionNotes.putAll(other.transactionNotes);
        }
    }

    private void copyState(FilterContext from, List<String> recipients) {
        List<String> keptRecipients = List.copyOf(recipients);
        helo = from.helo;
        authenticatedAccount = from.authenticatedAccount;
        reversePath = from.reversePath;
        replace(this.recipients, keptRecipients);
        recipientAccount = from.recipientAccount;
        replace(addressHits, from.addressHits);
        replace(connectionHits, from.connectionHits);
        replace(transactionHits, from.transactionHits);
        replace(headers, from.headers);
    }

    private static <T> void replace(List<T> into, List<T> from) {
        if (into != from) {
            List<T> copy = List.copyOf(from);
            into.clear();
            into.addAll(copy);
        }
    }

    public ClientInfo client() {
        return client;
    }

    public String helo() {
        return helo;
    }

    public void helo(String name) {
        this.helo = name;
    }

    /** The account of an authenticated session (submission, webmail), or null. */
    public String authenticatedAccount() {
        return authenticatedAccount;
    }

    public void authenticatedAccount(String account) {
        this.authenticatedAccount = account;
    }

    public boolean isAuthenticated() {
        return authenticatedAccount != null;
    }

    /** MAIL FROM's reverse path, empty for the null sender {@code <>}. */
    public String reversePath() {
        return reversePath;
    }

    public void reversePath(String path) {
        this.reversePath = path;
    }

    public List<String> recipients() {
        return Collections.unmodifiableList(recipients);
    }

    public void addRecipient(String recipient) {
        recipients.add(recipient);
    }

    /**
     * Adds points with a reason. Points given before MAIL FROM (DNSBL, HELO) belong to the connection and
     * survive RSET; points given during a transaction go with it.
     */
    public void score(String rule, double points, String description) {
        List<ScoreHit> into = reversePath != null ? transactionHits : helo == null ? addressHits : connectionHits;
        into.add(new ScoreHit(rule, points, description));
    }

    /**
     * The context of the same connection once TLS is on (RFC 3207 §4.2): all the client said in cleartext is
     * forgotten, but what the server found about its address before that (blocklist listings, reverse DNS, and
     * the notes that keep them from being looked up again) is not the client's word and stays.
     */
    public FilterContext restartedOver(ClientInfo secured) {
        FilterContext c = new FilterContext(secured);
        c.addressHits.addAll(addressHits);
        c.connectionNotes.putAll(connectionNotes);
        return c;
    }

    public double score() {
        return hits().stream().mapToDouble(ScoreHit::points).sum();
    }

    /** Every hit so far, connection ones first. */
    public List<ScoreHit> hits() {
        List<ScoreHit> all = new ArrayList<>(addressHits);
        all.addAll(connectionHits);
        all.addAll(transactionHits);
        return Collections.unmodifiableList(all);
    }

    public void addHeader(String name, String value) {
        headers.add(new AddedHeader(name, value));
    }

    public List<AddedHeader> headers() {
        return Collections.unmodifiableList(headers);
    }

    /** Per-connection memo for filters (a DNSBL answer cached for the session), by filter-chosen key. */
    public Map<String, Object> connectionNotes() {
        return connectionNotes;
    }

    /** Per-transaction memo, cleared by {@link #resetTransaction()}. */
    public Map<String, Object> transactionNotes() {
        return transactionNotes;
    }

    /**
     * Starts a new transaction (RSET, or after a message): the envelope, the transaction's hits and headers
     * go; what was learnt about the connection stays.
     */
    public void resetTransaction() {
        reversePath = null;
        recipients.clear();
        transactionHits.clear();
        headers.clear();
        transactionNotes.clear();
    }
}
