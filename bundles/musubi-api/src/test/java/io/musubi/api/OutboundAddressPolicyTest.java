package io.musubi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.api.OutboundAddressPolicy.AddressClass;
import io.musubi.api.OutboundAddressPolicy.RefusedTargetException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboundAddressPolicyTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    /** A resolver that knows a few names and counts its look-ups. */
    private static final class FakeDns implements OutboundAddressPolicy.Resolver {
        private final Map<String, List<String>> answers;
        final AtomicInteger lookups = new AtomicInteger();

        FakeDns(Map<String, List<String>> answers) {
            this.answers = answers;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            lookups.incrementAndGet();
            String name = host.toLowerCase(java.util.Locale.ROOT); // as DNS does: no case, the root dot optional
            List<String> a = answers.get(name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] out = new InetAddress[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ip(a.get(i));
            }
            return out;
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "127.0.0.1, LOOPBACK", "127.255.255.254, LOOPBACK", "::1, LOOPBACK",
        "169.254.169.254, LINK_LOCAL", "169.254.0.1, LINK_LOCAL", "fe80::1, LINK_LOCAL", "febf:ffff::1, LINK_LOCAL",
        "10.0.0.1, PRIVATE", "10.255.255.255, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE",
        "192.168.0.1, PRIVATE", "fc00::1, PRIVATE", "fd12:3456::1, PRIVATE", "fec0::1, PRIVATE",
        "64:ff9b:1::a00:1, PRIVATE",
        "100.64.0.1, SHARED", "100.127.255.255, SHARED",
        "0.0.0.0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED", "::, UNSPECIFIED",
        "224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST", "ff02::1, MULTICAST", "ff05::1:3, MULTICAST",
        "240.0.0.1, RESERVED", "255.255.255.255, RESERVED", "192.0.0.170, RESERVED", "192.0.2.1, RESERVED",
        "198.18.0.1, RESERVED", "198.19.255.255, RESERVED", "198.51.100.7, RESERVED", "203.0.113.9, RESERVED",
        "192.88.99.1, RESERVED", "2001:db8::1, RESERVED", "2001::1, RESERVED", "2001:2::1, RESERVED",
        "100::1, RESERVED", "4000::1, RESERVED",
        "8.8.8.8, PUBLIC", "1.1.1.1, PUBLIC", "172.15.255.255, PUBLIC", "172.32.0.1, PUBLIC",
        "100.63.255.255, PUBLIC", "100.128.0.1, PUBLIC", "169.253.255.255, PUBLIC", "192.169.0.1, PUBLIC",
        "11.0.0.1, PUBLIC", "126.255.255.255, PUBLIC", "128.0.0.1, PUBLIC", "223.255.255.254, PUBLIC",
        "2606:4700:4700::1111, PUBLIC", "2a00:1450:4001::200e, PUBLIC", "2001:4860::8888, PUBLIC",
    })
    void classifiesEveryRange(String literal, AddressClass expected) throws Exception {
        assertThat(OutboundAddressPolicy.classify(ip(literal))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        // IPv4-mapped (as the JDK parses it, and kept in IPv6 form below), translated, compatible, NAT64, 6to4
        "::ffff:127.0.0.1, LOOPBACK", "::ffff:169.254.169.254, LINK_LOCAL", "::ffff:10.0.0.1, PRIVATE",
        "::ffff:0.0.0.0, UNSPECIFIED", "::ffff:8.8.8.8, PUBLIC",
        "::ffff:0:127.0.0.1, LOOPBACK", "::ffff:0:8.8.8.8, PUBLIC",
        "::127.0.0.1, LOOPBACK", "::10.1.2.3, PRIVATE", "::0.0.0.2, UNSPECIFIED", "::8.8.8.8, PUBLIC",
        "64:ff9b::127.0.0.1, LOOPBACK", "64:ff9b::a9fe:a9fe, LINK_LOCAL", "64:ff9b::192.168.1.1, PRIVATE",
        "64:ff9b::8.8.8.8, PUBLIC",
        "2002:7f00:1::1, LOOPBACK", "2002:a00:1::1, PRIVATE", "2002:a9fe:a9fe::, LINK_LOCAL",
        "2002:808:808::1, PUBLIC",
    })
    void ipv6FormsOfIpv4AddressesHaveTheClassOfTheIpv4Address(String literal, AddressClass expected)
            throws Exception {
        assertThat(OutboundAddressPolicy.classify(ip(literal))).isEqualTo(expected);
    }

    @Test
    void anIpv4MappedAddressKeptInIpv6FormIsStillItsIpv4Address() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        Inet6Address v6 = Inet6Address.getByAddress(null, mapped, -1);

        assertThat(OutboundAddressPolicy.classify(v6)).isEqualTo(AddressClass.LOOPBACK);
        assertThat(OutboundAddressPolicy.publicOnly().allows(null, v6)).isFalse();
        assertThat(OutboundAddressPolicy.allowing("127.0.0.1").allows(null, v6)).isTrue();
    }

    @Test
    void byDefaultOnlyPublicAddressesAreAllowed() throws Exception {
        OutboundAddressPolicy policy = OutboundAddressPolicy.allowing("  ");

        assertThat(policy.isPublicOnly()).isTrue();
        assertThat(policy.allows("crm.example.com", ip("93.184.215.14"))).isTrue();
        for (String internal : List.of("127.0.0.1", "::1", "169.254.169.254", "10.0.0.1", "172.20.1.1",
                "192.168.1.1", "fd00::1", "fe80::1", "0.0.0.0", "::", "100.64.0.1", "224.0.0.1", "::ffff:127.0.0.1")) {
            assertThat(policy.allows(null, ip(internal))).as(internal).isFalse();
        }
    }

    @Test
    void literalsAreCheckedWithoutALookup() throws Exception {
        FakeDns dns = new FakeDns(Map.of());
        OutboundAddressPolicy policy = OutboundAddressPolicy.publicOnly().withResolver(dns);

        assertThat(policy.resolve("8.8.8.8")).containsExactly(ip("8.8.8.8"));
        assertThat(policy.resolve("[2606:4700:4700::1111]")).containsExactly(ip("2606:4700:4700::1111"));
        for (String literal : List.of("127.0.0.1", "[::1]", "::1", "169.254.169.254", "10.0.0.1", "[::ffff:7f00:1]",
                "[fe80::1%1]")) {
            assertThatThrownBy(() -> policy.resolve(literal)).as(literal)
                    .isInstanceOfSatisfying(RefusedTargetException.class,
                            e -> assertThat(e.reason()).isEqualTo(RefusedTargetException.Reason.NOT_ALLOWED));
        }
        assertThatThrownBy(() -> policy.resolve("[12:zz::1]"))
                .isInstanceOfSatisfying(RefusedTargetException.class,
                        e -> assertThat(e.reason()).isEqualTo(RefusedTargetException.Reason.DOES_NOT_RESOLVE));
        assertThat(dns.lookups).hasValue(0);
    }

    @Test
    void namesAreResolvedAndEveryAddressMustBeAllowed() throws Exception {
        FakeDns dns = new FakeDns(Map.of(
                "crm.example.com", List.of("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
                "rebind.example.com", List.of("93.184.215.14", "127.0.0.1"),
                "metadata.example.com", List.of("169.254.169.254"),
                "localhost", List.of("127.0.0.1", "::1")));
        OutboundAddressPolicy policy = OutboundAddressPolicy.publicOnly().withResolver(dns);

        assertThat(policy.resolve("crm.example.com")).hasSize(2);
        assertThatThrownBy(() -> policy.resolve("rebind.example.com"))
                .isInstanceOfSatisfying(RefusedTargetException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RefusedTargetException.Reason.NOT_ALLOWED);
                    assertThat(e.addressClass()).isEqualTo(AddressClass.LOOPBACK);
                    assertThat(e.getMessage()).doesNotContain("127.0.0.1");
                });
        assertThatThrownBy(() -> policy.resolve("metadata.example.com"))
                .isInstanceOfSatisfying(RefusedTargetException.class,
                        e -> assertThat(e.addressClass()).isEqualTo(AddressClass.LINK_LOCAL));
        for (String local : List.of("localhost", "localhost.", "LOCALHOST")) {
            assertThatThrownBy(() -> policy.resolve(local)).as(local)
                    .isInstanceOfSatisfying(RefusedTargetException.class,
                            e -> assertThat(e.addressClass()).isEqualTo(AddressClass.LOOPBACK));
        }
        for (String nowhere : List.of("no-such-host.invalid", "", "[]")) {
            assertThatThrownBy(() -> policy.resolve(nowhere)).as(nowhere)
                    .isInstanceOfSatisfying(RefusedTargetException.class, e -> {
                        assertThat(e.reason()).isEqualTo(RefusedTargetException.Reason.DOES_NOT_RESOLVE);
                        assertThat(e.addressClass()).isNull();
                    });
        }
        assertThatThrownBy(() -> policy.resolve(null)).isInstanceOf(RefusedTargetException.class);
    }

    @Test
    void aResolverThatAnswersNothingOrFailsIsDoesNotResolve() {
        OutboundAddressPolicy empty = OutboundAddressPolicy.publicOnly().withResolver(h -> new InetAddress[0]);
        OutboundAddressPolicy failing = OutboundAddressPolicy.publicOnly().withResolver(h -> {
            throw new IllegalStateException("resolver broken");
        });

        for (OutboundAddressPolicy p : List.of(empty, failing)) {
            assertThatThrownBy(() -> p.resolve("crm.example.com"))
                    .isInstanceOfSatisfying(RefusedTargetException.class,
                            e -> assertThat(e.reason()).isEqualTo(RefusedTargetException.Reason.DOES_NOT_RESOLVE));
        }
    }

    @Test
    void allowListedRangesAndAddressesAllowThoseOnly() throws Exception {
        OutboundAddressPolicy policy = OutboundAddressPolicy.allowing("10.1.2.0/24, 192.168.7.7 fd00:1::/64,"
                + "::1,127.0.0.2/32");

        assertThat(policy.isPublicOnly()).isFalse();
        assertThat(policy.allows(null, ip("10.1.2.0"))).isTrue();
        assertThat(policy.allows(null, ip("10.1.2.255"))).isTrue();
        assertThat(policy.allows(null, ip("::ffff:10.1.2.3"))).isTrue();
        assertThat(policy.allows(null, ip("10.1.3.1"))).isFalse();
        assertThat(policy.allows(null, ip("10.1.1.255"))).isFalse();
        assertThat(policy.allows(null, ip("192.168.7.7"))).isTrue();
        assertThat(policy.allows(null, ip("192.168.7.8"))).isFalse();
        assertThat(policy.allows(null, ip("fd00:1::abcd"))).isTrue();
        assertThat(policy.allows(null, ip("fd00:1:0:1::1"))).isFalse();
        assertThat(policy.allows(null, ip("::1"))).isTrue();
        assertThat(policy.allows(null, ip("127.0.0.2"))).isTrue();
        assertThat(policy.allows(null, ip("127.0.0.1"))).isFalse();
        assertThat(policy.allows(null, ip("169.254.169.254"))).isFalse();
        assertThat(policy.allows(null, ip("8.8.8.8"))).isTrue();
        assertThat(policy.toString()).contains("10.1.2.0/24", "fd00:1:0:0:0:0:0:0/64", "127.0.0.2/32");
    }

    @Test
    void aRangeWithHostBitsIsTheRangeAndOddPrefixesWork() throws Exception {
        OutboundAddressPolicy policy = OutboundAddressPolicy.allowing("172.16.5.9/12,100.64.0.0/10,::ffff:10.0.0.0/104");

        assertThat(policy.allows(null, ip("172.31.0.1"))).isTrue();
        assertThat(policy.allows(null, ip("192.168.0.1"))).isFalse();
        assertThat(policy.allows(null, ip("100.127.1.1"))).isTrue();
        assertThat(policy.allows(null, ip("10.200.0.1"))).isTrue();
        assertThat(policy.allows(null, ip("11.0.0.1"))).isTrue(); // public anyway
        assertThat(policy.toString()).contains("172.16.0.0/12", "10.0.0.0/8");
    }

    @Test
    void anAllowListedNameMayResolveToAnythingOtherNamesMayNot() throws Exception {
        FakeDns dns = new FakeDns(Map.of(
                "crm.internal.example", List.of("10.9.9.9", "fd00::9"),
                "other.internal.example", List.of("10.9.9.9")));
        OutboundAddressPolicy policy = OutboundAddressPolicy.allowing("CRM.internal.example.").withResolver(dns);

        assertThat(policy.resolve("crm.internal.example")).hasSize(2);
        assertThat(policy.resolve("Crm.Internal.Example.")).hasSize(2);
        assertThatThrownBy(() -> policy.resolve("other.internal.example")).isInstanceOf(RefusedTargetException.class);
        assertThatThrownBy(() -> policy.resolve("10.9.9.9")).isInstanceOf(RefusedTargetException.class);
        assertThat(policy.allows("crm.internal.example", ip("127.0.0.1"))).isTrue();
        assertThat(policy.allows("crm.internal.example.evil.example", ip("127.0.0.1"))).isFalse();
    }

    @Test
    void badAllowListEntriesAreNamedAndNeverLookedUp() {
        for (String bad : List.of("10.1.2.0/33", "10.1.2.300", "10.1.2", "10.1.2.0/x", "fd00::/129", "fd00:::1/64",
                "crm..example", "-crm.example", "crm.example/24", "http://crm.example", "a_b!", "::ffff:10.0.0.0/95")) {
            assertThatThrownBy(() -> OutboundAddressPolicy.allowing("8.8.8.8/32, " + bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }
}
