package io.musubi.hub.internal.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature (docs/events.md): {@code Musubi-Signature: v1=<hex>}, the lower-case hex HMAC-SHA256 of
 * {@code "<Musubi-Timestamp>.<body>"} keyed with the subscription's secret (its UTF-8 bytes, prefix included).
 * Signing the time stamp with the body lets receivers refuse replays of old requests.
 */
final class WebhookSignature {

    static final String VERSION = "v1";
    private static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** The {@code Musubi-Signature} header value. */
    static String header(String secret, long timestamp, String body) {
        return VERSION + "=" + hex(secret, timestamp, body);
    }

    static String hex(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JVM", e);
        }
    }

    /** A new signing secret: {@code whsec_} and 32 random bytes, URL-safe Base64. */
    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }
}
