package io.musubi.bench.restore;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import io.musubi.store.AcdStateRepository.AgentPresence;
import io.musubi.store.AcdStateRepository.StickyRecord;
import io.musubi.store.DefinitionRepository.Kind;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a contact centre's ACD state into a <em>stopped</em> hub's embedded store, as the hub would have left it
 * (the scenario of {@code benchmarks/acd-jmh} {@code RestoreTime}): tenant {@code default}, 200 queues (every third
 * VOICE, the others LINE, each requiring one skill), 2 000 agents (two skills each, default capacities) with their
 * definitions as the REST API stores them, each AVAILABLE and working on one call or three LINE chats (4 660
 * interactions CONNECTED, each with its ACCEPTED event), the customers' last-agent records, and 50 000 interactions
 * QUEUED in random queues, queued one millisecond apart. Times are just before now, so the restart counts as a short
 * outage (agents keep their presence).
 *
 * <p>{@code java -cp acd-restore.jar io.musubi.bench.restore.SeedAcdState <hub>/data/musubi/history [waiting] [agents]}
 */
public final class SeedAcdState {

    static final String TENANT = "default";
    static final int QUEUES = 200;

    public static void main(String[] args) {
        Path history = Path.of(args[0]);
        int waiting = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int agents = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        long start = System.nanoTime();
        Instant t0 = Instant.now().minusSeconds(120);
        try (JdbcStore store = JdbcStore.open(JdbcSettings.embedded(history))) {
            for (int q = 0; q < QUEUES; q++) {
                store.definitions().save(Kind.QUEUE, queue(q), TENANT, "{\"name\":\"Queue " + q + "\",\"channels\":[\""
                        + channelOf(q) + "\"],\"requiredSkills\":{\"s" + q + "\":1}}");
            }
            List<AgentPresence> presences = new ArrayList<>();
            List<StickyRecord> sticky = new ArrayList<>();
            List<Interaction> rows = new ArrayList<>();
            List<InteractionEvent> accepted = new ArrayList<>();
            int assigned = 0;
            for (int a = 0; a < agents; a++) {
                String agent = TENANT + "/a" + a;
                int q = a % QUEUES;
                store.definitions().save(Kind.AGENT, agent, TENANT, "{\"name\":\"Agent " + a + "\",\"skills\":{\"s" + q
                        + "\":1,\"s" + ((a * 7 + 3) % QUEUES) + "\":1}}");
                presences.add(new AgentPresence(TENANT, agent, PresenceState.AVAILABLE, "", t0));
                Channel ch = channelOf(q);
                int n = ch == Channel.VOICE ? 1 : 3;
                for (int k = 0; k < n; k++) {
                    Instant at = t0.plusSeconds(10 + k);
                    String id = "w" + a + "-" + k;
                    String customer = "cust-" + id;
                    rows.add(interaction(id, ch, q, customer, InteractionState.CONNECTED, at, agent));
                    accepted.add(InteractionEvent.of("e-" + id + "-accepted", TENANT, id, customer, ch,
                            InteractionEventType.ACCEPTED, at.plusSeconds(5), "agent:" + agent,
                            Map.of("agentId", agent, "queueId", queue(q))));
                    sticky.add(new StickyRecord(TENANT, customer, agent, ch, at.plusSeconds(5)));
                    assigned++;
                }
                flush(store, rows, accepted, 1_000);
            }
            flush(store, rows, accepted, 0);
            store.acdState().savePresences(presences);
            store.acdState().saveSticky(sticky);
            SplittableRandom r = new SplittableRandom(7);
            for (int i = 0; i < waiting; i++) {
                int q = r.nextInt(QUEUES);
                rows.add(interaction("i" + i, channelOf(q), q, "", InteractionState.QUEUED, t0.plusMillis(20_000 + i),
                        ""));
                flush(store, rows, accepted, 1_000);
            }
            flush(store, rows, accepted, 0);
            System.out.printf("seeded %d waiting and %d assigned interactions, %d agents, %d queues in %d ms%n",
                    waiting, assigned, agents, QUEUES, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void flush(JdbcStore store, List<Interaction> rows, List<InteractionEvent> events, int atLeast) {
        if (rows.size() > atLeast || (atLeast == 0 && !rows.isEmpty())) {
            store.store().saveInteractions(rows);
            rows.clear();
        }
        if (events.size() > atLeast || (atLeast == 0 && !events.isEmpty())) {
            store.store().appendAll(events);
            events.clear();
        }
    }

    private static String queue(int q) {
        return TENANT + "/q" + q;
    }

    private static Channel channelOf(int q) {
        return q % 3 == 0 ? Channel.VOICE : Channel.LINE;
    }

    private static Interaction interaction(String id, Channel ch, int q, String customer, InteractionState state,
                                           Instant at, String agent) {
        Address from = ch == Channel.VOICE ? Address.parse("tel:+8131234" + String.format("%04d", Math.floorMod(
                id.hashCode(), 10_000))) : Address.parse("line:U" + id);
        return new Interaction(id, TENANT, ch, customer, from, null, id, queue(q), 0, Map.of(), state, at, at, agent,
                "");
    }

    private SeedAcdState() {
    }
}
