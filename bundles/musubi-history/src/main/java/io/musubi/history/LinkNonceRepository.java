package io.musubi.history;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Single-use nonces issued for a known customer, for account linking (DESIGN §7.1): an integration asks for one once
 * the customer has logged in on its own site and hands it to the provider (LINE's account-link endpoint); the provider
 * confirms it with the customer's channel identity in an event, and the hub links that identity to the customer.
 * Tenant-scoped. Only the SHA-256 digest of a nonce is stored; the nonce itself exists in {@link IssuedNonce} only.
 */
public interface LinkNonceRepository {

    /**
     * A nonce just issued; {@link #toString()} never shows it.
     *
     * @param nonce      256 random bits, URL-safe Base64 without padding (43 characters)
     * @param customerId the customer it links to
     * @param expiresAt  after this instant it links nothing
     */
    record IssuedNonce(String nonce, String customerId, Instant expiresAt) {

        public IssuedNonce {
            Objects.requireNonNull(nonce, "nonce");
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            return "IssuedNonce[customerId=" + customerId + ", expiresAt=" + expiresAt + ", nonce=***]";
        }
    }

    /** Issues a nonce for a customer of the tenant, valid until {@code expiresAt}. */
    IssuedNonce issue(String tenantId, String customerId, Instant expiresAt);

    /**
     * Uses a nonce, once: the first use at or before its expiry wins and names who used it.
     *
     * @param usedBy what used it (the event's de-duplication key), so that a redelivery of the same event gets the same
     *               answer
     * @return the customer it was issued for; empty for a nonce that is unknown in the tenant, expired at {@code now},
     *         or already used by something else
     */
    Optional<String> use(String tenantId, String nonce, String usedBy, Instant now);

    /** Retention: deletes nonces that expired before the cutoff, in every tenant; returns how many. */
    long purgeExpiredBefore(Instant cutoff);
}
