package io.musubi.rest.internal.security;

import io.musubi.rest.Role;

import io.musubi.store.ApiKey;
import io.musubi.store.ApiKeyRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates {@code msk_<id>_<secret>} keys against the {@link ApiKeyRepository}. A looked-up key (or its absence)
 * is kept for {@code cacheTtl}, so a busy client costs one database read per key and period; the price is that a
 * revoked key is still accepted for up to {@code cacheTtl} on every node. The secret is checked on every request
 * (constant time), cached or not. The cache holds at most {@value #MAX_ENTRIES} keys.
 */
final class ApiKeyAuthenticator {

    static final int MAX_ENTRIES = 10_000;
    static final String REFUSED = "API key unknown, revoked or wrong";

    private final ApiKeyRepository keys;
    private final Clock clock;
    private final Duration cacheTtl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<ApiKey> key, Instant expires) {
    }

    ApiKeyAuthenticator(ApiKeyRepository keys, Clock clock, Duration cacheTtl) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
    }

    /**
     * The caller {@code presentedKey} stands for.
     *
     * @throws AuthenticationException for a malformed, unknown, wrong or revoked key
     * @throws RuntimeException        when the key store cannot be read
     */
    Caller authenticate(String presentedKey) throws AuthenticationException {
        String id = ApiKey.idOf(presentedKey).orElseThrow(
                () -> new AuthenticationException("malformed API key", "API key not of the form msk_<id>_<secret>"));
        Optional<ApiKey> found = lookup(id);
        if (found.isEmpty()) {
            throw new AuthenticationException(REFUSED, "unknown API key " + id);
        }
        ApiKey key = found.get();
        if (!key.matches(presentedKey)) {
            throw new AuthenticationException(REFUSED, "wrong secret for API key " + id);
        }
        if (!key.isActive()) {
            throw new AuthenticationException(REFUSED, "revoked API key " + id);
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : key.roles()) {
            Role role = Roles.parse(name);
            if (role != null) {
                roles.add(role);
            }
        }
        if (roles.isEmpty()) {
            throw new AuthenticationException(REFUSED, "API key " + id + " has no known role");
        }
        return new Caller(key.tenantId(), key.id(), roles, roles.contains(Role.AGENT) ? key.agentId() : null);
    }

    private Optional<ApiKey> lookup(String id) {
        Instant now = clock.instant();
        Cached cached = cache.get(id);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.key();
        }
        Optional<ApiKey> key = keys.find(id);
        if (!cacheTtl.isZero()) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.values().removeIf(c -> !now.isBefore(c.expires()));
                if (cache.size() >= MAX_ENTRIES) {
                    cache.clear();
                }
            }
            cache.put(id, new Cached(key, now.plus(cacheTtl)));
        }
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticator[cache=" + cacheTtl + "]";
    }
}
