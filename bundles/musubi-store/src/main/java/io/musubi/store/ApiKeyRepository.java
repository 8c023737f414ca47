package io.musubi.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The REST API's keys (DESIGN §9): created for a tenant, looked up by id when a request presents one, listed and
 * revoked by the tenant's administrators. Only the digest of each key's secret is stored; a revoked key stays listed
 * (with its revocation time) and is never active again.
 */
public interface ApiKeyRepository {

    /**
     * Creates a key with a fresh random id and secret.
     *
     * @param roles   lower-case role names, not empty (the REST layer decides which exist)
     * @param agentId local agent id the key acts as, or {@code null}
     * @return the record and the key itself, which is not stored and cannot be shown again
     */
    IssuedApiKey create(String tenantId, String name, Set<String> roles, String agentId);

    /** The key with this id, in any tenant and revoked or not: what authentication looks up. */
    Optional<ApiKey> find(String id);

    /** The tenant's keys, revoked ones included, oldest first. */
    List<ApiKey> list(String tenantId);

    /**
     * Revokes a key of the tenant. Revoking a revoked key changes nothing.
     *
     * @return true if the tenant has a key with this id (now revoked); false if not, for another tenant's key too
     */
    boolean revoke(String tenantId, String id);

    /** Whether any tenant has an active key (the first start creates an admin key when none has). */
    boolean anyActive();
}
