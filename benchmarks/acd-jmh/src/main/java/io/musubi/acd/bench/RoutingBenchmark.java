package io.musubi.acd.bench;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdListener;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.StickyConfig;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.PresenceState;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Routing in steady state at 10 000 agents, 1 000 queues and 50 000 waiting interactions (see {@link Scenario}).
 *
 * <p>One operation = one agent ends an interaction (the engine releases its capacity and chooses the most urgent
 * waiting work among the agent's ~10 queues: <b>routing decision 1</b>), the offers are accepted, then a new
 * interaction arrives in a random queue (the engine looks for a free eligible agent, usually finds none and queues
 * it: <b>routing decision 2</b>). So decisions/s = 2 × ops/s. The engine path includes event emission to a listener
 * (the listener accepts the offers); the naive reference makes the same decisions by scanning all agents / all
 * waiting interactions, without events.
 *
 * <p>An agent whose call ends may take several chats or e-mails at once; every offer counts as one decision, and a
 * choice that finds nothing counts as one too. The {@code decisions} secondary result of the throughput benchmarks is
 * that rate.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-Xmn1g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Threads(1)
public class RoutingBenchmark {

    /** Routing decisions made, reported by JMH as a rate next to ops/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Decisions {
        public long decisions;

        @Setup(Level.Iteration)
        public void reset() {
            decisions = 0;
        }
    }

    @State(Scope.Benchmark)
    public static class Indexed implements AcdListener {
        final BenchClock clock = new BenchClock();
        AcdEngine acd;
        /** Offers seen by the listener, accepted by the harness (plain arrays: the harness should not allocate). */
        String[] offerId = new String[64];
        String[] offerAgent = new String[64];
        int offerCount;
        String[] connectedId = new String[1 << 18];
        String[] connectedAgent = new String[1 << 18];
        int connected;
        long next;
        long offeredCount;
        final SplittableRandom random = new SplittableRandom(7);

        @Setup(Level.Trial)
        public void setUp() {
            acd = Acd.newEngine(clock);
            for (int q = 0; q < Scenario.QUEUES; q++) {
                acd.defineQueue(QueueDefinition.builder("q" + q).channels(Scenario.channelOf(q)).requireSkill("s" + q, 1)
                        .sticky(StickyConfig.disabled()).build());   // the scenario has no last-agent routing
            }
            int[][] skills = Scenario.agentSkills(11);
            for (int a = 0; a < Scenario.AGENTS; a++) {
                AgentDefinition.Builder b = AgentDefinition.builder("a" + a);
                for (int s : skills[a]) {
                    b.skill("s" + s, 1 + (s % 10));
                }
                acd.defineAgent(b.build());
                acd.setPresence("a" + a, PresenceState.AVAILABLE, "", Actors.SYSTEM);
            }
            acd.addListener(this);
            while (next - offeredCount < Scenario.WAITING) {
                arrive();
            }
        }

        @Override
        public void onInteractionEvent(InteractionEvent event) {
            if (event.type() == InteractionEventType.OFFERED) {
                if (offerCount == offerId.length) {
                    offerId = java.util.Arrays.copyOf(offerId, offerCount * 2);
                    offerAgent = java.util.Arrays.copyOf(offerAgent, offerCount * 2);
                }
                offerId[offerCount] = event.interactionId();
                offerAgent[offerCount] = event.attributes().get(AcdAttributes.AGENT_ID);
                offerCount++;
                offeredCount++;
            }
        }

        void arrive() {
            clock.millis++;
            acd.enqueue(Scenario.interaction(next++, random.nextInt(Scenario.QUEUES), Scenario.T0));
            acceptOffers();
        }

        /** Ends one interaction, then one arrival; returns the routing decisions made. */
        long op() {
            long before = offeredCount;
            endOne();
            long picked = offeredCount - before;
            arrive();
            return Math.max(1, picked) + 1;
        }

        void acceptOffers() {
            // accepting emits no OFFERED, so the list does not grow while it is walked
            for (int i = 0; i < offerCount; i++) {
                acd.accept(offerId[i], offerAgent[i]);
                connectedId[connected] = offerId[i];
                connectedAgent[connected] = offerAgent[i];
                connected++;
                offerId[i] = null;
                offerAgent[i] = null;
            }
            offerCount = 0;
        }

        void endOne() {
            clock.millis++;
            int i = random.nextInt(connected);
            String id = connectedId[i];
            connected--;
            connectedId[i] = connectedId[connected];
            connectedAgent[i] = connectedAgent[connected];
            acd.end(id, Actors.SYSTEM);
            acceptOffers();
        }
    }

    @State(Scope.Benchmark)
    public static class Naive {
        NaiveRouter router;
        final List<NaiveRouter.Work> connected = new ArrayList<>();
        long next;
        final SplittableRandom random = new SplittableRandom(7);

        @Setup(Level.Trial)
        public void setUp() {
            router = new NaiveRouter(Scenario.agentSkills(11), Scenario.QUEUES);
            while (router.waiting.size() < Scenario.WAITING) {
                arrive();
            }
        }

        void arrive() {
            int q = random.nextInt(Scenario.QUEUES);
            long n = next++;
            NaiveRouter.Work w = new NaiveRouter.Work(n, q, Scenario.channelOf(q), (int) (n % 3));
            if (router.arrive(w) != null) {
                connected.add(w);
            }
        }

        long op() {
            int i = random.nextInt(connected.size());
            NaiveRouter.Work w = connected.get(i);
            connected.set(i, connected.get(connected.size() - 1));
            connected.remove(connected.size() - 1);
            List<NaiveRouter.Work> picked = router.end(w);
            connected.addAll(picked);
            arrive();
            return Math.max(1, picked.size()) + 1;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void indexedThroughput(Indexed s, Decisions d) {
        d.decisions += s.op();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long indexedLatency(Indexed s) {
        return s.op();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void naiveThroughput(Naive s, Decisions d) {
        d.decisions += s.op();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long naiveLatency(Naive s) {
        return s.op();
    }
}
