package io.musubi.hub.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.api.HistogramSnapshot;
import io.musubi.api.MetricWriter;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import io.musubi.testkit.Await;
import io.musubi.testkit.ManualClock;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcdMetricsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private AcdEngine acd;

    @BeforeEach
    void setUp() {
        acd = Acd.newEngine(clock);
        acd.defineQueue(QueueDefinition.builder("acme/support").channels(Channel.values()).build());
        acd.defineQueue(QueueDefinition.builder("beta/sales").channels(Channel.values()).build());
        acd.defineAgent(AgentDefinition.builder("acme/alice").build());
        acd.defineAgent(AgentDefinition.builder("acme/bob").build());
        acd.defineAgent(AgentDefinition.builder("beta/carol").build());
        acd.setPresence("acme/bob", PresenceState.LUNCH, "", Actors.agent("bob"));
    }

    private static Interaction interaction(String id, String tenant, String queue, Instant arrived) {
        return new Interaction(id, tenant, Channel.LINE, "c-" + id, Address.parse("line:U" + id), null, "", queue, 0,
                Map.of(), InteractionState.NEW, arrived, arrived, "", "");
    }

    @Test
    void waitingLongestWaitAndAgentsByPresenceAreReadFromTheEnginePerTenantAndQueue() {
        acd.enqueue(interaction("i-1", "acme", "acme/support", T0));
        clock.advance(Duration.ofSeconds(30));
        acd.enqueue(interaction("i-2", "acme", "acme/support", clock.instant()));
        acd.tick();

        Samples s = collect(new AcdMetrics(acd));

        assertThat(s.gauges).containsEntry("musubi_acd_queue_waiting{queue=support,tenant=acme}", 2.0)
                .containsEntry("musubi_acd_queue_waiting{queue=sales,tenant=beta}", 0.0)
                .containsEntry("musubi_acd_queue_longest_wait_seconds{queue=support,tenant=acme}", 30.0)
                .containsEntry("musubi_acd_queue_open{queue=support,tenant=acme}", 1.0)
                .containsEntry("musubi_acd_agents{state=OFFLINE,tenant=acme}", 1.0)
                .containsEntry("musubi_acd_agents{state=LUNCH,tenant=acme}", 1.0)
                .containsEntry("musubi_acd_agents{state=AVAILABLE,tenant=acme}", 0.0)
                .containsEntry("musubi_acd_agents{state=OFFLINE,tenant=beta}", 1.0);
        assertThat(s.gauges.keySet().stream().filter(k -> k.startsWith("musubi_acd_agents{"))).hasSize(2 * 11);
        assertThat(s.counters).containsEntry("musubi_acd_queue_offered_total{queue=support,tenant=acme}", 0.0);
    }

    @Test
    void theFirstOfferOfEachInteractionIsTimedFromItsArrivalAndReoffersAreNotCountedAgain() {
        OfferLatency latency = new OfferLatency(acd);
        acd.enqueue(interaction("i-1", "acme", "acme/support", T0.minusMillis(1500)));
        clock.advance(Duration.ofSeconds(4));
        acd.setPresence("acme/alice", PresenceState.AVAILABLE, "", Actors.agent("alice"));
        Await.until("the offer timed", Duration.ofSeconds(10),
                () -> collect(latency).histograms.containsKey("musubi_acd_offer_latency_seconds{channel=LINE}"));
        acd.reject("i-1", "acme/alice", "busy");
        acd.setPresence("acme/bob", PresenceState.AVAILABLE, "", Actors.agent("bob"));
        // Listeners run on the commanding thread once the command is done: bob's offer has been seen.
        assertThat(acd.interaction("i-1").orElseThrow().agentId()).isEqualTo("acme/bob");
        assertThat(acd.interaction("i-1").orElseThrow().state()).isEqualTo(InteractionState.OFFERED);

        HistogramSnapshot h = collect(latency).histograms.get("musubi_acd_offer_latency_seconds{channel=LINE}");

        assertThat(h.count()).isEqualTo(1);
        assertThat(h.sum()).isBetween(5.44, 5.56); // 1.5 s before the engine's start + 4 s waiting for an agent
        double[] bounds = h.upperBounds();
        for (int i = 0; i < bounds.length; i++) {
            assertThat(h.cumulativeCounts()[i]).as("le " + bounds[i]).isEqualTo(bounds[i] >= 5.5 ? 1 : 0);
        }
        latency.deactivate();
    }

    /** What a source wrote, keyed {@code name{label=value,...}} with the labels in name order. */
    private static Samples collect(Object source) {
        Samples s = new Samples();
        ((io.musubi.api.MetricSource) source).collect(s);
        return s;
    }

    private static final class Samples implements MetricWriter {
        final Map<String, Double> gauges = new HashMap<>();
        final Map<String, Double> counters = new HashMap<>();
        final Map<String, HistogramSnapshot> histograms = new HashMap<>();

        private static String key(String name, Map<String, String> labels) {
            return name + new TreeMap<>(labels).toString().replace(", ", ",");
        }

        @Override
        public void counter(String name, String help, Map<String, String> labels, double value) {
            assertThat(counters.put(key(name, labels), value)).as("repeated series").isNull();
        }

        @Override
        public void gauge(String name, String help, Map<String, String> labels, double value) {
            assertThat(gauges.put(key(name, labels), value)).as("repeated series").isNull();
        }

        @Override
        public void histogram(String name, String help, Map<String, String> labels, HistogramSnapshot histogram) {
            histograms.put(key(name, labels), histogram);
        }
    }
}
