package io.musubi.acd.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One tenant's part of the engine's indexes (DESIGN §5.1). Every agent, queue and interaction belongs to exactly one
 * tenant, and the structures routing reads are partitioned here: an agent's pool memberships are looked up among its
 * own tenant's pools only, a pool's members among its tenant's agents only, and last-agent records are kept per tenant.
 * Routing never reaches an agent or a waiting interaction except through a pool, so it cannot cross tenants; the
 * engine compares {@code TenantState} references (one per tenant id) wherever work meets an agent or a pool.
 * Only touched under the engine's lock.
 */
final class TenantState {
    final String id;
    /** Pools by their anchor skill (see {@link Pool#anchorSkill()}). */
    final Map<String, List<Pool>> poolsByAnchor = new HashMap<>();
    final List<Pool> poolsWithoutSkills = new ArrayList<>();
    final List<AgentState> agents = new ArrayList<>();
    /** Customer id → last agent (customer ids are only unique within a tenant). */
    final HashMap<String, LastAgentRecord> sticky = new HashMap<>();

    TenantState(String id) {
        this.id = id;
    }

    @Override
    public String toString() {
        return id;
    }

    /**
     * The last line of the isolation: where work meets an agent (an offer, a reservation, a pin) or a pool (a
     * listing). Unreachable when the indexes are right; if it is ever reached, routing stops rather than leak.
     */
    static void assertSameTenant(WorkItem w, TenantState t) {
        if (w.tenant != t) {
            throw new IllegalStateException("tenant isolation: interaction " + w.id + " of tenant " + w.tenant
                    + " met tenant " + t);
        }
    }

    /** Refuses a command that would bring an interaction to an agent or a queue of another tenant. */
    static void requireTenant(String interactionId, String tenantId, TenantState target, String what) {
        if (!target.id.equals(tenantId)) {
            throw new IllegalArgumentException("interaction " + interactionId + " of tenant " + tenantId
                    + " cannot go to " + what + " of tenant " + target);
        }
    }

    static void requireTenant(WorkItem w, TenantState target, String what) {
        if (target != w.tenant) {
            requireTenant(w.id, w.tenant.id, target, what);
        }
    }
}
