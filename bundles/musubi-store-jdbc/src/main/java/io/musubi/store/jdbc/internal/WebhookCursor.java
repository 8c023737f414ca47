package io.musubi.store.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The position after the last delivery of a log page: its store sequence. Encoded opaquely (URL-safe Base64) so
 * callers treat it as a token.
 */
record WebhookCursor(long seq) {

    private static final String VERSION = "w1";

    String encode() {
        String plain = VERSION + ':' + seq;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    static WebhookCursor decode(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            String[] parts = plain.split(":");
            if (parts.length != 2 || !parts[0].equals(VERSION)) {
                throw new IllegalArgumentException("not a delivery log cursor");
            }
            return new WebhookCursor(Long.parseLong(parts[1]));
        } catch (IllegalArgumentException e) { // includes NumberFormatException and bad Base64
            throw new IllegalArgumentException("not a delivery log cursor", e);
        }
    }
}
