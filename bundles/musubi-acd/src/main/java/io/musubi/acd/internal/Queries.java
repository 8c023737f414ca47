package io.musubi.acd.internal;

import io.musubi.acd.AgentStatus;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.QueueStatistics;
import io.musubi.acd.WaitingInteraction;
import io.musubi.model.Interaction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The answers to the engine's read-only queries (agents, queues, statistics, waiting lists, an interaction, a
 * customer's last agent) as snapshots built by {@link Views} at a given time, and the reset of the statistics
 * counters.
 *
 * <p>No lock of its own: the engine calls it under its lock. It reads; apart from {@link #resetStatistics} it changes
 * nothing, and it never calls back into the engine.
 */
final class Queries {
    private final EngineTime time;
    private final Topology topology;
    private final OpenInteractions open;
    private final LastAgentRegistry lastAgents;

    Queries(EngineTime time, Topology topology, OpenInteractions open, LastAgentRegistry lastAgents) {
        this.time = time;
        this.topology = topology;
        this.open = open;
        this.lastAgents = lastAgents;
    }

    List<AgentStatus> agents(long t) {
        List<AgentStatus> out = new ArrayList<>(topology.agentCount());
        for (AgentState a : topology.agentsByOrdinal()) {
            if (a != null) {
                out.add(Views.status(a, t));
            }
        }
        return out;
    }

    Optional<AgentStatus> agent(String agentId, long t) {
        AgentState a = topology.agent(agentId);
        return a == null ? Optional.empty() : Optional.of(Views.status(a, t));
    }

    List<QueueDefinition> queues() {
        List<QueueDefinition> out = new ArrayList<>();
        for (QueueState q : topology.queues()) {
            out.add(q.def);
        }
        return out;
    }

    Optional<QueueDefinition> queue(String queueId) {
        QueueState q = topology.queue(queueId);
        return q == null ? Optional.empty() : Optional.of(q.def);
    }

    Optional<QueueStatistics> queueStatistics(String queueId, long t) {
        QueueState q = topology.queue(queueId);
        return q == null ? Optional.empty() : Optional.of(Views.statistics(q, t));
    }

    List<QueueStatistics> queueStatistics(long t) {
        List<QueueStatistics> out = new ArrayList<>();
        for (QueueState q : topology.queues()) {
            out.add(Views.statistics(q, t));
        }
        return out;
    }

    /** The queue's waiting list at the command time (ordered as routing would take it). */
    List<WaitingInteraction> waiting(String queueId) {
        QueueState q = topology.queue(queueId);
        if (q == null) {
            throw new NoSuchElementException("no queue " + queueId);
        }
        return Views.waiting(q, time.now, time.epoch);
    }

    Optional<Interaction> interaction(String interactionId) {
        WorkItem w = open.get(interactionId);
        if (w == null) {
            return Optional.empty();
        }
        Interaction s = w.src;
        String agent = w.agent == null ? "" : w.agent.id();
        return Optional.of(new Interaction(s.id(), s.tenantId(), s.channel(), s.customerId(), s.from(), s.to(),
                s.threadKey(), w.queueId(), w.priority, s.attributes(), w.state, s.createdAt(),
                Instant.ofEpochMilli(w.updatedAt), agent, w.disposition));
    }

    Optional<String> lastAgent(String tenantId, String customerId) {
        TenantState t = topology.existingTenant(tenantId);
        LastAgentRecord r = t == null ? null : lastAgents.get(t, customerId);
        return r == null ? Optional.empty() : Optional.of(r.agentId);
    }

    /** Counting starts again at {@code t}: queue counters, handled per channel, logged-in and busy times. */
    void resetStatistics(long t) {
        for (QueueState q : topology.queues()) {
            q.resetStatistics();
        }
        for (AgentState a : topology.agentsByOrdinal()) {
            if (a != null) {
                Arrays.fill(a.handled, 0);
                a.loggedInAccum = 0;
                a.busyAccum = 0;
                if (a.loggedInSince >= 0) {
                    a.loggedInSince = t;
                }
                if (a.busySince >= 0) {
                    a.busySince = t;
                }
            }
        }
    }
}
