package io.musubi.acd.bench;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdRestore;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Engine side of recovery (issue #11): the time of {@link AcdEngine#restore} for 50 000 waiting interactions and
 * 2 000 agents' assigned work (each agent BUSY with one call, or with three chats), into an engine with its 2 000
 * agents and 200 queues defined (the definitions are not timed: the hub defines them before). Each round builds a
 * fresh engine; the snapshot values are built once. Run:
 * {@code java -cp benchmarks.jar io.musubi.acd.bench.RestoreTime [rounds]}.
 */
public final class RestoreTime {
    static final int AGENTS = 2_000;
    static final int QUEUES = 200;
    static final int WAITING = 50_000;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Instant t0 = Scenario.T0;
        AcdRestore.Builder b = AcdRestore.builder("default");
        int assigned = 0;
        for (int a = 0; a < AGENTS; a++) {
            b.presence(new AcdRestore.Presence("a" + a, PresenceState.BUSY, "", t0.plusSeconds(60)));
            int q = a % QUEUES;
            Channel ch = channelOf(q);
            int n = ch == Channel.VOICE ? 1 : 3;
            for (int k = 0; k < n; k++) {
                Instant at = t0.plusSeconds(100 + k);
                b.assigned(new AcdRestore.Assigned(interaction("w" + a + "-" + k, ch, q, at), "a" + a,
                        InteractionState.CONNECTED, at, at.plusSeconds(5), at.plusSeconds(5), false));
                assigned++;
            }
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < WAITING; i++) {
            int q = r.nextInt(QUEUES);
            b.waiting(AcdRestore.Waiting.of(interaction("i" + i, channelOf(q), q, t0.plusMillis(200_000 + i)),
                    t0.plusMillis(200_000 + i)));
        }
        AcdRestore snapshot = b.build();
        long[] ms = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            BenchClock clock = new BenchClock();
            clock.millis = t0.toEpochMilli() + 300_000;
            AcdEngine acd = Acd.newEngine(clock);
            for (int q = 0; q < QUEUES; q++) {
                acd.defineQueue(QueueDefinition.builder("q" + q).channels(channelOf(q)).requireSkill("s" + q, 1)
                        .build());
            }
            for (int a = 0; a < AGENTS; a++) {
                acd.defineAgent(AgentDefinition.builder("a" + a).onlyChannels(channelOf(a % QUEUES)).skill("s" + (a % QUEUES), 1)
                        .skill("s" + ((a * 7 + 3) % QUEUES), 1).build());
            }
            long start = System.nanoTime();
            acd.restore(snapshot);
            ms[round] = (System.nanoTime() - start) / 1_000_000;
            if (acd.queueStatistics().stream().mapToInt(s -> s.waiting()).sum() != WAITING) {
                throw new IllegalStateException("not everything is waiting again");
            }
        }
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("restore of %d waiting and %d assigned interactions (%d agents, %d queues)%n", WAITING,
                assigned, AGENTS, QUEUES);
        System.out.printf("rounds (ms): %s%n", Arrays.toString(ms));
        System.out.printf("median %d ms, min %d ms, max %d ms%n", sorted[rounds / 2], sorted[0], sorted[rounds - 1]);
    }

    static Channel channelOf(int q) {
        return q % 3 == 0 ? Channel.VOICE : Channel.LINE;
    }

    static Interaction interaction(String id, Channel ch, int q, Instant at) {
        return new Interaction(id, "default", ch, "cust-" + id, Address.of("tel", "+8131234" + id.hashCode() % 10000),
                null, id, "q" + q, 0, Map.of(), InteractionState.NEW, at, null, "", "");
    }

    private RestoreTime() {
    }
}
