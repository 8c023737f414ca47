package io.musubi.acd.internal;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdConfig;
import io.musubi.acd.AcdListener;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.AgentStatus;
import io.musubi.testkit.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.StickyConfig;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import io.musubi.model.ScopedId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads issue arrivals, presence changes, accepts, rejects, ends and time advances at once, for two tenants.
 * Atomic reservation means the ordered event stream never shows a double offer, an agent over capacity or an offer
 * across tenants, and the final state is consistent with the indexes.
 */
class ConcurrentCommandsTest {

    private static final String[] TENANTS = {"acme", "beta"};
    private static final int AGENTS = 12;

    /** Agent i is of tenant i % 2: acme/a0, beta/a1, acme/a2, ... */
    private static String agentId(int i) {
        return ScopedId.of(TENANTS[i % 2], "a" + i);
    }

    @Test
    void concurrentCommandsNeverDoubleOfferNorOverfill() throws Exception {
        ManualClock clock = ManualClock.at("2025-04-01T00:00:00Z");
        AcdCore acd = new AcdCore(AcdConfig.defaults(), clock);
        List<String> violations = new ArrayList<>();
        Map<String, Map<String, Channel>> holding = new HashMap<>();
        Map<String, AgentDefinition> defs = new HashMap<>();
        acd.addListener(new AcdListener() {
            @Override
            public void onInteractionEvent(InteractionEvent e) {
                String agent = e.attributes().get(AcdAttributes.AGENT_ID);
                String id = e.interactionId();
                if (agent != null && !ScopedId.belongsTo(agent, e.tenantId())) {
                    violations.add(e.type() + " of " + id + " of tenant " + e.tenantId() + " to " + agent);
                }
                switch (e.type()) {
                    case OFFERED -> {
                        holding.values().stream().filter(m -> m.containsKey(id)).findAny()
                                .ifPresent(m -> violations.add("double offer " + id));
                        Map<String, Channel> mine = holding.computeIfAbsent(agent, k -> new HashMap<>());
                        long same = mine.values().stream().filter(c -> c == e.channel()).count();
                        if (same + 1 > defs.get(agent).capacity(e.channel())) {
                            violations.add("over capacity " + agent);
                        }
                        if (e.channel() != Channel.VOICE && mine.containsValue(Channel.VOICE)) {
                            violations.add("offer during a call " + agent);
                        }
                        mine.put(id, e.channel());
                    }
                    case REJECTED, OFFER_TIMEOUT -> holding.get(agent).remove(id);
                    case ENDED, ABANDONED -> holding.values().forEach(m -> m.remove(id));
                    default -> {
                    }
                }
            }
        });
        for (int i = 0; i < AGENTS; i++) {
            AgentDefinition d = AgentDefinition.builder(agentId(i)).skill("s", 1 + i % 5).build();
            defs.put(d.id(), d);
            acd.defineAgent(d);
        }
        for (String t : TENANTS) {
            acd.defineQueue(QueueDefinition.builder(t + "/v").channels(Channel.VOICE).sticky(StickyConfig.preferred())
                    .build());
            acd.defineQueue(QueueDefinition.builder(t + "/c").channels(Channel.WEBCHAT, Channel.LINE)
                    .requireSkill("s", 2).build());
            acd.defineQueue(QueueDefinition.builder(t + "/m").channels(Channel.EMAIL).wrapUp(Duration.ofSeconds(5))
                    .build());
        }

        AtomicInteger ids = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long seed = 42 + t;
            futures.add(pool.submit(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                for (int n = 0; n < 3000; n++) {
                    try {
                        step(acd, clock, r, ids);
                    } catch (IllegalStateException | NoSuchElementException raced) {
                        // another thread changed the interaction first: the command is refused atomically
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        acd.tick();

        assertThat(violations).isEmpty();
        assertThat(acd.checkIndexes()).isEmpty();
        for (AgentStatus a : acd.agents()) {
            a.load().forEach((c, n) -> assertThat(n).isLessThanOrEqualTo(defs.get(a.agentId()).capacity(c)));
            assertThat(new ArrayList<>(holding.getOrDefault(a.agentId(), Map.of()).keySet()))
                    .containsExactlyInAnyOrderElementsOf(concat(a.offered(), a.assigned()));
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void step(AcdCore acd, ManualClock clock, SplittableRandom r, AtomicInteger ids) {
        int k = r.nextInt(10);
        String agent = agentId(r.nextInt(AGENTS));
        switch (k) {
            case 0, 1, 2 -> {
                String[] qs = {"v", "c", "c", "m"};
                String q = qs[r.nextInt(qs.length)];
                Channel ch = switch (q) {
                    case "v" -> Channel.VOICE;
                    case "c" -> r.nextBoolean() ? Channel.WEBCHAT : Channel.LINE;
                    default -> Channel.EMAIL;
                };
                String id = "i" + ids.incrementAndGet();
                String tenant = TENANTS[r.nextInt(TENANTS.length)];
                // the same customer ids in both tenants: last-agent records must not mix them up
                acd.enqueue(new Interaction(id, tenant, ch, "cust" + r.nextInt(20), Address.of("x", id), null, "",
                        tenant + "/" + q, 0, Map.of(), InteractionState.NEW, clock.instant(), null, "", ""));
            }
            case 3, 4 -> {
                List<String> offered = acd.agent(agent).orElseThrow().offered();
                if (!offered.isEmpty()) {
                    acd.accept(offered.get(0), agent);
                }
            }
            case 5 -> {
                List<String> offered = acd.agent(agent).orElseThrow().offered();
                if (!offered.isEmpty()) {
                    acd.reject(offered.get(0), agent, "no");
                }
            }
            case 6, 7 -> {
                List<String> assigned = acd.agent(agent).orElseThrow().assigned();
                if (!assigned.isEmpty()) {
                    acd.end(assigned.get(0), Actors.agent(agent));
                }
            }
            case 8 -> acd.setPresence(agent, r.nextInt(4) == 0 ? PresenceState.BREAK : PresenceState.AVAILABLE, "",
                    Actors.agent(agent));
            default -> {
                clock.advance(Duration.ofSeconds(1 + r.nextInt(4)));
                acd.tick();
            }
        }
    }
}
