package io.musubi.store;

import io.musubi.model.ScopedId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API key of the REST API: who it belongs to (tenant), what it may do (roles, and for the agent role the agent it
 * acts as), and the SHA-256 digest of its secret. The key a client sends is {@code msk_<id>_<secret>}; the secret is
 * 256 random bits, so a fast digest is enough (nothing to brute-force), and only the digest is stored. The key itself
 * is shown once, when it is created ({@link IssuedApiKey}).
 *
 * @param id         public identifier (16 lower-case hex digits), safe to log
 * @param tenantId   tenant every request made with the key is scoped to
 * @param name       what the key is for, as its creator named it
 * @param roles      role names in lower case ({@code admin}, {@code agent}, ...), not empty
 * @param agentId    local agent id the key acts as, or {@code null}
 * @param secretHash SHA-256 of the secret, hex; never shown by {@link #toString()}
 * @param createdAt  when it was created
 * @param revokedAt  when it was revoked, or {@code null} while it is active
 */
public record ApiKey(String id, String tenantId, String name, Set<String> roles, String agentId, String secretHash,
                     Instant createdAt, Instant revokedAt) {

    /** What every key starts with, so a key found in a log or a repository is recognisable (and scannable). */
    public static final String PREFIX = "msk_";

    /** Longest key name. */
    public static final int MAX_NAME = 128;

    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final Pattern PRESENTED = Pattern.compile(PREFIX + "([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final HexFormat HEX = HexFormat.of();

    public ApiKey {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("API key id must be 16 lower-case hex digits");
        }
        if (!ScopedId.isValidTenant(tenantId)) {
            throw new IllegalArgumentException("invalid tenant id");
        }
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("name must be 1 to " + MAX_NAME + " characters");
        }
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("an API key needs a role");
        }
        for (String role : roles) {
            if (role == null || !ROLE.matcher(role).matches()) {
                throw new IllegalArgumentException("invalid role name");
            }
        }
        roles = Collections.unmodifiableSortedSet(new TreeSet<>(roles));
        if (agentId != null && !ScopedId.isValidLocal(agentId)) {
            throw new IllegalArgumentException("invalid agent id");
        }
        if (secretHash == null || secretHash.length() != 64) {
            throw new IllegalArgumentException("secretHash must be a hex SHA-256 digest");
        }
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean isActive() {
        return revokedAt == null;
    }

    /**
     * Whether {@code presentedKey} is this key: same id and a secret with the stored digest (compared in constant
     * time). Says nothing about revocation; see {@link #isActive()}.
     */
    public boolean matches(String presentedKey) {
        Matcher m = presentedKey == null ? null : PRESENTED.matcher(presentedKey);
        if (m == null || !m.matches() || !m.group(1).equals(id)) {
            return false;
        }
        return MessageDigest.isEqual(sha256(m.group(2)), HEX.parseHex(secretHash));
    }

    /** The id of a presented key if it has the shape of one ({@code msk_<id>_<secret>}); nothing is looked up. */
    public static Optional<String> idOf(String presentedKey) {
        if (presentedKey == null) {
            return Optional.empty();
        }
        Matcher m = PRESENTED.matcher(presentedKey);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Whether {@code s} looks like an API key at all (its prefix), as opposed to a token of another kind. */
    public static boolean looksLikeKey(String s) {
        return s != null && s.startsWith(PREFIX);
    }

    /** The key a client sends. */
    public static String format(String id, String secret) {
        return PREFIX + id + "_" + secret;
    }

    /** The stored digest of a secret: SHA-256, hex. */
    public static String digest(String secret) {
        return HEX.formatHex(sha256(secret));
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", tenant=" + tenantId + ", roles=" + roles
                + (agentId == null ? "" : ", agent=" + agentId) + (revokedAt == null ? "" : ", revoked") + "]";
    }
}
