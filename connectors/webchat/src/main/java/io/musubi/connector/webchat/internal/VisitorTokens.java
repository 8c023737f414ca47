package io.musubi.connector.webchat.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, short-lived visitor tokens: {@code v1.<visitor id>.<expiry, epoch seconds>.<HMAC-SHA256>}, the MAC taken
 * over the version, the instance's scope (tenant and connector id), the visitor id and the expiry with a key only the
 * hub holds. Holding a valid token is being that visitor: it lets the browser post messages and read the visitor's
 * transcript. Nothing is stored per token; renewing gives a new token for the same visitor.
 */
final class VisitorTokens {

    /** A visitor id: {@code v-} and 22 base64url characters (128 random bits). */
    static final Pattern VISITOR_ID = Pattern.compile("v-[A-Za-z0-9_-]{22}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String ALGORITHM = "HmacSHA256";

    /** A verified token. */
    record Visitor(String id, Instant expiresAt) {
    }

    private final SecretKeySpec key;
    private final String scope;
    private final Clock clock;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();

    VisitorTokens(byte[] key, String scope, Clock clock, Duration lifetime) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the token key must have at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.scope = Objects.requireNonNull(scope, "scope");
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** A new visitor id. */
    String newVisitorId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return "v-" + B64.encodeToString(b);
    }

    /** A token for the visitor, valid for the configured lifetime from now. */
    String issue(String visitorId) {
        if (!VISITOR_ID.matcher(visitorId).matches()) {
            throw new IllegalArgumentException("not a visitor id");
        }
        long exp = clock.instant().plus(lifetime).getEpochSecond();
        String body = "v1." + visitorId + "." + exp;
        return body + "." + B64.encodeToString(mac(body));
    }

    Instant expiryOf(String token) {
        return Instant.ofEpochSecond(Long.parseLong(token.split("\\.")[2]));
    }

    /** The visitor of a valid, unexpired token; empty for anything else. */
    Optional<Visitor> verify(String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("v1") || !VISITOR_ID.matcher(parts[1]).matches()
                || !parts[2].matches("[0-9]{1,12}")) {
            return Optional.empty();
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] expected = mac(parts[0] + "." + parts[1] + "." + parts[2]);
        if (!MessageDigest.isEqual(expected, given)) {
            return Optional.empty();
        }
        Instant exp = Instant.ofEpochSecond(Long.parseLong(parts[2]));
        if (!clock.instant().isBefore(exp)) {
            return Optional.empty();
        }
        return Optional.of(new Visitor(parts[1], exp));
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal((scope + "|" + body).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "VisitorTokens[scope=" + scope + ", lifetime=" + lifetime + ", key=***]";
    }
}
