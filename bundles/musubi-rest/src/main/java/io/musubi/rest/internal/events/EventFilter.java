package io.musubi.rest.internal.events;

import io.musubi.rest.internal.security.Caller;
import io.musubi.rest.Role;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * Which events one stream receives: always one tenant's; within it, any of the given agents, queues, customers and
 * types (each set empty for "any"; the sets combine with AND). An event matches an agent when it is that agent's
 * (offer, acceptance, presence, a message on an interaction it handles) or was transferred away from it; a queue
 * likewise. {@code self} is set for a caller that is only an agent: it then sees only events about itself, whatever
 * else it asked for.
 *
 * @param tenantId    the caller's tenant
 * @param agentIds    local agent ids, or empty
 * @param queueIds    local queue ids, or empty
 * @param customerIds customer ids, or empty
 * @param types       API event types, or empty
 * @param self        the local agent id an agent-only caller is restricted to, or null
 */
record EventFilter(String tenantId, Set<String> agentIds, Set<String> queueIds, Set<String> customerIds,
                   Set<String> types, String self) {

    EventFilter {
        Objects.requireNonNull(tenantId, "tenantId");
        agentIds = Set.copyOf(agentIds);
        queueIds = Set.copyOf(queueIds);
        customerIds = Set.copyOf(customerIds);
        types = Set.copyOf(types);
    }

    /** Everything of one tenant. */
    static EventFilter all(String tenantId) {
        return new EventFilter(tenantId, Set.of(), Set.of(), Set.of(), Set.of(), null);
    }

    /** The filter of a caller's stream: agents without another role are restricted to their own events. */
    static EventFilter of(Caller caller, Collection<String> agentIds, Collection<String> queueIds,
                          Collection<String> customerIds, Collection<String> types) {
        boolean agentOnly = caller.has(Role.AGENT) && !caller.isManager() && !caller.has(Role.INTEGRATION);
        return new EventFilter(caller.tenantId(), Set.copyOf(agentIds), Set.copyOf(queueIds),
                Set.copyOf(customerIds), Set.copyOf(types), agentOnly ? Objects.requireNonNull(caller.agentId(),
                        "agentId") : null);
    }

    boolean matches(ApiEvent e) {
        if (!tenantId.equals(e.tenantId())) {
            return false;
        }
        if (!types.isEmpty() && !types.contains(e.type())) {
            return false;
        }
        if (!customerIds.isEmpty() && (e.customerId() == null || !customerIds.contains(e.customerId()))) {
            return false;
        }
        Set<String> agents = self != null || !agentIds.isEmpty() ? e.involvedAgents() : Set.of();
        if (self != null && !agents.contains(self)) {
            return false;
        }
        if (!agentIds.isEmpty() && agents.stream().noneMatch(agentIds::contains)) {
            return false;
        }
        return queueIds.isEmpty() || e.involvedQueues().stream().anyMatch(queueIds::contains);
    }

    @Override
    public String toString() {
        return "EventFilter[tenant=" + tenantId + ", agents=" + agentIds.size() + ", queues=" + queueIds
                + ", customers=" + customerIds.size() + ", types=" + types + ", self=" + (self != null) + "]";
    }
}
