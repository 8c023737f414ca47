package io.musubi.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Remembers the response to a POST that carried an {@code Idempotency-Key}, per tenant, so that a client retrying
 * after a timeout gets the first response instead of a second effect. A key is first claimed (in progress), then
 * completed with the response, or released when the request failed in a way worth retrying.
 *
 * <p>A claim is held by one request, named by the claim's token, and is not trusted for ever: a claim older than the
 * caller's timeout is taken over by a retry of the same request (its request died or hung), and the claims a hub node
 * held when it stopped are dropped when that node opens the store again (their requests died with the process). A
 * request whose claim was taken over can no longer complete or release the key.
 */
public interface ApiIdempotencyRepository {

    /**
     * A remembered request.
     *
     * @param requestHash digest of what was asked (method, path, body): a different request under the same key
     *                    is a client error
     * @param status      the response status, 0 while the first request is still in progress
     * @param location    the response's Location header, or null
     * @param body        the response body as sent, or null
     * @param createdAt   when the key was claimed (or last taken over)
     */
    record Stored(String requestHash, int status, String location, String body, Instant createdAt) {
        public boolean inProgress() {
            return status == 0;
        }
    }

    /**
     * The hold of one running request on a key.
     *
     * @param tenantId tenant
     * @param key      the Idempotency-Key
     * @param token    unique to this claim: only its holder completes or releases the key
     */
    record Claim(String tenantId, String key, String token) {
        public Claim {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            // The key is the client's; it is not logged.
            return "Claim[tenantId=" + tenantId + "]";
        }
    }

    /**
     * Claims a key for a request. A key the tenant already has is taken over only when it is still in progress, for
     * the same request, and was claimed more than {@code timeout} ago.
     *
     * @return the claim, or empty if the key is taken (then {@link #find} says by what)
     */
    Optional<Claim> claim(String tenantId, String key, String requestHash, Duration timeout);

    Optional<Stored> find(String tenantId, String key);

    /**
     * Records the response of a claimed key.
     *
     * @return false if the claim was taken over meanwhile (nothing stored)
     */
    boolean complete(Claim claim, int status, String location, String body);

    /** Forgets a claimed key, so the request may be tried again; a claim taken over meanwhile is left alone. */
    void release(Claim claim);

    /** Deletes keys claimed before the cutoff; returns how many. */
    long purgeBefore(Instant cutoff);
}
