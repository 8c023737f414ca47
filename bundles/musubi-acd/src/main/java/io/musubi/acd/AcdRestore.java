package io.musubi.acd;

import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the durable store holds of one tenant's ACD state, to rebuild it in an engine after a restart (or on another
 * hub): {@link AcdEngine#restore}. Plain values, no store types: the hub maps its rows to them. Agents and queues are
 * defined (and presence restored here) before; every id must be of {@link #tenantId()}.
 *
 * @param tenantId  the tenant restored; the rest of the engine is not touched
 * @param presence  agents' presence as the hub decides (e.g. their last presence after a short outage, else OFFLINE)
 * @param lastAgent last-agent (sticky) records, with the time of the ACCEPTED they come from
 * @param assigned  interactions assigned to an agent (connected, held, in wrap-up)
 * @param waiting   waiting interactions, in arrival order (the tie-break at equal priority and time)
 */
public record AcdRestore(String tenantId, List<Presence> presence, List<LastAgent> lastAgent, List<Assigned> assigned,
                         List<Waiting> waiting) {

    public AcdRestore {
        Objects.requireNonNull(tenantId, "tenantId");
        presence = List.copyOf(presence);
        lastAgent = List.copyOf(lastAgent);
        assigned = List.copyOf(assigned);
        waiting = List.copyOf(waiting);
    }

    /**
     * An agent's presence with the time it began (so time in state stays exact). BUSY and WRAP_UP are derived by the
     * engine: given for an agent, they restore AVAILABLE and the engine derives the rest from the restored work.
     */
    public record Presence(String agentId, PresenceState state, String reason, Instant since) {
        public Presence {
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(since, "since");
            reason = reason == null ? "" : reason;
        }
    }

    /** The customer's last agent, recorded at {@code at} (its TTLs run from there). */
    public record LastAgent(String customerId, String agentId, Channel channel, Instant at) {
        public LastAgent {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * An interaction assigned to an agent: {@code state} CONNECTED, HELD or WRAP_UP since {@code since} (in wrap-up,
     * the queue's wrap-up time runs from there); the agent's capacity stays used. {@code setAside}: HELD because a
     * blocking interaction was accepted (it resumes by itself).
     */
    public record Assigned(Interaction interaction, String agentId, InteractionState state, Instant queuedAt,
                           Instant acceptedAt, Instant since, boolean setAside) {
        public Assigned {
            Objects.requireNonNull(interaction, "interaction");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(queuedAt, "queuedAt");
            Objects.requireNonNull(acceptedAt, "acceptedAt");
            Objects.requireNonNull(since, "since");
        }
    }

    /**
     * A waiting interaction in {@link Interaction#queueId()}, queued there at {@code queuedAt} (its original time:
     * aging, service level and longest wait stay honest). {@code orderAt}: its place in the order (a call-back keeps
     * the original's; else {@code queuedAt}). {@code requeued}: back at the head of the queue — after a reject or
     * timeout, and for an offer that was in flight at the restart (it is not given back to that agent).
     * {@code excludedAgents}: agents that rejected it or let it time out. {@code waitsFor} / {@code waitsUntil}: the
     * agent it waits for (last-agent routing, transfer; "" if none) and until when ({@code null}: no limit), as its
     * QUEUED event said ({@link AcdAttributes#WAITS_FOR}, {@link AcdAttributes#WAITS_UNTIL}); not restored when that
     * agent is logged out or the time has passed (it is routed normally, as it would have been).
     */
    public record Waiting(Interaction interaction, Instant queuedAt, Instant orderAt, boolean vip, boolean requeued,
                          Set<String> excludedAgents, String waitsFor, Instant waitsUntil) {
        public Waiting {
            Objects.requireNonNull(interaction, "interaction");
            Objects.requireNonNull(queuedAt, "queuedAt");
            orderAt = orderAt == null ? queuedAt : orderAt;
            excludedAgents = excludedAgents == null ? Set.of() : Set.copyOf(excludedAgents);
            waitsFor = waitsFor == null ? "" : waitsFor;
        }

        public static Waiting of(Interaction interaction, Instant queuedAt) {
            return new Waiting(interaction, queuedAt, queuedAt, false, false, Set.of(), "", null);
        }
    }

    public static Builder builder(String tenantId) {
        return new Builder(tenantId);
    }

    /** Collects the parts in any order; {@link #build()} makes the value. */
    public static final class Builder {
        private final String tenantId;
        private final List<Presence> presence = new ArrayList<>();
        private final List<LastAgent> lastAgent = new ArrayList<>();
        private final List<Assigned> assigned = new ArrayList<>();
        private final List<Waiting> waiting = new ArrayList<>();

        private Builder(String tenantId) {
            this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
        }

        public Builder presence(Presence p) {
            presence.add(p);
            return this;
        }

        public Builder lastAgent(LastAgent l) {
            lastAgent.add(l);
            return this;
        }

        public Builder assigned(Assigned a) {
            assigned.add(a);
            return this;
        }

        public Builder waiting(Waiting w) {
            waiting.add(w);
            return this;
        }

        public AcdRestore build() {
            return new AcdRestore(tenantId, presence, lastAgent, assigned, waiting);
        }
    }
}
