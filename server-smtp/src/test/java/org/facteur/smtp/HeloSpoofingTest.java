package org.facteur.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.facteur.auth.testing.TestDirectory;
import org.facteur.config.YamlConfig;
import org.facteur.filters.FilterChain;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.RelayFilter;
import org.facteur.filters.dns.DnsClient;
import org.facteur.filters.helo.HeloFilter;
import org.facteur.filters.policy.Scope;
import org.facteur.smtp.testing.SmtpFixture;
import org.facteur.smtp.testing.SmtpWire;
import org.facteur.net.testing.TestDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HELO anti-spoofing as a client on port 25 sees it. The policy lives once, in the filter chain's HeloFilter
 * (with the chain's trusted networks); SMTP only asks the chain at HELO/EHLO and answers with its verdict.
 */
class HeloSpoofingTest {

    @TempDir
    Path dir;
    TestDns dns;
    SmtpFixture smtp;
    final AtomicReference<FilterConfig> filters = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        dns = new TestDns();
        // Loopback is not trusted here: the test client is judged as a stranger from the internet.
        filters.set(filterConfig("[]"));
        TestDirectory auth = TestDirectory.create(dir.resolve("auth"));
        Scope scope = new Scope(filters::get, auth.directory());
        FilterChain chain = new FilterChain(List.of(new RelayFilter(() -> filters.get().trustedCidrs()),
                new HeloFilter(scope, new DnsClient(() -> filters.get().dns()), () -> SmtpFixture.HOSTNAME)));
        smtp = new SmtpFixture(dir, c -> c, chain, c -> c, auth, true);
    }

    private FilterConfig filterConfig(String trustedNetworks) throws Exception {
        return YamlConfig.parse("trusted-networks: " + trustedNetworks + "\ndns:\n  resolver: " + dns.address() + "\n",
                "filters.yaml", FilterConfig.class);
    }

    @AfterEach
    void stop() {
        smtp.closeAll();
        dns.close();
    }

    @Test
    void heloClaimingToBeUsIsRefused() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            assertThat(c.cmd("EHLO mx.example.test")).startsWith("550 5.7.1");
            assertThat(c.cmd("HELO example.test")).startsWith("550 5.7.1");
            assertThat(c.cmd("MAIL FROM:<x@remote.test>")).startsWith("503");
            assertThat(c.cmd("EHLO [127.0.0.1]")).startsWith("250"); // its own address is the truth
            assertThat(c.cmd("EHLO honest.remote.test")).startsWith("250");
        }
    }

    @Test
    void theRefusalSaysWhyInOneLine() throws Exception {
        try (SmtpWire c = smtp.mta()) {
            assertThat(c.cmd("EHLO MX.example.test.")).isEqualToIgnoringNewLines("550 5.7.1 You are not MX.example.test.");
            assertThat(c.cmd("HELO sub.example.test")).startsWith("250"); // only our domains themselves
        }
    }

    @Test
    void claimingOneOfOurAddressesIsRefused() throws Exception {
        Optional<InetAddress> ours = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(ni -> Collections.list(ni.getInetAddresses()).stream())
                .filter(a -> a.getAddress().length == 4 && !a.isLoopbackAddress()).findFirst();
        assumeTrue(ours.isPresent(), "this machine has no non-loopback IPv4 address");
        try (SmtpWire c = smtp.mta()) {
            assertThat(c.cmd("EHLO [" + ours.get().getHostAddress() + "]")).startsWith("550 5.7.1");
        }
    }

    @Test
    void trustedNetworksComeFromTheFilterConfigAndApplyLive() throws Exception {
        filters.set(filterConfig("[127.0.0.0/8]"));
        try (SmtpWire c = smtp.mta()) {
            assertThat(c.cmd("EHLO mx.example.test")).startsWith("250");
            // Trusted clients relay without AUTH: the same key decides both.
            assertThat(c.cmd("MAIL FROM:<x@remote.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<someone@elsewhere.test>")).startsWith("250");
        }
        filters.set(filterConfig("[]"));
        try (SmtpWire c = smtp.mta()) {
            assertThat(c.cmd("EHLO mx.example.test")).startsWith("550 5.7.1");
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<x@remote.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<someone@elsewhere.test>")).startsWith("5");
        }
    }
}
