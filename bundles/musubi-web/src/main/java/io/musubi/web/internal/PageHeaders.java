package io.musubi.web.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The response headers of every page and file, per area. Every page has a Content-Security-Policy without
 * {@code 'unsafe-inline'} or {@code 'unsafe-eval'} (scripts and styles come from files of the hub only; nothing from a
 * CDN), {@code X-Content-Type-Options: nosniff} and no referrer. The desktop and the supervisor view may not be framed
 * at all; the widget page may be framed by the hub's own pages and the configured company sites, and may use the
 * camera and microphone (the embedding frame must delegate them: {@code allow="camera; microphone"}). The widget's
 * loader script ({@code /widget/embed.js}) may be loaded by other sites. Files are revalidated on every use.
 */
final class PageHeaders {

    /** An origin as the widget's frame-ancestors accept it: scheme, host (a leading {@code *.} allowed), port. */
    static final Pattern ORIGIN = Pattern.compile("https?://(\\*\\.)?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?");

    private static final String BASE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self'; font-src 'self'; "
            + "manifest-src 'self'; base-uri 'none'; form-action 'none'";

    private final String widgetAncestors;

    PageHeaders(String[] frameAncestors) {
        List<String> sources = new ArrayList<>(List.of("'self'"));
        for (String a : frameAncestors) {
            String origin = a.strip();
            if (origin.isEmpty()) {
                continue;
            }
            if (!ORIGIN.matcher(origin).matches()) {
                throw new IllegalArgumentException("widgetFrameAncestors: " + origin + " is not an origin such as "
                        + "https://www.example.co.jp");
            }
            sources.add(origin.toLowerCase(Locale.ROOT));
        }
        this.widgetAncestors = String.join(" ", sources);
    }

    /** The headers for a request path ({@code /desktop/index.html}, {@code /widget/embed.js}, ...). */
    Map<String, String> forPath(String path) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cache-Control", "no-cache");
        String type = contentType(path);
        if (type != null) {
            h.put("Content-Type", type);
        }
        if (path.equals("/widget/embed.js")) {
            h.put("Cross-Origin-Resource-Policy", "cross-origin");
            return h;
        }
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        if (path.startsWith("/widget/")) {
            h.put("Content-Security-Policy", BASE_POLICY + "; frame-src 'self'; frame-ancestors " + widgetAncestors);
            h.put("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()");
        } else {
            h.put("Content-Security-Policy", BASE_POLICY + "; frame-ancestors 'none'");
            h.put("X-Frame-Options", "DENY");
            h.put("Cross-Origin-Opener-Policy", "same-origin");
            h.put("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()");
        }
        return h;
    }

    /** The content type of a file by its extension; null for others (the container decides). */
    static String contentType(String path) {
        int dot = path.lastIndexOf('.');
        String ext = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "html" -> "text/html;charset=utf-8";
            case "js" -> "text/javascript;charset=utf-8";
            case "css" -> "text/css;charset=utf-8";
            case "json" -> "application/json;charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            default -> null;
        };
    }
}
