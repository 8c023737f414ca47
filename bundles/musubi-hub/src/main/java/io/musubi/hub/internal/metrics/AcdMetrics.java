package io.musubi.hub.internal.metrics;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.AgentStatus;
import io.musubi.acd.QueueStatistics;
import io.musubi.api.MetricSource;
import io.musubi.api.MetricWriter;
import io.musubi.model.PresenceState;
import io.musubi.model.ScopedId;

import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The ACD's real-time picture, read from the engine at scrape time: per tenant and queue the waiting interactions,
 * the longest wait, whether it is open, and its offered / answered / abandoned counts (since the engine started or its
 * statistics were reset: Prometheus takes a drop for a counter reset); per tenant the agents in each presence state
 * (every state, zeros included, so a series never disappears). Labels are tenant and queue ids (local part) and
 * states: bounded by the definitions, never by traffic.
 */
@Component(service = MetricSource.class)
public final class AcdMetrics implements MetricSource {

    /** The tenant of an id written without one (the engine's default tenant). */
    static final String DEFAULT_TENANT = "default";

    private final AcdEngine acd;

    @Activate
    public AcdMetrics(@Reference AcdEngine acd) {
        this.acd = acd;
    }

    @Override
    public void collect(MetricWriter out) {
        for (QueueStatistics q : acd.queueStatistics()) {
            Map<String, String> labels = Map.of("tenant", ScopedId.tenantOf(q.queueId(), DEFAULT_TENANT),
                    "queue", ScopedId.localOf(q.queueId()));
            out.gauge("musubi_acd_queue_waiting", "Interactions waiting in the queue (not yet offered, or back after "
                    + "a reject or timeout)", labels, q.waiting());
            out.gauge("musubi_acd_queue_longest_wait_seconds", "Longest time an interaction of the queue has waited "
                    + "unanswered now (ringing included)", labels, q.longestWait().toMillis() / 1000.0);
            out.gauge("musubi_acd_queue_open", "1 while the queue is open (opening hours), else 0", labels,
                    q.open() ? 1 : 0);
            out.counter("musubi_acd_queue_offered_total", "Offers made (one per agent rung)", labels, q.offered());
            out.counter("musubi_acd_queue_answered_total", "Interactions accepted", labels, q.answered());
            out.counter("musubi_acd_queue_abandoned_total", "Interactions abandoned while queued or ringing", labels,
                    q.abandoned());
        }
        Map<String, int[]> byTenant = new TreeMap<>();
        for (AgentStatus a : acd.agents()) {
            byTenant.computeIfAbsent(ScopedId.tenantOf(a.agentId(), DEFAULT_TENANT),
                    t -> new int[PresenceState.values().length])[a.state().ordinal()]++;
        }
        byTenant.forEach((tenant, counts) -> {
            for (PresenceState state : PresenceState.values()) {
                out.gauge("musubi_acd_agents", "Agents by effective presence (BUSY and WRAP_UP derived)",
                        Map.of("tenant", tenant, "state", state.name()), counts[state.ordinal()]);
            }
        });
    }
}
