package io.musubi.connector.twilio.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Twilio-Signature} as Twilio computes it (docs "Webhooks security"; the fixtures' README):
 * Base64(HMAC-SHA1(auth token, url + the POST parameters sorted by name, each as name + value)). Details that matter:
 * <ul>
 *   <li>the URL is the full URL Twilio requested, query included, taken as a string: never re-sorted, re-encoded or
 *       decoded;</li>
 *   <li>two candidate URLs are tried, as every official SDK does, because Twilio is not consistent about the port it
 *       signs: with a port, the URL as it is and without the port (any port); without one, the URL as it is and with
 *       the scheme's default port ({@code :443}, {@code :80}). The scheme is never changed;</li>
 *   <li>a repeated parameter name contributes every distinct value, in sorted order (the Python and Node SDKs' rule;
 *       the Java SDK's {@code Map} cannot express it);</li>
 *   <li>names and values are sorted as Java strings (UTF-16 code units), the order of the SDKs;</li>
 *   <li>{@code application/json} webhooks sign the URL alone, which carries {@code bodySHA256}, the lower-case hex
 *       SHA-256 of the raw body: both must match.</li>
 * </ul>
 * Comparisons are constant-time ({@link MessageDigest#isEqual}).
 */
final class TwilioSignature {

    /** The signature header. */
    static final String HEADER = "X-Twilio-Signature";

    /** The query parameter carrying the body's hash on JSON webhooks. */
    static final String BODY_SHA256 = "bodySHA256";

    private TwilioSignature() {
    }

    /** The signature of a URL and parameters (name, value pairs in any order) under an auth token. */
    static String sign(byte[] authToken, String url, List<Map.Entry<String, String>> params) {
        StringBuilder data = new StringBuilder(url);
        TreeMap<String, TreeSet<String>> sorted = new TreeMap<>();
        for (Map.Entry<String, String> p : params) {
            sorted.computeIfAbsent(p.getKey(), k -> new TreeSet<>()).add(p.getValue());
        }
        sorted.forEach((name, values) -> values.forEach(value -> data.append(name).append(value)));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /** Whether a form webhook's signature is valid for one of the URL's candidates. */
    static boolean isValid(byte[] authToken, String url, List<Map.Entry<String, String>> params, String signature) {
        byte[] given = signature.getBytes(StandardCharsets.UTF_8);
        boolean valid = false;
        for (String candidate : candidates(url)) {
            // Every candidate is checked, so the time taken does not tell which one matched.
            valid |= MessageDigest.isEqual(sign(authToken, candidate, params).getBytes(StandardCharsets.UTF_8), given);
        }
        return valid;
    }

    /**
     * Whether a JSON webhook is authentic: the URL (with its {@code bodySHA256} query parameter, as received) is
     * signed with no parameters, and that parameter is the SHA-256 of the exact body.
     *
     * @param bodySha256 the {@code bodySHA256} query parameter's value, or null when the URL has none
     */
    static boolean isValidJson(byte[] authToken, String url, String bodySha256, byte[] body, String signature) {
        if (bodySha256 == null) {
            return false;
        }
        boolean urlValid = isValid(authToken, url, List.of(), signature);
        boolean bodyValid = MessageDigest.isEqual(sha256Hex(body).getBytes(StandardCharsets.US_ASCII),
                bodySha256.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        return urlValid & bodyValid;
    }

    /** Lower-case hex SHA-256. */
    static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * The URLs a signature may have been computed over: the URL itself, and the URL without its port when it has
     * one, else with the scheme's default port.
     */
    static List<String> candidates(String url) {
        Set<String> out = new LinkedHashSet<>();
        out.add(url);
        int schemeEnd = url.indexOf("://");
        if (schemeEnd > 0) {
            String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            int authorityStart = schemeEnd + 3;
            int authorityEnd = authorityStart;
            while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
                authorityEnd++;
            }
            String authority = url.substring(authorityStart, authorityEnd);
            int hostEnd = authority.startsWith("[") ? authority.indexOf(']') + 1 : authority.lastIndexOf('@') + 1;
            int colon = authority.indexOf(':', Math.max(0, hostEnd));
            String head = url.substring(0, authorityStart);
            String tail = url.substring(authorityEnd);
            if (colon >= 0) {
                out.add(head + authority.substring(0, colon) + tail);
            } else if (scheme.equals("https") || scheme.equals("http")) {
                out.add(head + authority + (scheme.equals("https") ? ":443" : ":80") + tail);
            }
        }
        return new ArrayList<>(out);
    }
}
