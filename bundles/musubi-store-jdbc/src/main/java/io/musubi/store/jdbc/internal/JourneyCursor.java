package io.musubi.store.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The position after the last event of a journey page: its time stamp (epoch microseconds) and store sequence.
 * Encoded opaquely (URL-safe Base64) so callers treat it as a token.
 */
record JourneyCursor(long ts, long seq) {

    private static final String VERSION = "j1";

    String encode() {
        String plain = VERSION + ':' + ts + ':' + seq;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    static JourneyCursor decode(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            String[] parts = plain.split(":");
            if (parts.length != 3 || !parts[0].equals(VERSION)) {
                throw new IllegalArgumentException("not a journey cursor");
            }
            return new JourneyCursor(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) { // includes NumberFormatException and bad Base64
            throw new IllegalArgumentException("not a journey cursor", e);
        }
    }
}
