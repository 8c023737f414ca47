package io.musubi.hub.events;

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
 * @param types       API event types ({@link EventTypes}), or empty
 * @param self        the local agent id an agent-only caller is restricted to, or null
 */
public record EventFilter(String tenantId, Set<String> agentIds, Set<String> queueIds, Set<String> customerIds,
                          Set<String> types, String self) {

    public EventFilter {
        Objects.requireNonNull(tenantId, "tenantId");
        agentIds = Set.copyOf(agentIds);
        queueIds = Set.copyOf(queueIds);
        customerIds = Set.copyOf(customerIds);
        types = Set.copyOf(types);
    }

    /** Everything of one tenant. */
    public static EventFilter all(String tenantId) {
        return new EventFilter(tenantId, Set.of(), Set.of(), Set.of(), Set.of(), null);
    }

    /** A filter from request values (duplicates allowed); {@code self} null unless the caller is only an agent. */
    public static EventFilter of(String tenantId, Collection<String> agentIds, Collection<String> queueIds,
                                 Collection<String> customerIds, Collection<String> types, String self) {
        return new EventFilter(tenantId, Set.copyOf(agentIds), Set.copyOf(queueIds), Set.copyOf(customerIds),
                Set.copyOf(types), self);
    }

    @Override
    public String toString() {
        return "EventFilter[tenant=" + tenantId + ", agents=" + agentIds.size() + ", queues=" + queueIds
                + ", customers=" + customerIds.size() + ", types=" + types + ", self=" + (self != null) + "]";
    }
}
