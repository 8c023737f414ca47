package io.musubi.hub.internal.webhooks;

import io.musubi.api.OutboundAddressPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which receiver URLs a webhook may have: absolute {@code https} URLs without credentials or fragment; plain
 * {@code http} only to the loopback host ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}) and only when the
 * configuration allows it (tests, a local relay). The host must resolve, and only to addresses the {@link
 * OutboundAddressPolicy} allows (public ones, or allow-listed by the operator) — checked here when a webhook is
 * created, and again before every delivery.
 */
final class WebhookUrls {

    static final int MAX_LENGTH = 2048;
    /**
     * The answer for a refused target: the same whether the host does not resolve or resolves to an address that is
     * not allowed, so that a tenant cannot probe which internal names exist.
     */
    static final String TARGET_NOT_ALLOWED = "url: target not allowed: the host must resolve, and only to public "
            + "addresses (loopback, private, link-local and other internal addresses need the operator's allow-list)";
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private WebhookUrls() {
    }

    /**
     * Checks a receiver URL.
     *
     * @param targets the addresses receivers may have; the host is resolved with it
     * @return null when it is acceptable, else why not (safe to show the client)
     */
    static String problem(String url, boolean allowHttpLoopback, OutboundAddressPolicy targets) {
        if (url == null || url.isBlank()) {
            return "url is required";
        }
        if (url.length() > MAX_LENGTH) {
            return "url: at most " + MAX_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "url: not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getHost().isEmpty()) {
            return "url: an absolute URL with a host is required";
        }
        if (uri.getRawUserInfo() != null) {
            return "url: must not carry credentials";
        }
        if (uri.getRawFragment() != null) {
            return "url: must not have a fragment";
        }
        if (scheme.equals("http")) {
            if (!isLoopback(uri.getHost())) {
                return "url: https is required";
            }
            if (!allowHttpLoopback) {
                return "url: https is required (http to the loopback host is not enabled)";
            }
        } else if (!scheme.equals("https")) {
            return "url: https is required";
        }
        try {
            targets.resolve(uri.getHost());
            return null;
        } catch (OutboundAddressPolicy.RefusedTargetException e) {
            return TARGET_NOT_ALLOWED;
        }
    }

    /** A loopback host written literally (no name is resolved but {@code localhost}). */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!IPV4_LITERAL.matcher(h).matches() && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
