package io.musubi.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Tenant scoping of agent and queue ids. The routing engine serves every tenant of a hub, so the ids it holds
 * are scoped: {@code acme/alice} is agent {@code alice} of tenant {@code acme}. The REST API only ever shows and
 * accepts the local part, inside the caller's tenant, which is how one tenant can neither see nor address another
 * tenant's agents and queues.
 */
public final class ScopedId {

    public static final char SEPARATOR = '/';

    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    private ScopedId() {
    }

    /** {@code tenant/localId}; both parts are validated. */
    public static String of(String tenantId, String localId) {
        if (!isValidTenant(tenantId)) {
            throw new IllegalArgumentException("invalid tenant id");
        }
        if (!isValidLocal(localId)) {
            throw new InvalidInputException("id", InputRules.ID_RULE);
        }
        return tenantId + SEPARATOR + localId;
    }

    /** The tenant of a scoped id, or {@code fallback} for an unscoped one. */
    public static String tenantOf(String id, String fallback) {
        int i = Objects.requireNonNull(id, "id").indexOf(SEPARATOR);
        return i > 0 ? id.substring(0, i) : fallback;
    }

    /** The local part of a scoped id (the id itself when unscoped). */
    public static String localOf(String id) {
        int i = Objects.requireNonNull(id, "id").indexOf(SEPARATOR);
        return i >= 0 ? id.substring(i + 1) : id;
    }

    /** Whether {@code id} is scoped to {@code tenantId}. */
    public static boolean belongsTo(String id, String tenantId) {
        return id != null && id.length() > tenantId.length() && id.startsWith(tenantId)
                && id.charAt(tenantId.length()) == SEPARATOR;
    }

    /** Whether {@code localId} is an identifier ({@link InputRules#ID_RULE}). */
    public static boolean isValidLocal(String localId) {
        return InputRules.isId(localId);
    }

    public static boolean isValidTenant(String tenantId) {
        return tenantId != null && TENANT.matcher(tenantId).matches();
    }
}
