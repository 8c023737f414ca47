package io.musubi.acd.internal;

import io.musubi.model.Channel;

/**
 * Last-agent (sticky) records: per tenant, customer id → the agent that last accepted the customer's interaction
 * ({@link TenantState#sticky}), and every tenant's records in one list, oldest first, so that pruning stops at the first
 * record young enough. A record is updated in place (one map lookup per ACCEPTED). No lock of its own: only touched
 * under the engine's lock.
 */
final class LastAgentRegistry {
    private LastAgentRecord oldest;
    private LastAgentRecord newest;

    /** The customer's record within the tenant, whatever its age (the caller applies its TTL). */
    LastAgentRecord get(TenantState tenant, String customerId) {
        return tenant.sticky.get(customerId);
    }

    /**
     * Records the customer's last agent at {@code at}: the record moves to its place by time in the list (the newest
     * end when {@code at} is now, one step).
     */
    void put(TenantState tenant, String customerId, String agentId, Channel channel, long at) {
        LastAgentRecord r = tenant.sticky.get(customerId);
        if (r == null) {
            r = new LastAgentRecord(tenant, customerId);
            tenant.sticky.put(customerId, r);
        } else {
            unlink(r);
        }
        r.agentId = agentId;
        r.channel = channel;
        r.at = at;
        LastAgentRecord after = newest;
        while (after != null && after.at > at) {
            after = after.prev;
        }
        r.prev = after;
        r.next = after == null ? oldest : after.next;
        if (r.next == null) {
            newest = r;
        } else {
            r.next.prev = r;
        }
        if (after == null) {
            oldest = r;
        } else {
            after.next = r;
        }
    }

    /** Forgets the records older than {@code limit} (any tenant). */
    void prune(long limit) {
        LastAgentRecord r = oldest;
        while (r != null && r.at < limit) {
            LastAgentRecord next = r.next;
            unlink(r);
            r.tenant.sticky.remove(r.customerId);
            r = next;
        }
    }

    private void unlink(LastAgentRecord r) {
        if (r.prev == null) {
            oldest = r.next;
        } else {
            r.prev.next = r.next;
        }
        if (r.next == null) {
            newest = r.prev;
        } else {
            r.next.prev = r.prev;
        }
        r.prev = null;
        r.next = null;
    }
}
