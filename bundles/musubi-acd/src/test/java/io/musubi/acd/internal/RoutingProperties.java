package io.musubi.acd.internal;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdConfig;
import io.musubi.acd.AcdListener;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.AgentStatus;
import io.musubi.acd.ChannelRules;
import io.musubi.acd.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.StickyConfig;
import io.musubi.acd.Strategies;
import io.musubi.acd.WaitingInteraction;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.musubi.model.Channel.EMAIL;
import static io.musubi.model.Channel.LINE;
import static io.musubi.model.Channel.VIDEO;
import static io.musubi.model.Channel.VOICE;
import static io.musubi.model.Channel.WEBCHAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based tests of the routing invariants over random sequences of arrivals, presence changes, accepts,
 * rejects, timeouts (time advancing), ends, abandons and channel toggles. The invariants are checked against a model
 * rebuilt from the emitted events and against the engine's snapshots after every step.
 */
class RoutingProperties {

    record Step(int kind, int a, int b, int c) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 14),
                Arbitraries.integers().between(0, 9999), Arbitraries.integers().between(0, 9999),
                Arbitraries.integers().between(0, 9999)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(90);
    }

    @Property(tries = 250, seed = "")
    void routingInvariantsHold(@ForAll("steps") List<Step> steps) {
        new Sim().run(steps);
    }

    /** One simulated contact centre with an event-derived model of who holds what. */
    static final class Sim implements AcdListener {
        static final String[] AGENTS = {"a0", "a1", "a2", "a3", "a4"};
        static final String[] QUEUES = {"qv", "qc", "qe", "qp"};
        static final Set<String> FIFO_QUEUES = Set.of("qc");
        static final Set<String> STICKY_QUEUES = Set.of("qv", "qe");
        static final PresenceState[] STATES = {PresenceState.AVAILABLE, PresenceState.AVAILABLE, PresenceState.AVAILABLE,
                PresenceState.BREAK, PresenceState.OFFLINE, PresenceState.DND};

        final ManualClock clock = ManualClock.at("2025-04-01T00:00:00Z");
        final ChannelRules rules = ChannelRules.defaults();
        final AcdCore acd = new AcdCore(AcdConfig.defaults(), clock);
        final Map<String, AgentDefinition> agentDefs = new LinkedHashMap<>();
        final Map<String, QueueDefinition> queueDefs = new LinkedHashMap<>();

        final Map<String, Map<String, Channel>> holding = new HashMap<>();
        final Map<String, Set<String>> excluded = new HashMap<>();
        final Map<String, String> lastAgentOf = new HashMap<>();
        final Map<String, String> customerOf = new HashMap<>();
        final Map<String, String> queueOf = new HashMap<>();
        final Map<String, List<String>> neverOffered = new HashMap<>();
        final Set<String> everOffered = new HashSet<>();
        final List<String> violations = new ArrayList<>();
        int next;

        Sim() {
            def(AgentDefinition.builder("a0").skill("s1", 3));
            def(AgentDefinition.builder("a1").skill("s1", 1).sharedCapacity(3).cost(VOICE, 3).cost(VIDEO, 3));
            def(AgentDefinition.builder("a2").onlyChannels(VOICE, VIDEO, EMAIL).capacity(EMAIL, 2));
            def(AgentDefinition.builder("a3").skill("s1", 2).capacity(WEBCHAT, 2).capacity(LINE, 1));
            def(AgentDefinition.builder("a4").skill("s1", 5).channelPriority(EMAIL, LINE));
            queue(QueueDefinition.builder("qv").channels(VOICE).sticky(StickyConfig.preferred())
                    .wrapUp(Duration.ofSeconds(10)));
            // FIFO is checked here, so last-agent routing (on by default) is off.
            queue(QueueDefinition.builder("qc").channels(WEBCHAT, LINE).requireSkill("s1", 2)
                    .sticky(StickyConfig.disabled()));
            queue(QueueDefinition.builder("qe").channels(EMAIL).sticky(StickyConfig.required())
                    .maxWait(Duration.ofSeconds(120)));
            queue(QueueDefinition.builder("qp").channels(VOICE, VIDEO).strategy(Strategies.LEAST_OCCUPIED)
                    .agingWeight(0.5).priority(1));
            acd.addListener(this);
            for (String a : AGENTS) {
                holding.put(a, new LinkedHashMap<>());
            }
        }

        void def(AgentDefinition.Builder b) {
            AgentDefinition d = b.build();
            agentDefs.put(d.id(), d);
            acd.defineAgent(d);
        }

        void queue(QueueDefinition.Builder b) {
            QueueDefinition d = b.build();
            queueDefs.put(d.id(), d);
            acd.defineQueue(d);
        }

        boolean member(String agent, String queue) {
            AgentDefinition a = agentDefs.get(agent);
            return queueDefs.get(queue).requiredSkills().entrySet().stream()
                    .allMatch(e -> a.skillLevel(e.getKey()) >= e.getValue());
        }

        void run(List<Step> steps) {
            for (Step s : steps) {
                apply(s);
                check(s);
            }
        }

        void apply(Step s) {
            switch (s.kind()) {
                case 0, 1, 2, 3 -> arrive(s);
                case 4, 5 -> {
                    List<String[]> offers = offers();
                    if (!offers.isEmpty()) {
                        String[] o = offers.get(s.a() % offers.size());
                        acd.accept(o[1], o[0]);
                    }
                }
                case 6 -> {
                    List<String[]> offers = offers();
                    if (!offers.isEmpty()) {
                        String[] o = offers.get(s.a() % offers.size());
                        acd.reject(o[1], o[0], "no");
                    }
                }
                case 7, 8 -> {
                    clock.advance(Duration.ofSeconds(1 + s.a() % 40));
                    acd.tick();
                }
                case 9, 10 -> {
                    List<String> assigned = new ArrayList<>();
                    for (AgentStatus a : acd.agents()) {
                        assigned.addAll(a.assigned());
                    }
                    if (!assigned.isEmpty()) {
                        String id = assigned.get(s.a() % assigned.size());
                        InteractionState st = acd.interaction(id).orElseThrow().state();
                        if (st == InteractionState.WRAP_UP) {
                            acd.completeWrapUp(id, "", Actors.SYSTEM);
                        } else if (s.b() % 5 == 0 && st == InteractionState.CONNECTED) {
                            acd.hold(id, Actors.SYSTEM);
                        } else {
                            acd.end(id, Actors.SYSTEM);
                        }
                    }
                }
                case 11, 12 -> {
                    String agent = AGENTS[s.a() % AGENTS.length];
                    acd.setPresence(agent, STATES[s.b() % STATES.length], "", Actors.agent(agent));
                }
                case 13 -> {
                    List<String> waiting = new ArrayList<>();
                    for (String q : QUEUES) {
                        acd.waiting(q).forEach(w -> waiting.add(w.interactionId()));
                    }
                    if (!waiting.isEmpty()) {
                        acd.abandon(waiting.get(s.a() % waiting.size()));
                    }
                }
                case 14 -> {
                    String agent = AGENTS[s.a() % AGENTS.length];
                    Channel ch = new Channel[] {VOICE, WEBCHAT, LINE, EMAIL, VIDEO}[s.b() % 5];
                    acd.setChannelEnabled(agent, ch, s.c() % 3 != 0, Actors.agent(agent));
                }
                default -> throw new IllegalStateException();
            }
        }

        List<String[]> offers() {
            List<String[]> out = new ArrayList<>();
            for (AgentStatus a : acd.agents()) {
                for (String id : a.offered()) {
                    out.add(new String[] {a.agentId(), id});
                }
            }
            return out;
        }

        void arrive(Step s) {
            String q = QUEUES[s.a() % QUEUES.length];
            List<Channel> chans = new ArrayList<>(queueDefs.get(q).channels());
            Channel ch = chans.get(s.b() % chans.size());
            String customer = "c" + (s.c() % 5);
            int priority = q.equals("qp") ? s.c() % 4 : 0;
            String id = "i" + (next++);
            clock.advance(Duration.ofMillis(s.c() % 400));
            acd.tick();
            // the customer's last agent, if it can take this channel right now, must get the offer at once
            String expected = null;
            String last = lastAgentOf.get(customer);
            if (STICKY_QUEUES.contains(q) && last != null && member(last, q)
                    && acd.agent(last).orElseThrow().routableChannels().contains(ch)) {
                expected = last;
            }
            customerOf.put(id, customer);
            queueOf.put(id, q);
            Interaction i = new Interaction(id, "t", ch, customer, Address.of("x", id), null, "", q, priority, Map.of(),
                    InteractionState.NEW, clock.instant(), null, "", "");
            acd.enqueue(i);
            if (expected != null) {
                List<String> to = new ArrayList<>();
                for (AgentStatus a : acd.agents()) {
                    if (a.offered().contains(id)) {
                        to.add(a.agentId());
                    }
                }
                if (!to.equals(List.of(expected))) {
                    violations.add("sticky: " + id + " of " + customer + " offered to " + to + ", last agent "
                            + expected + " had capacity");
                }
            }
        }

        // ------------------------------------------------------------ event-derived model

        @Override
        public void onInteractionEvent(InteractionEvent e) {
            String id = e.interactionId();
            String agent = e.attributes().get(AcdAttributes.AGENT_ID);
            switch (e.type()) {
                case QUEUED -> {
                    if (!everOffered.contains(id) && !e.attributes().containsKey(AcdAttributes.REASON)) {
                        neverOffered.computeIfAbsent(queueOf.get(id) + "/" + e.channel(), k -> new ArrayList<>()).add(id);
                    }
                }
                case OFFERED -> {
                    for (Map.Entry<String, Map<String, Channel>> h : holding.entrySet()) {
                        if (h.getValue().containsKey(id)) {
                            violations.add("double offer: " + id + " offered to " + agent + " while held by " + h.getKey());
                        }
                    }
                    Map<String, Channel> mine = holding.get(agent);
                    for (Channel b : mine.values()) {
                        if (b != e.channel() && rules.blockedBy(b).contains(e.channel())) {
                            violations.add("blocked: " + e.channel() + " " + id + " offered to " + agent + " during " + b);
                        }
                    }
                    long same = mine.values().stream().filter(c -> c == e.channel()).count();
                    if (same + 1 > agentDefs.get(agent).capacity(e.channel())) {
                        violations.add("over capacity: " + agent + " " + e.channel() + " " + (same + 1));
                    }
                    if (excluded.getOrDefault(id, Set.of()).contains(agent)) {
                        violations.add("re-offer: " + id + " offered again to " + agent);
                    }
                    String key = queueOf.get(id) + "/" + e.channel();
                    List<String> order = neverOffered.getOrDefault(key, new ArrayList<>());
                    if (!everOffered.contains(id) && FIFO_QUEUES.contains(queueOf.get(id)) && !order.isEmpty()
                            && !order.get(0).equals(id)) {
                        violations.add("FIFO: " + id + " offered before older " + order.get(0) + " in " + key);
                    }
                    order.remove(id);
                    everOffered.add(id);
                    mine.put(id, e.channel());
                }
                case REJECTED, OFFER_TIMEOUT -> {
                    holding.get(agent).remove(id);
                    if (e.type() == InteractionEventType.OFFER_TIMEOUT
                            || "no".equals(e.attributes().get(AcdAttributes.REASON))) {
                        excluded.computeIfAbsent(id, k -> new HashSet<>()).add(agent);
                    }
                }
                case ACCEPTED -> {
                    if (!holding.get(agent).containsKey(id)) {
                        violations.add("accepted without offer: " + id);
                    }
                    lastAgentOf.put(customerOf.get(id), agent);
                }
                case ENDED, ABANDONED -> {
                    holding.values().forEach(m -> m.remove(id));
                    neverOffered.values().forEach(l -> l.remove(id));
                }
                default -> {
                }
            }
        }

        // ------------------------------------------------------------ snapshot checks

        void check(Step s) {
            List<AgentStatus> agents = acd.agents();
            Map<String, AgentStatus> byId = new HashMap<>();
            for (AgentStatus a : agents) {
                byId.put(a.agentId(), a);
                AgentDefinition d = agentDefs.get(a.agentId());
                boolean blocking = false;
                int total = 0;
                int nonInterruptible = 0;
                for (Map.Entry<Channel, Integer> l : a.load().entrySet()) {
                    if (l.getValue() > d.capacity(l.getKey())) {
                        violations.add("over capacity (snapshot): " + a.agentId() + " " + l);
                    }
                    blocking |= rules.blocksOthers(l.getKey());
                    total += l.getValue() * d.cost(l.getKey());
                    if (!rules.isInterruptible(l.getKey())) {
                        nonInterruptible += l.getValue() * d.cost(l.getKey());
                    }
                }
                if (d.sharedCapacity() > 0 && (blocking ? nonInterruptible : total) > d.sharedCapacity()) {
                    violations.add("over shared capacity: " + a.agentId() + " " + a.load());
                }
                if (!holding.get(a.agentId()).keySet().equals(new HashSet<>(concat(a.offered(), a.assigned())))) {
                    violations.add("model mismatch for " + a.agentId() + ": events say " + holding.get(a.agentId())
                            + ", engine " + a.offered() + " " + a.assigned());
                }
                if (a.state() == PresenceState.AVAILABLE && a.routableChannels().isEmpty()) {
                    violations.add("AVAILABLE without routable channel: " + a.agentId());
                }
            }
            for (String q : QUEUES) {
                for (WaitingInteraction w : acd.waiting(q)) {
                    Set<String> ex = excluded.getOrDefault(w.interactionId(), Set.of());
                    if (!w.pinnedAgentId().isEmpty()) {
                        String p = w.pinnedAgentId();
                        if (!ex.contains(p) && byId.get(p).routableChannels().contains(w.channel())) {
                            violations.add("not offered at once: " + w.interactionId() + " waits for " + p
                                    + " who can take it");
                        }
                        if (!byId.get(p).state().isLoggedIn()) {
                            violations.add("pinned to an offline agent: " + w.interactionId());
                        }
                        continue;
                    }
                    for (AgentStatus a : agents) {
                        if (member(a.agentId(), q) && !ex.contains(a.agentId())
                                && a.routableChannels().contains(w.channel())) {
                            violations.add("not offered at once: " + w.interactionId() + " in " + q + " while "
                                    + a.agentId() + " is free for " + w.channel());
                        }
                    }
                }
            }
            violations.addAll(acd.checkIndexes());
            assertThat(violations).as("after %s", s).isEmpty();
        }

        static List<String> concat(List<String> a, List<String> b) {
            List<String> out = new ArrayList<>(a);
            out.addAll(b);
            return out;
        }
    }
}
