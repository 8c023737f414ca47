package io.musubi.acd.bench;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.StickyConfig;
import io.musubi.model.Interaction;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.SplittableRandom;

/**
 * Heap retained per waiting interaction: the benchmark's 10 000 agents (logged out, so nothing is offered) and
 * 1 000 queues, then 50 000 arrivals. Used heap is read after full GCs before and after; the same is done for the
 * 50 000 {@link Interaction} records alone (which the caller creates and the engine keeps), so the engine's own
 * overhead is the difference. Run: {@code java -cp benchmarks.jar io.musubi.acd.bench.HeapPerWaiting}.
 */
public final class HeapPerWaiting {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : Scenario.WAITING;
        BenchClock clock = new BenchClock();
        AcdEngine acd = Acd.newEngine(clock);
        for (int q = 0; q < Scenario.QUEUES; q++) {
            acd.defineQueue(QueueDefinition.builder("q" + q).channels(Scenario.channelOf(q)).requireSkill("s" + q, 1)
                    .sticky(StickyConfig.disabled()).build());   // the scenario has no last-agent routing
        }
        int[][] skills = Scenario.agentSkills(11);
        for (int a = 0; a < Scenario.AGENTS; a++) {
            AgentDefinition.Builder b = AgentDefinition.builder("a" + a);
            for (int s : skills[a]) {
                b.skill("s" + s, 1);
            }
            acd.defineAgent(b.build());
        }
        SplittableRandom r = new SplittableRandom(3);
        long base = used();
        for (int i = 0; i < n; i++) {
            clock.millis++;
            acd.enqueue(Scenario.interaction(i, r.nextInt(Scenario.QUEUES), Scenario.T0));
        }
        long withWaiting = used();
        Interaction[] alone = new Interaction[n];
        r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            alone[i] = Scenario.interaction(n + i, r.nextInt(Scenario.QUEUES), Scenario.T0);
        }
        long withRecords = used();
        double total = (withWaiting - base) / (double) n;
        double records = (withRecords - withWaiting - 16.0 - 4.0 * n) / n;
        System.out.printf("waiting interactions: %d%n", n);
        System.out.printf("heap per waiting interaction, total retained: %.0f bytes%n", total);
        System.out.printf("  of which the caller's Interaction record (id, customer id strings): %.0f bytes%n", records);
        System.out.printf("  engine overhead (state, indexes, maps): %.0f bytes%n", total - records);
        Reference.reachabilityFence(acd);
        Reference.reachabilityFence(alone);
    }

    private static long used() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    private HeapPerWaiting() {
    }
}
