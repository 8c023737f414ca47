package io.musubi.store;

import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.PresenceState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the ACD needs to rebuild its state from the store after a restart (DESIGN §5.1, issue #11): the open
 * interactions with their queue position, the agents' last presence, and the sticky (last-agent) records. The
 * interaction rows themselves are written through {@link HistoryStore#saveInteraction}; presence and sticky records
 * here. Tenant-scoped: a tenant's ACD state can be rebuilt on its own.
 */
public interface AcdStateRepository {

    /**
     * An interaction that is not over (NEW, QUEUED, OFFERED, CONNECTED, HELD, WRAP_UP).
     *
     * @param interaction its current state: queue, agent, state, priority, attributes
     * @param queuedAt    when it was queued in its current queue (its arrival time there, for aging and service
     *                    level); null if it was never queued
     * @param vip         its attribute {@code vip} is {@code true}, or its customer (merge group) has the tag
     *                    {@code vip}
     */
    record OpenInteraction(Interaction interaction, Instant queuedAt, boolean vip) {
        public OpenInteraction {
            Objects.requireNonNull(interaction, "interaction");
        }
    }

    /** An agent's last presence as the ACD reported it. */
    record AgentPresence(String tenantId, String agentId, PresenceState state, String reason, Instant since) {
        public AgentPresence {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(since, "since");
            reason = reason == null ? "" : reason;
        }
    }

    /** The agent who last accepted an interaction of the customer (sticky routing, DESIGN §5.4). */
    record StickyRecord(String tenantId, String customerId, String agentId, Channel channel, Instant at) {
        public StickyRecord {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * The tenant's open interactions, erased ones excluded, in queue order: by {@code queuedAt} (never queued:
     * creation time), then creation time, then id (a stable order among equal times).
     */
    List<OpenInteraction> openInteractions(String tenantId);

    /**
     * The tenants that have open interactions (erased ones not counted), sorted: with the tenants that have stored
     * definitions, the tenants whose ACD state a starting hub rebuilds.
     */
    List<String> tenantsWithOpenInteractions();

    /** Records agents' presence (one row per agent, the last one wins), in one transaction. */
    void savePresences(List<AgentPresence> presences);

    /** The tenant's agents' last presence, by agent id. */
    List<AgentPresence> presences(String tenantId);

    /** Records sticky records (one per customer, the last one wins), in one transaction. */
    void saveSticky(List<StickyRecord> records);

    /** The tenant's sticky records at or after {@code since} (the sticky TTL's start), oldest first. */
    List<StickyRecord> stickyNewerThan(String tenantId, Instant since);
}
