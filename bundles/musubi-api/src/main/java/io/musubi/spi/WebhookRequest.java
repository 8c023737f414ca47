package io.musubi.spi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One webhook request as the hub received it.
 *
 * @param method   {@code POST} or {@code GET}
 * @param path     the path as received, e.g. {@code /webhooks/line/line.main}
 * @param rawQuery the query string as received (not decoded), or empty
 * @param headers  header name → values; look names up with {@link #header(String)} (case-insensitive)
 * @param body     the exact bytes received
 */
public record WebhookRequest(String method, String path, String rawQuery, Map<String, List<String>> headers,
                             byte[] body) {

    public WebhookRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        rawQuery = rawQuery == null ? "" : rawQuery;
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.merge(k, List.copyOf(v), (a, b) -> {
            List<String> all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }));
        headers = Collections.unmodifiableMap(h);
        body = body == null ? new byte[0] : body;
    }

    /** The first value of a header, case-insensitive. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The query parameters, decoded as UTF-8, in order; a repeated name keeps its first value. */
    public Map<String, String> queryParameters() {
        return decodeForm(rawQuery);
    }

    /**
     * The body as {@code application/x-www-form-urlencoded} parameters, decoded as UTF-8 (Twilio's webhooks); a
     * repeated name keeps its first value.
     */
    public Map<String, String> formParameters() {
        return decodeForm(new String(body, StandardCharsets.UTF_8));
    }

    private static Map<String, String> decodeForm(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        if (form.isEmpty()) {
            return out;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(name, value);
        }
        return out;
    }

    /** The content type's media type, lower case, without parameters; empty when absent. */
    public String mediaType() {
        String ct = header("Content-Type").orElse("");
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        // Never the body or header values: they carry signatures and PII.
        return "WebhookRequest[" + method + " " + path + ", " + body.length + " bytes]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
