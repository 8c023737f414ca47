package io.musubi.history;

import java.time.Instant;
import java.util.Optional;

/**
 * Remembers the response to a POST that carried an {@code Idempotency-Key}, per tenant, so that a client retrying
 * after a timeout gets the first response instead of a second effect. A key is first claimed (in progress), then
 * completed with the response, or released when the request failed in a way worth retrying.
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
     * @param createdAt   when the key was claimed
     */
    record Stored(String requestHash, int status, String location, String body, Instant createdAt) {
        public boolean inProgress() {
            return status == 0;
        }
    }

    /** Claims a key for a request; false if the tenant already has it (then {@link #find} says what). */
    boolean claim(String tenantId, String key, String requestHash);

    Optional<Stored> find(String tenantId, String key);

    /** Records the response of a claimed key. */
    void complete(String tenantId, String key, int status, String location, String body);

    /** Forgets a claimed key, so the request may be tried again. */
    void release(String tenantId, String key);

    /** Deletes keys claimed before the cutoff; returns how many. */
    long purgeBefore(Instant cutoff);
}
