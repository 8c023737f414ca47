package io.musubi.acd.bench;

import io.musubi.acd.Actors;
import io.musubi.model.Interaction;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;

/**
 * Latency of every single routing call, not of a whole benchmark operation. Same scenario and steady state as
 * {@link RoutingBenchmark} (10 000 agents, 1 000 queues, 50 000 waiting, every agent saturated), but each engine call
 * that routes is timed on its own with {@link System#nanoTime()} and recorded in an HdrHistogram:
 * <ul>
 *   <li><b>release</b>: {@code end(id)} — the agent's capacity is released and the engine chooses the most urgent
 *   work it can take (one or more offers, or nothing): one or more routing decisions, events delivered to the
 *   listener before the call returns;</li>
 *   <li><b>arrival</b>: {@code enqueue(interaction)} — the engine looks for a free eligible agent (usually none) and
 *   queues it: one routing decision.</li>
 * </ul>
 * The accepts of the offers and the creation of the arriving {@link Interaction} happen between timed calls and are
 * not counted. "Per decision" weights each call by the decisions it made (a release that made 3 offers counts 3
 * times with the latency of the whole call), so it is an upper bound of the time to a decision. The naive reference
 * router is measured the same way.
 *
 * <p>Run: {@code java -Xms3g -Xmx3g -Xmn1g -XX:+UseParallelGC -cp benchmarks.jar io.musubi.acd.bench.DecisionLatency
 * [warmupSeconds=20] [measureSeconds=30] [indexed|naive|both]}.
 */
public final class DecisionLatency {

    private static final long MAX_NS = 60_000_000_000L;

    private DecisionLatency() {
    }

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int measure = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String which = args.length > 2 ? args[2] : "both";
        System.out.printf(Locale.ROOT, "%d agents, %d queues, %d waiting; warm-up %d s, measured %d s%n",
                Scenario.AGENTS, Scenario.QUEUES, Scenario.WAITING, warmup, measure);
        if (!which.equals("naive")) {
            run("indexed engine", new IndexedRunner(), warmup, measure);
        }
        if (!which.equals("indexed")) {
            run("naive reference", new NaiveRunner(), warmup, measure);
        }
    }

    interface Runner {
        /** One release then one arrival; records both calls. */
        void step(Histogram release, Histogram arrival, Histogram perDecision, long[] decisions);
    }

    private static void run(String name, Runner r, int warmupSeconds, int measureSeconds) {
        Histogram release = new Histogram(MAX_NS, 3);
        Histogram arrival = new Histogram(MAX_NS, 3);
        Histogram perDecision = new Histogram(MAX_NS, 3);
        long[] decisions = new long[1];
        long end = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100; i++) {
                r.step(release, arrival, perDecision, decisions);
            }
        }
        release.reset();
        arrival.reset();
        perDecision.reset();
        decisions[0] = 0;
        long start = System.nanoTime();
        end = start + measureSeconds * 1_000_000_000L;
        long steps = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            for (int i = 0; i < 100; i++) {
                r.step(release, arrival, perDecision, decisions);
            }
            steps += 100;
        }
        double secs = (now - start) / 1e9;
        Histogram all = new Histogram(MAX_NS, 3);
        all.add(release);
        all.add(arrival);
        System.out.printf(Locale.ROOT, "%n%s: %d operations, %d routing decisions in %.1f s = %.0f decisions/s"
                        + " (wall time incl. accepts and harness); %.0f decisions/s of routing-call time%n",
                name, steps, decisions[0], secs, decisions[0] / secs,
                decisions[0] / ((release.getMean() * release.getTotalCount()
                        + arrival.getMean() * arrival.getTotalCount()) / 1e9));
        System.out.printf(Locale.ROOT, "  %-26s %10s %9s %9s %9s %9s %9s %9s%n", "latency (µs)", "calls", "mean",
                "p50", "p90", "p99", "p99.9", "max");
        for (var e : List.of(new Object[] {"release (end → pick work)", release},
                new Object[] {"arrival (enqueue)", arrival}, new Object[] {"any routing call", all},
                new Object[] {"per decision (weighted)", perDecision})) {
            Histogram h = (Histogram) e[1];
            System.out.printf(Locale.ROOT, "  %-26s %10d %9.2f %9.2f %9.2f %9.2f %9.2f %9.1f%n", e[0],
                    h.getTotalCount(), h.getMean() / 1e3, us(h, 50), us(h, 90), us(h, 99), us(h, 99.9),
                    h.getMaxValue() / 1e3);
        }
    }

    private static double us(Histogram h, double p) {
        return h.getValueAtPercentile(p) / 1e3;
    }

    /** The engine, through the JMH benchmark's state (same set-up, same listener). */
    static final class IndexedRunner implements Runner {
        final RoutingBenchmark.Indexed s = new RoutingBenchmark.Indexed();

        IndexedRunner() {
            s.setUp();
        }

        @Override
        public void step(Histogram release, Histogram arrival, Histogram perDecision, long[] decisions) {
            s.clock.millis++;
            int i = s.random.nextInt(s.connected);
            String id = s.connectedId[i];
            s.connected--;
            s.connectedId[i] = s.connectedId[s.connected];
            s.connectedAgent[i] = s.connectedAgent[s.connected];
            long before = s.offeredCount;
            long t0 = System.nanoTime();
            s.acd.end(id, Actors.SYSTEM);
            long t1 = System.nanoTime();
            long k = Math.max(1, s.offeredCount - before);
            s.acceptOffers();
            release.recordValue(t1 - t0);
            perDecision.recordValueWithCount(t1 - t0, k);

            s.clock.millis++;
            Interaction in = Scenario.interaction(s.next++, s.random.nextInt(Scenario.QUEUES), Scenario.T0);
            long t2 = System.nanoTime();
            s.acd.enqueue(in);
            long t3 = System.nanoTime();
            s.acceptOffers();
            arrival.recordValue(t3 - t2);
            perDecision.recordValue(t3 - t2);
            decisions[0] += k + 1;
        }
    }

    /** The naive scanning router, through the JMH benchmark's state. */
    static final class NaiveRunner implements Runner {
        final RoutingBenchmark.Naive s = new RoutingBenchmark.Naive();

        NaiveRunner() {
            s.setUp();
        }

        @Override
        public void step(Histogram release, Histogram arrival, Histogram perDecision, long[] decisions) {
            int i = s.random.nextInt(s.connected.size());
            NaiveRouter.Work w = s.connected.get(i);
            s.connected.set(i, s.connected.get(s.connected.size() - 1));
            s.connected.remove(s.connected.size() - 1);
            long t0 = System.nanoTime();
            List<NaiveRouter.Work> picked = s.router.end(w);
            long t1 = System.nanoTime();
            s.connected.addAll(picked);
            long k = Math.max(1, picked.size());
            release.recordValue(t1 - t0);
            perDecision.recordValueWithCount(t1 - t0, k);

            int q = s.random.nextInt(Scenario.QUEUES);
            long n = s.next++;
            NaiveRouter.Work x = new NaiveRouter.Work(n, q, Scenario.channelOf(q), (int) (n % 3));
            long t2 = System.nanoTime();
            NaiveRouter.Agent a = s.router.arrive(x);
            long t3 = System.nanoTime();
            if (a != null) {
                s.connected.add(x);
            }
            arrival.recordValue(t3 - t2);
            perDecision.recordValue(t3 - t2);
            decisions[0] += k + 1;
        }
    }
}
