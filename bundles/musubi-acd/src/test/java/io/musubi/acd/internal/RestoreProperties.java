package io.musubi.acd.internal;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdConfig;
import io.musubi.acd.AcdListener;
import io.musubi.acd.AcdRestore;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.AgentStatus;
import io.musubi.testkit.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;
import io.musubi.model.ScopedId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery (issue #11): an engine is taken through random commands (the {@link RoutingProperties} contact centre of
 * two tenants), the store is modelled as a fold of the events it emitted, a fresh engine is built from that fold with
 * {@link io.musubi.acd.AcdEngine#restore} (one call per tenant) and compared with the first: waiting lists, assigned
 * work, loads, presence with its since-time, pins, last-agent answers.
 *
 * <p>The interaction rows (priority, address ...) are read from the first engine, as the hub reads its interaction
 * table; everything about routing state comes from the events. Channel toggles and call-backs are not in the steps:
 * the store does not hold toggles, and parked call-backs are not restored (docs/acd.md, Recovery).
 */
class RestoreProperties {

    private static final int[] KINDS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 19};
    private static final Set<String> NOT_EXCLUDING = Set.of("withdrawn", "offline", "transferred", "force-assigned");

    @Provide
    Arbitrary<List<RoutingProperties.Step>> steps() {
        Arbitrary<RoutingProperties.Step> step = Combinators.combine(Arbitraries.of(toList(KINDS)),
                Arbitraries.integers().between(0, 9999), Arbitraries.integers().between(0, 9999),
                Arbitraries.integers().between(0, 9999)).as(RoutingProperties.Step::new);
        return step.list().ofMinSize(1).ofMaxSize(80);
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int i : a) {
            l.add(i);
        }
        return l;
    }

    /** Offers answered before the snapshot: the restored engine must equal the first one exactly, with no event. */
    @Property(tries = 150, seed = "")
    void aRestoredEngineEqualsTheOriginal(@ForAll("steps") List<RoutingProperties.Step> steps) {
        RoutingProperties.Sim sim = new RoutingProperties.Sim();
        Fold store = new Fold();
        sim.acd.addListener(store);
        for (RoutingProperties.Step s : steps) {
            sim.apply(s);
        }
        for (List<String[]> offers = sim.offers(); !offers.isEmpty(); offers = sim.offers()) {
            sim.acd.accept(offers.get(0)[1], offers.get(0)[0]);
        }
        Restored b = restore(sim, store);

        assertThat(b.events).as("events of the restore").isEmpty();
        for (String q : sim.queues) {
            assertThat(b.acd.waiting(q)).as("waiting in %s", q).isEqualTo(sim.acd.waiting(q));
        }
        for (String agent : sim.agents) {
            AgentStatus x = sim.acd.agent(agent).orElseThrow();
            AgentStatus y = b.acd.agent(agent).orElseThrow();
            assertThat(y.state()).as("state of %s", agent).isEqualTo(x.state());
            assertThat(y.reasonCode()).as("reason of %s", agent).isEqualTo(x.reasonCode());
            if (store.presence.containsKey(agent)) {       // else: never changed since its definition
                assertThat(y.since()).as("since of %s", agent).isEqualTo(x.since());
            }
            assertThat(y.load()).as("load of %s", agent).isEqualTo(x.load());
            assertThat(new HashSet<>(y.assigned())).as("assigned to %s", agent).isEqualTo(new HashSet<>(x.assigned()));
            assertThat(y.offered()).isEmpty();
            assertThat(new HashSet<>(y.pinned())).as("pinned to %s", agent).isEqualTo(new HashSet<>(x.pinned()));
            assertThat(y.routableChannels()).as("routable for %s", agent).isEqualTo(x.routableChannels());
            for (String id : x.assigned()) {
                assertThat(b.acd.interaction(id).orElseThrow().state()).isEqualTo(
                        sim.acd.interaction(id).orElseThrow().state());
            }
        }
        for (String t : RoutingProperties.Sim.TENANTS) {
            for (int c = 0; c < 5; c++) {
                assertThat(b.acd.lastAgent(t, "c" + c)).as("last agent of %s|c%s", t, c)
                        .isEqualTo(sim.acd.lastAgent(t, "c" + c));
            }
        }
        assertThat(b.acd.checkIndexes()).isEmpty();
    }

    /** With offers in flight: they come back waiting and routing may offer them afresh, nothing else changes. */
    @Property(tries = 100, seed = "")
    void offersInFlightComeBackAsWaiting(@ForAll("steps") List<RoutingProperties.Step> steps) {
        RoutingProperties.Sim sim = new RoutingProperties.Sim();
        Fold store = new Fold();
        sim.acd.addListener(store);
        for (RoutingProperties.Step s : steps) {
            sim.apply(s);
        }
        Restored b = restore(sim, store);

        assertThat(b.events).as("events of the restore: fresh offers and the presence they change").allSatisfy(e -> {
            if (e instanceof InteractionEvent ie) {
                assertThat(ie.type()).isEqualTo(InteractionEventType.OFFERED);
            } else {
                assertThat(e).isInstanceOf(PresenceChange.class);
            }
        });
        Set<String> open = new HashSet<>();
        Set<String> openAfter = new HashSet<>();
        for (String q : sim.queues) {
            sim.acd.waiting(q).forEach(w -> open.add(w.interactionId()));
            b.acd.waiting(q).forEach(w -> openAfter.add(w.interactionId()));
        }
        for (String agent : sim.agents) {
            AgentStatus x = sim.acd.agent(agent).orElseThrow();
            AgentStatus y = b.acd.agent(agent).orElseThrow();
            open.addAll(x.offered());
            openAfter.addAll(y.offered());
            assertThat(new HashSet<>(y.assigned())).as("assigned to %s", agent).isEqualTo(new HashSet<>(x.assigned()));
            AgentDefinition d = sim.agentDefs.get(agent);
            y.load().forEach((ch, n) -> assertThat(n).as("load of %s on %s", agent, ch)
                    .isLessThanOrEqualTo(d.capacity(ch)));
        }
        assertThat(openAfter).isEqualTo(open);
        assertThat(b.acd.checkIndexes()).isEmpty();
    }

    record Restored(AcdCore acd, List<Object> events) {
    }

    static Restored restore(RoutingProperties.Sim sim, Fold store) {
        ManualClock clock = ManualClock.at(sim.clock.instant().toString());
        AcdCore b = new AcdCore(AcdConfig.defaults(), clock);
        for (AgentDefinition d : sim.agentDefs.values()) {
            b.defineAgent(d);
        }
        for (QueueDefinition d : sim.queueDefs.values()) {
            b.defineQueue(d);
        }
        List<Object> events = new ArrayList<>();
        b.addListener(new AcdListener() {
            @Override
            public void onInteractionEvent(InteractionEvent event) {
                events.add(event);
            }

            @Override
            public void onPresenceChange(PresenceChange change) {
                events.add(change);
            }
        });
        for (String t : RoutingProperties.Sim.TENANTS) {
            b.restore(store.snapshot(t, id -> sim.acd.interaction(id).orElseThrow()));
        }
        return new Restored(b, events);
    }

    /** The store, as a fold of the engine's events: what the hub's recorder would hold. */
    static final class Fold implements AcdListener {
        static final class Row {
            String tenant;
            String queue;
            InteractionState state;
            Instant queuedAt;
            boolean requeued;
            final Set<String> excluded = new HashSet<>();
            String waitsFor = "";
            Instant waitsUntil;
            String agent;
            Instant acceptedAt;
            Instant since;
            boolean setAside;
        }

        record Presence(PresenceState state, String reason, Instant since) {
        }

        record Last(String agent, Channel channel, Instant at) {
        }

        /** Interactions open in the store, in the order of their first event (arrival order). */
        final Map<String, Row> rows = new LinkedHashMap<>();
        final Map<String, Presence> presence = new LinkedHashMap<>();
        final Map<String, Map<String, Last>> last = new HashMap<>();

        @Override
        public void onPresenceChange(PresenceChange c) {
            presence.put(c.agentId(), new Presence(c.to(), c.reasonCode(), c.timestamp()));
            if (c.to() == PresenceState.OFFLINE) {
                rows.values().forEach(r -> {
                    if (r.waitsFor.equals(c.agentId())) {
                        r.waitsFor = "";
                        r.waitsUntil = null;
                    }
                });
            }
        }

        @Override
        public void onInteractionEvent(InteractionEvent e) {
            Map<String, String> at = e.attributes();
            String agent = at.get(AcdAttributes.AGENT_ID);
            Row r = rows.computeIfAbsent(e.interactionId(), k -> new Row());
            r.tenant = e.tenantId();
            switch (e.type()) {
                case QUEUED -> {
                    r.state = InteractionState.QUEUED;
                    r.queue = at.get(AcdAttributes.QUEUE_ID);
                    r.agent = null;
                    if (at.containsKey(AcdAttributes.REASON)) {
                        r.requeued = true;
                    } else {
                        r.queuedAt = e.timestamp();
                        r.requeued = false;
                        r.waitsFor = at.getOrDefault(AcdAttributes.WAITS_FOR, "");
                        r.waitsUntil = at.containsKey(AcdAttributes.WAITS_UNTIL)
                                ? Instant.parse(at.get(AcdAttributes.WAITS_UNTIL)) : null;
                    }
                }
                case OFFERED -> {
                    r.state = InteractionState.OFFERED;
                    r.waitsFor = "";
                }
                case REJECTED -> {
                    if (!NOT_EXCLUDING.contains(at.get(AcdAttributes.REASON))) {
                        r.excluded.add(agent);
                    }
                }
                case OFFER_TIMEOUT -> r.excluded.add(agent);
                case ACCEPTED -> {
                    r.state = InteractionState.CONNECTED;
                    r.agent = agent;
                    r.acceptedAt = e.timestamp();
                    r.since = e.timestamp();
                    r.waitsFor = "";
                    if (!e.customerId().isEmpty()) {
                        last.computeIfAbsent(e.tenantId(), k -> new HashMap<>()).put(e.customerId(),
                                new Last(agent, e.channel(), e.timestamp()));
                    }
                }
                case HELD -> {
                    r.state = InteractionState.HELD;
                    r.since = e.timestamp();
                    r.setAside = "set-aside".equals(at.get(AcdAttributes.REASON));
                }
                case RESUMED -> {
                    r.state = InteractionState.CONNECTED;
                    r.since = e.timestamp();
                    r.setAside = false;
                }
                case WRAP_UP -> {
                    r.state = InteractionState.WRAP_UP;
                    r.since = e.timestamp();
                }
                case TRANSFERRED -> {
                    if (agent != null) {
                        r.excluded.remove(agent);
                    }
                    r.agent = null;
                    r.waitsFor = "";
                    if (at.containsKey(AcdAttributes.QUEUE_ID)) {
                        r.queue = at.get(AcdAttributes.QUEUE_ID);
                    }
                }
                case ENDED, ABANDONED -> rows.remove(e.interactionId());
                default -> {
                }
            }
        }

        AcdRestore snapshot(String tenant, java.util.function.Function<String, Interaction> interactionRow) {
            AcdRestore.Builder b = AcdRestore.builder(tenant);
            presence.forEach((agent, p) -> {
                if (ScopedId.tenantOf(agent, "default").equals(tenant)) {
                    b.presence(new AcdRestore.Presence(agent, p.state(), p.reason(), p.since()));
                }
            });
            last.getOrDefault(tenant, Map.of()).forEach((customer, l) ->
                    b.lastAgent(new AcdRestore.LastAgent(customer, l.agent(), l.channel(), l.at())));
            rows.forEach((id, r) -> {
                if (!r.tenant.equals(tenant)) {
                    return;
                }
                Interaction row = interactionRow.apply(id);
                Interaction i = new Interaction(id, r.tenant, row.channel(), row.customerId(), row.from(), row.to(),
                        row.threadKey(), r.queue, row.priority(), row.attributes(), InteractionState.NEW,
                        row.createdAt(), null, "", "");
                switch (r.state) {
                    case QUEUED, OFFERED -> b.waiting(new AcdRestore.Waiting(i, r.queuedAt, r.queuedAt, false,
                            r.requeued || r.state == InteractionState.OFFERED, r.excluded, r.waitsFor,
                            r.waitsUntil));
                    case CONNECTED, HELD, WRAP_UP -> b.assigned(new AcdRestore.Assigned(i, r.agent, r.state,
                            r.queuedAt, r.acceptedAt, r.since, r.setAside));
                    default -> throw new IllegalStateException(id + " " + r.state);
                }
            });
            return b.build();
        }
    }
}
