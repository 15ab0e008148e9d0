package org.facteur.filters.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.facteur.filters.ClientInfo;
import org.facteur.filters.EntryPoint;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Filters;
import org.facteur.filters.Verdict;
import org.facteur.filters.testing.Configs;
import org.facteur.net.testing.TestDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DNSBL/DNSWL, FCrDNS and HELO checks against a loopback DNS responder. */
class ConnectionChecksTest {

    @TempDir
    Path data;
    TestDns dns;

    @BeforeEach
    void dns() throws Exception {
        dns = new TestDns()
                .a("7.100.51.198.bl.test", "127.0.0.2")
                .a("7.100.51.198.bl2.test", "127.0.0.9")
                .a("8.100.51.198.wl.test", "127.0.0.5")
                .ptr("7.100.51.198.in-addr.arpa", "mail.good.example")
                .a("mail.good.example", "198.51.100.7")
                .ptr("9.100.51.198.in-addr.arpa", "liar.example")
                .a("liar.example", "203.0.113.1")
                .a("mx.sender.example", "198.51.100.7");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private FilterConfig config(boolean rejectZone) {
        FilterConfig c = Configs.withDns(Configs.defaults(), dns);
        c = Configs.with(c, "localNames", List.of("mx.facteur.example"));
        return Configs.with(c, "dnsbl", new FilterConfig.Dnsbl(true, List.of(
                new FilterConfig.DnsZone("bl.test", 3.0, List.of(), rejectZone),
                new FilterConfig.DnsZone("bl2.test", 2.0, List.of("127.0.0.2"), false),
                new FilterConfig.DnsZone("wl.test", -2.0, List.of(), false))));
    }

    private static FilterContext client(String address) throws Exception {
        return new FilterContext(new ClientInfo("s", EntryPoint.MTA, InetAddress.getByName(address), null, null));
    }

    @Test
    void blocklistScoresOncePerConnectionAndIsCached() throws Exception {
        FilterConfig config = config(false);
        try (Filters filters = Filters.builder(() -> config).dataDir(data).build()) {
            FilterContext ctx = client("198.51.100.7");
            assertThat(filters.chain().connect(ctx).action()).isEqualTo(Verdict.Action.CONTINUE);
            assertThat(ctx.hits()).extracting(FilterContext.ScoreHit::rule).containsExactly("DNSBL_BL_TEST");
            int asked = dns.queries();
            filters.chain().connect(ctx);
            FilterContext again = client("198.51.100.7");
            filters.chain().connect(again);
            assertThat(dns.queries()).isEqualTo(asked); // per connection, then from the cache
            assertThat(again.score()).isEqualTo(3.0);
        }
    }

    @Test
    void allowlistAndRejectingZones() throws Exception {
        try (Filters filters = Filters.builder(() -> config(true)).dataDir(data).build()) {
            FilterContext good = client("198.51.100.8");
            filters.chain().connect(good);
            assertThat(good.hits()).extracting(FilterContext.ScoreHit::rule).contains("DNSWL_WL_TEST", "FCRDNS_NONE");
            Verdict v = filters.chain().connect(client("198.51.100.7"));
            assertThat(v.action()).isEqualTo(Verdict.Action.REJECT);
            assertThat(v.code()).isEqualTo(554);
            assertThat(v.text()).contains("bl.test");
        }
    }

    @Test
    void forwardConfirmedReverseDns() throws Exception {
        FilterConfig config = Configs.with(config(false), "dnsbl", new FilterConfig.Dnsbl(false, List.of()));
        try (Filters filters = Filters.builder(() -> config).dataDir(data).build()) {
            FilterContext confirmed = client("198.51.100.7");
            filters.chain().connect(confirmed);
            assertThat(confirmed.hits()).isEmpty();
            assertThat(confirmed.connectionNotes().get(FcrdnsFilter.NOTE)).isEqualTo("mail.good.example");
            FilterContext liar = client("198.51.100.9");
            filters.chain().connect(liar);
            assertThat(liar.hits()).extracting(FilterContext.ScoreHit::rule).containsExactly("FCRDNS_NONE");
        }
    }

    @Test
    void heloChecks() throws Exception {
        FilterConfig config = Configs.with(config(false), "dnsbl", new FilterConfig.Dnsbl(false, List.of()),
                "fcrdns", new FilterConfig.Fcrdns(false, 1.0));
        try (Filters filters = Filters.builder(() -> config).dataDir(data).build()) {
            Verdict us = filters.chain().helo(client("198.51.100.7"), "MX.facteur.example");
            assertThat(us.action()).isEqualTo(Verdict.Action.REJECT);
            assertThat(us.enhancedCode()).isEqualTo("5.7.1");
            assertThat(hits(filters, "mx.sender.example")).isEmpty();
            assertThat(hits(filters, "[198.51.100.7]")).isEmpty();
            assertThat(hits(filters, "198.51.100.7")).containsExactly("HELO_BARE_IP");
            assertThat(hits(filters, "bad_name!")).containsExactly("HELO_INVALID");
            assertThat(hits(filters, "localhost")).containsExactly("HELO_INVALID");
            assertThat(hits(filters, "nowhere.example")).containsExactly("HELO_NO_DNS");
            // Our own users are not checked.
            FilterContext local = client("127.0.0.1");
            assertThat(filters.chain().helo(local, "mx.facteur.example").action()).isEqualTo(Verdict.Action.CONTINUE);
        }
    }

    private static List<String> hits(Filters filters, String helo) throws Exception {
        FilterContext ctx = client("198.51.100.7");
        assertThat(filters.chain().helo(ctx, helo).action()).isEqualTo(Verdict.Action.CONTINUE);
        return ctx.hits().stream().map(FilterContext.ScoreHit::rule).toList();
    }

    @Test
    void queryNames() throws Exception {
        assertThat(DnsblFilter.queryName(InetAddress.getByName("192.0.2.99"), "zen.example"))
                .isEqualTo("99.2.0.192.zen.example");
        assertThat(DnsblFilter.queryName(InetAddress.getByName("2001:db8::1"), "z"))
                .startsWith("1.0.0.0.0.0.0.0").endsWith("8.b.d.0.1.0.0.2.z");
    }
}
