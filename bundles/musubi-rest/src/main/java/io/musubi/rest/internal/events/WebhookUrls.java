package io.musubi.rest.internal.events;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which receiver URLs a webhook may have: absolute {@code https} URLs without credentials or fragment; plain
 * {@code http} only to the loopback host ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}) and only when the
 * configuration allows it (tests, a local relay).
 */
final class WebhookUrls {

    static final int MAX_LENGTH = 2048;
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private WebhookUrls() {
    }

    /**
     * Checks a receiver URL.
     *
     * @return null when it is acceptable, else why not (safe to show the client)
     */
    static String problem(String url, boolean allowHttpLoopback) {
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
        if (scheme.equals("https")) {
            return null;
        }
        if (scheme.equals("http")) {
            if (!isLoopback(uri.getHost())) {
                return "url: https is required";
            }
            return allowHttpLoopback ? null : "url: https is required (http to the loopback host is not enabled)";
        }
        return "url: https is required";
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
