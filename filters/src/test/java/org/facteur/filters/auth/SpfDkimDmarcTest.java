package org.facteur.filters.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.apache.james.jdkim.DKIMSigner;
import org.facteur.auth.Recipient;
import org.facteur.filters.ClientInfo;
import org.facteur.filters.EntryPoint;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.DataVerdict;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Filters;
import org.facteur.filters.MessageData;
import org.facteur.filters.Verdict;
import org.facteur.filters.testing.Configs;
import org.facteur.net.testing.TestDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPF (jSPF), DKIM (jDKIM) and DMARC against a loopback DNS responder, with real RSA signatures. */
class SpfDkimDmarcTest {

    @TempDir
    Path dir;
    TestDns dns;
    static KeyPair key;

    @BeforeEach
    void setUp() throws Exception {
        if (key == null) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(1024); // small for test speed; verification is the same
            key = g.generateKeyPair();
        }
        dns = new TestDns()
                .txt("sender.example", "v=spf1 ip4:198.51.100.0/24 -all")
                .txt("soft.example", "v=spf1 ip4:192.0.2.1 ~all")
                .txt("sel._domainkey.sender.example", "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded()))
                .txt("_dmarc.sender.example", "v=DMARC1; p=reject; adkim=r; aspf=r")
                .txt("_dmarc.quar.example", "v=DMARC1; p=quarantine")
                .txt("_dmarc.watch.example", "v=DMARC1; p=none");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private Filters filters() throws Exception {
        FilterConfig c = Configs.with(Configs.withDns(Configs.defaults(), dns), "authservId", "mx.facteur.example",
                "fcrdns", new FilterConfig.Fcrdns(false, 1.0), "helo", Configs.with(Configs.defaults().helo(), "enabled", false));
        return Filters.builder(() -> c).dataDir(dir).build();
    }

    private static FilterContext session(Filters filters, String ip, String from) throws Exception {
        FilterContext ctx = new FilterContext(new ClientInfo("s", EntryPoint.MTA, InetAddress.getByName(ip), null, null));
        filters.chain().connect(ctx);
        filters.chain().helo(ctx, "mx.sender.example");
        filters.chain().mailFrom(ctx, from);
        filters.chain().rcptTo(ctx, "bob@example.org", new Recipient.Local(List.of("bob@example.org"), null));
        return ctx;
    }

    private String signed(String message) throws Exception {
        String crlf = message.replace("\n", "\r\n");
        DKIMSigner signer = new DKIMSigner("v=1; s=sel; d=sender.example; h=from:to:subject; a=rsa-sha256; bh=; b=;",
                key.getPrivate());
        String header = signer.sign(new ByteArrayInputStream(crlf.getBytes(StandardCharsets.US_ASCII)));
        return header + "\r\n" + crlf;
    }

    private MessageData file(String content) throws Exception {
        Path f = Files.createTempFile(dir, "m", ".eml");
        Files.writeString(f, content.contains("\r\n") ? content : content.replace("\n", "\r\n"), StandardCharsets.US_ASCII);
        return new MessageData(f);
    }

    private static String header(FilterContext ctx, String name) {
        return ctx.headers().stream().filter(h -> h.name().equals(name)).map(FilterContext.AddedHeader::value)
                .findFirst().orElse("");
    }

    private static final String MESSAGE = """
            From: Alice <alice@sender.example>
            To: bob@example.org
            Subject: signed

            Hello Bob.
            """;

    @Test
    void alignedSpfAndDkimPassDmarc() throws Exception {
        try (Filters filters = filters()) {
            FilterContext ctx = session(filters, "198.51.100.20", "alice@sender.example");
            Verdict v = filters.chain().data(ctx, file(signed(MESSAGE))).verdict();
            assertThat(v.action()).isEqualTo(Verdict.Action.CONTINUE);
            String ar = header(ctx, "Authentication-Results");
            assertThat(ar).startsWith("mx.facteur.example;").contains("spf=pass smtp.mailfrom=alice@sender.example")
                    .contains("dkim=pass header.d=sender.example header.s=sel").contains("dmarc=pass");
            assertThat(ctx.hits()).extracting(FilterContext.ScoreHit::rule).doesNotContain("SPF_FAIL", "DKIM_INVALID");
        }
    }

    @Test
    void dkimAloneAlignsWhenSpfFails() throws Exception {
        try (Filters filters = filters()) {
            FilterContext ctx = session(filters, "203.0.113.5", "alice@sender.example");
            assertThat(ctx.hits()).extracting(FilterContext.ScoreHit::rule).contains("SPF_FAIL");
            Verdict v = filters.chain().data(ctx, file(signed(MESSAGE))).verdict();
            assertThat(v.action()).isEqualTo(Verdict.Action.CONTINUE);
            assertThat(header(ctx, "Authentication-Results")).contains("spf=fail").contains("dmarc=pass");
        }
    }

    @Test
    void forgedFromIsRejectedByDmarcReject() throws Exception {
        try (Filters filters = filters()) {
            FilterContext ctx = session(filters, "203.0.113.5", "alice@sender.example");
            String tampered = signed(MESSAGE).replace("Hello Bob.", "Send me money.");
            Verdict v = filters.chain().data(ctx, file(tampered)).verdict();
            assertThat(v.action()).isEqualTo(Verdict.Action.REJECT);
            assertThat(v.code()).isEqualTo(550);
            assertThat(v.text()).contains("DMARC");
        }
    }

    @Test
    void quarantinePolicyMakesItSpamAndNoneOnlyScores() throws Exception {
        try (Filters filters = filters()) {
            FilterContext q = session(filters, "203.0.113.5", "x@quar.example");
            DataVerdict.Copy v = filters.chain().data(q, file(MESSAGE.replace("alice@sender.example", "boss@quar.example"))).only();
            assertThat(v.verdict().action()).isEqualTo(Verdict.Action.JUNK);
            assertThat(v.headers()).filteredOn(h -> h.name().equals("X-Spam-Report")).singleElement()
                    .extracting(FilterContext.AddedHeader::value).asString().contains("DMARC_QUARANTINE");
            FilterContext n = session(filters, "203.0.113.5", "x@watch.example");
            Verdict none = filters.chain().data(n, file(MESSAGE.replace("alice@sender.example", "boss@watch.example"))).verdict();
            assertThat(none.action()).isEqualTo(Verdict.Action.CONTINUE);
            assertThat(n.hits()).extracting(FilterContext.ScoreHit::rule).contains("DMARC_FAIL");
        }
    }

    @Test
    void softfailScoresAndOrganizationalDomain() throws Exception {
        try (Filters filters = filters()) {
            FilterContext ctx = session(filters, "203.0.113.5", "a@soft.example");
            assertThat(ctx.hits()).extracting(FilterContext.ScoreHit::rule).containsExactly("SPF_SOFTFAIL");
        }
        assertThat(Dmarc.organizationalDomain("mail.a.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(Dmarc.organizationalDomain("news.example.com")).isEqualTo("example.com");
        assertThat(Dmarc.aligned("bounce.example.com", "example.com", false)).isTrue();
        assertThat(Dmarc.aligned("bounce.example.com", "example.com", true)).isFalse();
        assertThat(Dmarc.parse("v=DMARC1; p=bogus")).isNull();
        assertThat(Dmarc.parse("v=DMARC1; p=reject; pct=20; sp=none").percent()).isEqualTo(20);
    }
}
