package io.musubi.api;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which network addresses the hub may call when a tenant names the target — webhooks, CRM URLs, any outbound call
 * to a configured address (DESIGN §11, docs/security.md). By default only public unicast addresses are allowed:
 * loopback, link-local (cloud metadata included), private, shared (CGNAT), unspecified, multicast and reserved
 * addresses are refused, in every IPv6 form that embeds such an IPv4 address, and so are host names that do not
 * resolve. An operator may allow-list internal receivers by range ({@code 10.1.2.0/24}, {@code fd00:1::/64}),
 * single address ({@code 10.1.2.3}) or host name ({@code crm.internal.example}, which then may resolve to anything).
 *
 * <p>Callers resolve with {@link #resolve(String)} and connect to exactly the addresses it returns, never to the
 * name again: a name that resolves differently between the check and the connection (DNS rebinding) cannot slip
 * through. Immutable and thread-safe; plain Java, so any bundle can use it.
 */
public final class OutboundAddressPolicy {

    /** What kind of address it is. Only {@link #PUBLIC} is reachable unless allow-listed. */
    public enum AddressClass {
        /** Globally routable unicast. */
        PUBLIC,
        /** 127.0.0.0/8, ::1. */
        LOOPBACK,
        /** 169.254.0.0/16 (cloud metadata 169.254.169.254 included), fe80::/10. */
        LINK_LOCAL,
        /** 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7, fec0::/10, 64:ff9b:1::/48. */
        PRIVATE,
        /** 100.64.0.0/10, carrier-grade NAT. */
        SHARED,
        /** 0.0.0.0/8, :: (on Linux a connection to 0.0.0.0 reaches the host itself). */
        UNSPECIFIED,
        /** 224.0.0.0/4, ff00::/8. */
        MULTICAST,
        /** Special-purpose ranges that are not globally reachable: 192.0.0.0/24, 192.0.2.0/24, 192.88.99.0/24,
         *  198.18.0.0/15, 198.51.100.0/24, 203.0.113.0/24, 240.0.0.0/4, 100::/64, 2001::/32 (Teredo),
         *  2001:2::/48, 2001:db8::/32, and IPv6 outside 2000::/3. */
        RESERVED
    }

    /** Turns a host name into addresses; {@link InetAddress#getAllByName} unless replaced (tests). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * A target the policy refuses. Its message says only why in general terms, never the addresses a name resolved
     * to, so it may be logged; what a client is told should be vaguer still (one answer for both reasons, or a
     * tenant learns which internal names exist).
     */
    public static final class RefusedTargetException extends IOException {
        private static final long serialVersionUID = 1L;

        /** Why a target is refused. */
        public enum Reason { NOT_ALLOWED, DOES_NOT_RESOLVE }

        private final Reason reason;
        private final transient AddressClass addressClass;

        RefusedTargetException(Reason reason, AddressClass addressClass) {
            super(reason == Reason.DOES_NOT_RESOLVE ? "the host does not resolve"
                    : "the host is or resolves to a " + addressClass + " address that is not allow-listed");
            this.reason = reason;
            this.addressClass = addressClass;
        }

        public Reason reason() {
            return reason;
        }

        /** The class of the first refused address; null when the host does not resolve. */
        public AddressClass addressClass() {
            return addressClass;
        }
    }

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
    private static final OutboundAddressPolicy PUBLIC_ONLY =
            new OutboundAddressPolicy(List.of(), Set.of(), InetAddress::getAllByName);

    private final List<Range> ranges;
    private final Set<String> names;
    private final Resolver resolver;

    private OutboundAddressPolicy(List<Range> ranges, Set<String> names, Resolver resolver) {
        this.ranges = ranges;
        this.names = names;
        this.resolver = resolver;
    }

    /** Public addresses only, nothing allow-listed. */
    public static OutboundAddressPolicy publicOnly() {
        return PUBLIC_ONLY;
    }

    /**
     * Public addresses and the allow-listed targets.
     *
     * @param allowedTargets CIDR ranges, single addresses and host names, separated by commas and/or white space;
     *                       null or blank for none
     * @throws IllegalArgumentException naming the first entry that is none of these (never looked up in DNS)
     */
    public static OutboundAddressPolicy allowing(String allowedTargets) {
        if (allowedTargets == null || allowedTargets.isBlank()) {
            return PUBLIC_ONLY;
        }
        List<Range> ranges = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String raw : allowedTargets.trim().split("[,\\s]+")) {
            String entry = raw.toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/") || entry.contains(":") || DOTTED_QUAD.matcher(entry).matches()) {
                ranges.add(Range.parse(entry));
            } else if (entry.matches("[0-9.]+")) {
                throw new IllegalArgumentException("allowed target '" + raw + "': not an IPv4 address");
            } else {
                String name = withoutTrailingDot(entry);
                if (!HOST_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("allowed target '" + raw
                            + "': neither a CIDR range, an address nor a host name");
                }
                names.add(name);
            }
        }
        return new OutboundAddressPolicy(List.copyOf(ranges), Set.copyOf(names), InetAddress::getAllByName);
    }

    /** The same policy resolving names with {@code resolver} (tests; a resolver of the caller's own). */
    public OutboundAddressPolicy withResolver(Resolver resolver) {
        return new OutboundAddressPolicy(ranges, names, Objects.requireNonNull(resolver, "resolver"));
    }

    /** True when nothing is allow-listed. */
    public boolean isPublicOnly() {
        return ranges.isEmpty() && names.isEmpty();
    }

    /**
     * Resolves a host and checks every address it resolves to: all must be allowed (a name that resolves to one
     * public and one private address is refused). IP literals are not looked up.
     *
     * @param host a host name or an IP literal, IPv6 with or without brackets (as {@code URI.getHost()} gives it)
     * @return the addresses to connect to, in the resolver's order; never empty
     * @throws RefusedTargetException when the host does not resolve or an address is not allowed
     */
    public List<InetAddress> resolve(String host) throws RefusedTargetException {
        String h = host == null ? "" : host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty()) {
            throw new RefusedTargetException(RefusedTargetException.Reason.DOES_NOT_RESOLVE, null);
        }
        InetAddress[] addresses;
        try {
            addresses = isLiteral(h) ? new InetAddress[] {literal(h)} : resolver.resolve(h);
        } catch (UnknownHostException | RuntimeException e) {
            throw new RefusedTargetException(RefusedTargetException.Reason.DOES_NOT_RESOLVE, null);
        }
        if (addresses == null || addresses.length == 0) {
            throw new RefusedTargetException(RefusedTargetException.Reason.DOES_NOT_RESOLVE, null);
        }
        for (InetAddress a : addresses) {
            if (!allows(h, a)) {
                throw new RefusedTargetException(RefusedTargetException.Reason.NOT_ALLOWED, classify(a));
            }
        }
        return List.of(addresses);
    }

    /**
     * Whether {@code address}, reached under the name {@code host}, may be called: an allow-listed host name allows
     * whatever it resolves to, an allow-listed range its addresses, and anything else must be {@link
     * AddressClass#PUBLIC}.
     *
     * @param host the name the caller was given (may be null or a literal)
     */
    public boolean allows(String host, InetAddress address) {
        if (host != null && names.contains(withoutTrailingDot(host.strip().toLowerCase(Locale.ROOT)))) {
            return true;
        }
        byte[] bytes = comparable(address);
        for (Range r : ranges) {
            if (r.contains(bytes)) {
                return true;
            }
        }
        return classify(address) == AddressClass.PUBLIC;
    }

    /** The class of an address; an IPv6 address that embeds an IPv4 address has the class of that address. */
    public static AddressClass classify(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? classify4(address, b) : classify6(address, b);
    }

    private static AddressClass classify4(InetAddress a, byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        int b2 = b[2] & 0xff;
        if (a.isAnyLocalAddress() || b0 == 0) {
            return AddressClass.UNSPECIFIED;
        }
        if (a.isLoopbackAddress()) {
            return AddressClass.LOOPBACK;
        }
        if (a.isLinkLocalAddress()) {
            return AddressClass.LINK_LOCAL;
        }
        if (a.isSiteLocalAddress()) {
            return AddressClass.PRIVATE;
        }
        if (a.isMulticastAddress()) {
            return AddressClass.MULTICAST;
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return AddressClass.SHARED;
        }
        if (b0 >= 240
                || b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)
                || b0 == 192 && b1 == 88 && b2 == 99
                || b0 == 198 && (b1 & 0xfe) == 18
                || b0 == 198 && b1 == 51 && b2 == 100
                || b0 == 203 && b1 == 0 && b2 == 113) {
            return AddressClass.RESERVED;
        }
        return AddressClass.PUBLIC;
    }

    private static AddressClass classify6(InetAddress a, byte[] b) {
        InetAddress embedded = embeddedIpv4(b);
        if (embedded != null) {
            return classify4(embedded, embedded.getAddress());
        }
        if (a.isAnyLocalAddress()) {
            return AddressClass.UNSPECIFIED;
        }
        if (a.isLoopbackAddress()) {
            return AddressClass.LOOPBACK;
        }
        if (a.isLinkLocalAddress()) {
            return AddressClass.LINK_LOCAL;
        }
        if (a.isSiteLocalAddress() || (b[0] & 0xfe) == 0xfc || startsWith(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
            return AddressClass.PRIVATE;
        }
        if (a.isMulticastAddress()) {
            return AddressClass.MULTICAST;
        }
        if ((b[0] & 0xe0) != 0x20 // outside 2000::/3, 100::/64 included
                || startsWith(b, 0x20, 0x01, 0x00, 0x00)
                || startsWith(b, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00)
                || startsWith(b, 0x20, 0x01, 0x0d, 0xb8)) {
            return AddressClass.RESERVED;
        }
        return AddressClass.PUBLIC;
    }

    /**
     * The IPv4 address inside an IPv6 address that carries one: IPv4-mapped {@code ::ffff:0:0/96}, IPv4-translated
     * {@code ::ffff:0:0:0/96}, IPv4-compatible {@code ::/96} (but {@code ::} and {@code ::1}), NAT64
     * {@code 64:ff9b::/96} and 6to4 {@code 2002::/16}. Null for any other.
     */
    private static InetAddress embeddedIpv4(byte[] b) {
        int from;
        if (startsWith(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff)
                || startsWith(b, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0)
                || startsWith(b, 0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0)) {
            from = 12;
        } else if (startsWith(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) {
            boolean unspecifiedOrLoopback = b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1);
            if (unspecifiedOrLoopback) {
                return null;
            }
            from = 12;
        } else if (startsWith(b, 0x20, 0x02)) {
            from = 2;
        } else {
            return null;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, from, from + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The bytes ranges compare: an IPv4-mapped IPv6 address as its IPv4 address. */
    private static byte[] comparable(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16 && startsWith(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        return b;
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || DOTTED_QUAD.matcher(host).matches() && validOctets(host);
    }

    /** Parses an IP literal, never looking it up (an IPv6 literal goes in brackets, which forbids a lookup). */
    private static InetAddress literal(String host) throws UnknownHostException {
        return InetAddress.getByName(host.contains(":") ? "[" + host + "]" : host);
    }

    private static boolean validOctets(String dottedQuad) {
        for (String part : dottedQuad.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static String withoutTrailingDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** The allow-list as configured (normalised): ranges, then names. */
    @Override
    public String toString() {
        List<String> all = new ArrayList<>();
        ranges.forEach(r -> all.add(r.toString()));
        all.addAll(names);
        return all.isEmpty() ? "public addresses only" : "public addresses and " + String.join(", ", all);
    }

    /** An allow-listed CIDR range. */
    private record Range(byte[] network, int prefix, String text) {

        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            String literal = slash < 0 ? entry : entry.substring(0, slash);
            boolean v6Text = literal.contains(":");
            if (!v6Text && !(DOTTED_QUAD.matcher(literal).matches() && validOctets(literal))) {
                throw new IllegalArgumentException("allowed target '" + entry + "': not an IP address or CIDR range");
            }
            InetAddress address;
            try {
                address = literal(literal);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("allowed target '" + entry + "': not an IP address or CIDR range");
            }
            byte[] bytes = comparable(address);
            int bits = bytes.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("allowed target '" + entry + "': bad prefix length");
                }
                if (v6Text && bytes.length == 4) {
                    prefix -= 96; // an IPv4-mapped range written as IPv6
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("allowed target '" + entry + "': bad prefix length");
                }
            }
            for (int i = 0; i < bytes.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                bytes[i] &= (byte) (0xff << (8 - keep));
            }
            try {
                return new Range(bytes, prefix, InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int i = 0; i < address.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                int mask = (0xff << (8 - keep)) & 0xff;
                if ((address[i] & mask) != (network[i] & 0xff)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
