package org.facteur.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.facteur.config.ConfigDefaults;
import org.facteur.config.Doc;
import org.facteur.config.YamlConfig;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void equalNetworksAreEqualAndPrintAsAddressSlashLength() {
        Cidr a = Cidr.parse("192.0.2.0/24");
        Cidr b = Cidr.parse(" 192.0.2.0/24 ");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Cidr.parse("192.0.2.0/25"));
        assertThat(a.toString()).isEqualTo("192.0.2.0/24");
        assertThat(Cidr.parse("::1").toString()).isEqualTo("0:0:0:0:0:0:0:1/128");
        assertThat(Cidr.parse("2001:db8::/32")).isEqualTo(Cidr.parse("2001:DB8:0::/32"));
        // The printed form parses back to the same network (the config writer round-trips).
        assertThat(Cidr.parse(Cidr.parse("2001:db8::/32").toString())).isEqualTo(Cidr.parse("2001:db8::/32"));
    }

    @Test
    void configsHoldingNetworksCompareEqual() {
        FilterConfig one = ConfigDefaults.of(FilterConfig.class);
        FilterConfig two = ConfigDefaults.of(FilterConfig.class);
        assertThat(one.trustedCidrs()).isEqualTo(two.trustedCidrs())
                .containsExactly(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
    }

    /** A config holding networks, as a module record would. */
    public record Networks(@Doc("Networks.") List<Cidr> networks) {
    }

    @Test
    void theConfigWriterPrintsNetworksThatReadBackEqual() throws Exception {
        Networks original = new Networks(List.of(Cidr.parse("192.0.2.0/24"), Cidr.parse("10.0.0.1")));
        String yaml = YamlConfig.write(original, "");
        assertThat(yaml).contains("192.0.2.0/24", "10.0.0.1/32");
        assertThat(YamlConfig.parse(yaml, "networks.yaml", Networks.class)).isEqualTo(original);
    }

    @Test
    void containsMatchesThePrefixOnly() throws Exception {
        Cidr net = Cidr.parse("10.1.0.0/15");
        assertThat(net.contains(InetAddress.getByName("10.0.255.255"))).isTrue();
        assertThat(net.contains(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(net.contains(InetAddress.getByName("10.2.0.0"))).isFalse();
        assertThat(net.contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
    }

    @Test
    void hostNamesAreRefusedWithoutAskingDns() {
        // "localhost" would resolve; a name must be refused by syntax, before any lookup.
        for (String text : List.of("localhost", "mail.example.org/24", "example.invalid", "localhost/8")) {
            assertThatThrownBy(() -> Cidr.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a network (host names are not looked up)");
        }
    }

    @Test
    void malformedNetworksGetAClearError() {
        for (String text : List.of("", "/24", "192.0.2.0/", "192.0.2.0/x", "192.0.2.0/-1", "999.0.0.1",
                "192.0.2/24", "1:2:3:4:5:6:7:8:9", "192.0.2.0/24/1", ".:", "g::1", "fe80::1%eth0")) {
            assertThatThrownBy(() -> Cidr.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a network");
        }
        assertThatThrownBy(() -> Cidr.parse("192.0.2.0/33")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
        assertThatThrownBy(() -> Cidr.parse("::/129")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
    }
}
