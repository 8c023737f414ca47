package io.musubi.acd;

import io.musubi.acd.spi.AgentCandidate;
import io.musubi.acd.spi.RoutingRequest;
import io.musubi.acd.spi.RoutingStrategy;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import io.musubi.model.ScopedId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.musubi.model.Channel.EMAIL;
import static io.musubi.model.Channel.LINE;
import static io.musubi.model.Channel.VOICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tenant isolation (DESIGN §5.1): one engine serves every tenant of a hub, and no routing path — strategy choice on
 * arrival, an agent picking work, last-agent routing, transfer, overflow, escalation, force-assign, ring-all,
 * call-back — ever pairs an interaction with an agent of another tenant. In every scenario the other tenant's agent
 * is the only one free, so a leak would show as an offer to it.
 */
class TenantIsolationTest {

    private final Harness h = new Harness();

    /** Whatever happened in the test: no event names an agent or a queue of another tenant than its interaction's. */
    @AfterEach
    void noEventCrossesTenants() {
        for (InteractionEvent e : h.interactionEvents()) {
            for (String key : List.of(AcdAttributes.AGENT_ID, AcdAttributes.FROM_AGENT_ID, AcdAttributes.QUEUE_ID,
                    AcdAttributes.FROM_QUEUE_ID)) {
                String id = e.attributes().getOrDefault(key, "");
                if (!id.isEmpty()) {
                    assertThat(ScopedId.tenantOf(id, "default")).as("%s of %s", key, e).isEqualTo(e.tenantId());
                }
            }
        }
        assertThat(h.acd.agents()).allSatisfy(a -> {
            for (String id : concat(a.offered(), a.assigned(), a.pinned())) {
                assertThat(h.acd.interaction(id).orElseThrow().tenantId()).as("work of %s", a.agentId())
                        .isEqualTo(ScopedId.tenantOf(a.agentId(), "default"));
            }
        });
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        out.addAll(c);
        return out;
    }

    private static Interaction in(String tenant, String id, Channel channel, String queue, String customer) {
        return new Interaction(id, tenant, channel, customer, Address.of("tel", "+81312345678"), null, id, queue, 0,
                Map.of(), InteractionState.NEW, Instant.EPOCH, null, "", "");
    }

    private void arrive(String tenant, String id, Channel channel, String queueId, String customer) {
        h.acd.enqueue(in(tenant, id, channel, queueId, customer));
    }

    // ------------------------------------------------------------------ choosing the agent

    @ParameterizedTest
    @ValueSource(strings = {Strategies.LONGEST_IDLE, Strategies.LEAST_OCCUPIED, Strategies.ROUND_ROBIN,
            Strategies.BEST_SKILL, Strategies.RING_ALL, "first-candidate"})
    void anArrivalIsOfferedOnlyToItsTenantsAgents(String strategy) {
        List<String> seen = new ArrayList<>();
        h.acd.registerStrategy(new RoutingStrategy() {
            @Override
            public String name() {
                return "first-candidate";
            }

            @Override
            public String select(RoutingRequest request, List<AgentCandidate> candidates) {
                candidates.forEach(c -> seen.add(c.agentId()));
                return candidates.get(0).agentId();
            }
        });
        // a queue without skills (every agent of the tenant) and one with a skill both tenants' agents have
        h.queue(QueueDefinition.builder("acme/any").channels(VOICE).strategy(strategy))
                .queue(QueueDefinition.builder("acme/ja").channels(VOICE).requireSkill("ja", 3).strategy(strategy))
                .queue(QueueDefinition.builder("beta/any").channels(VOICE).strategy(strategy))
                .online(AgentDefinition.builder("beta/bob").skill("ja", 9));
        arrive("acme", "a1", VOICE, "acme/any", "");
        arrive("acme", "a2", VOICE, "acme/ja", "");
        assertThat(h.offeredTo("a1")).isEmpty();
        assertThat(h.offeredTo("a2")).isEmpty();
        assertThat(seen).isEmpty();
        assertThat(h.acd.queueStatistics("acme/any").orElseThrow().agentsAvailable()).isZero();

        h.online(AgentDefinition.builder("acme/ann").skill("ja", 3));
        assertThat(h.offeredToOne("a1")).isEqualTo("acme/ann");
        arrive("beta", "b1", VOICE, "beta/any", "");
        assertThat(h.offeredToOne("b1")).isEqualTo("beta/bob");
    }

    @Test
    void anAgentFreeingCapacityPicksOnlyItsTenantsWork() {
        h.queue(QueueDefinition.builder("acme/line").channels(LINE))
                .queue(QueueDefinition.builder("beta/line").channels(LINE).requireSkill("ja", 1))
                .agent(AgentDefinition.builder("acme/ann").skill("ja", 5));
        arrive("beta", "b1", LINE, "beta/line", "");
        arrive("acme", "a1", LINE, "acme/line", "");
        h.acd.setPresence("acme/ann", PresenceState.AVAILABLE, "", Actors.agent("acme/ann"));
        assertThat(h.offersOf("acme/ann")).containsExactly("a1");
        h.acd.accept("a1", "acme/ann");
        h.acd.end("a1", Actors.agent("acme/ann"));
        assertThat(h.offersOf("acme/ann")).isEmpty();
        assertThat(h.acd.waiting("beta/line")).extracting(WaitingInteraction::interactionId).containsExactly("b1");
    }

    // ------------------------------------------------------------------ last-agent routing

    @Test
    void lastAgentRecordsAreKeptPerTenantForTheSameCustomerId() {
        h.queue(QueueDefinition.builder("acme/line").channels(LINE).sticky(StickyConfig.preferred()))
                .queue(QueueDefinition.builder("beta/line").channels(LINE).sticky(StickyConfig.preferred()))
                .online(AgentDefinition.builder("acme/ann"))
                .online(AgentDefinition.builder("beta/bob"));
        arrive("acme", "a1", LINE, "acme/line", "c1");
        h.acd.accept("a1", "acme/ann");

        // beta's customer "c1" is another person: ann (who has capacity) is not their last agent
        arrive("beta", "b1", LINE, "beta/line", "c1");
        assertThat(h.offeredToOne("b1")).isEqualTo("beta/bob");
        assertThat(h.acd.lastAgent("acme", "c1")).contains("acme/ann");
        assertThat(h.acd.lastAgent("beta", "c1")).isEmpty();
        h.acd.accept("b1", "beta/bob");
        assertThat(h.acd.lastAgent("beta", "c1")).contains("beta/bob");

        // and beta's accept did not take acme's record over
        assertThat(h.acd.lastAgent("acme", "c1")).contains("acme/ann");
        h.online(AgentDefinition.builder("acme/amy"));
        h.advance(5);
        arrive("acme", "a2", LINE, "acme/line", "c1");
        assertThat(h.offeredToOne("a2")).isEqualTo("acme/ann");
    }

    // ------------------------------------------------------------------ commands naming another tenant

    @Test
    void anInteractionCannotBeQueuedInAnotherTenantsQueue() {
        h.queue(QueueDefinition.builder("beta/q").channels(VOICE)).online(AgentDefinition.builder("beta/bob"));
        assertThatThrownBy(() -> arrive("acme", "a1", VOICE, "beta/q", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant");
        assertThat(h.acd.interaction("a1")).isEmpty();
        assertThat(h.interactionEvents()).isEmpty();
    }

    @Test
    void transferToAnotherTenantsAgentIsRefusedAndChangesNothing() {
        h.queue(QueueDefinition.builder("acme/q").channels(VOICE))
                .online(AgentDefinition.builder("acme/ann")).online(AgentDefinition.builder("beta/bob"));
        arrive("acme", "a1", VOICE, "acme/q", "");
        h.acd.accept("a1", "acme/ann");
        int events = h.events.size();
        assertThatThrownBy(() -> h.acd.transferToAgent("a1", "beta/bob", Actors.agent("acme/ann")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant");
        assertThat(h.events).hasSize(events);
        assertThat(h.acd.interaction("a1").orElseThrow().agentId()).isEqualTo("acme/ann");
        assertThat(h.stateOf("a1")).isEqualTo(InteractionState.CONNECTED);
    }

    @Test
    void transferToAnotherTenantsQueueIsRefusedAndChangesNothing() {
        h.queue(QueueDefinition.builder("acme/q").channels(VOICE))
                .queue(QueueDefinition.builder("beta/q").channels(VOICE))
                .online(AgentDefinition.builder("beta/bob"));
        arrive("acme", "a1", VOICE, "acme/q", "");
        int events = h.events.size();
        assertThatThrownBy(() -> h.acd.transferToQueue("a1", "beta/q", Actors.SYSTEM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant");
        assertThat(h.events).hasSize(events);
        assertThat(h.acd.interaction("a1").orElseThrow().queueId()).isEqualTo("acme/q");
        assertThat(h.acd.waiting("acme/q")).hasSize(1);
    }

    @Test
    void forceAssignToAnotherTenantsAgentIsRefusedAndChangesNothing() {
        h.queue(QueueDefinition.builder("acme/q").channels(VOICE)).agent(AgentDefinition.builder("beta/bob"));
        arrive("acme", "a1", VOICE, "acme/q", "");
        int events = h.events.size();
        assertThatThrownBy(() -> h.acd.forceAssign(in("acme", "a1", VOICE, "acme/q", ""), "beta/bob", Actors.SYSTEM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant");
        // an interaction the ACD does not know yet (the phone of beta's agent rang for acme's call)
        assertThatThrownBy(() -> h.acd.forceAssign(in("acme", "a2", VOICE, "acme/q", ""), "beta/bob", Actors.SYSTEM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant");
        assertThat(h.events).hasSize(events);
        assertThat(h.acd.agent("beta/bob").orElseThrow().assigned()).isEmpty();
        assertThat(h.acd.interaction("a2")).isEmpty();
        assertThat(h.stateOf("a1")).isEqualTo(InteractionState.QUEUED);
    }

    @Test
    void forceAssignWithinTheTenantStillWorks() {
        h.queue(QueueDefinition.builder("acme/q").channels(VOICE)).agent(AgentDefinition.builder("acme/ann"));
        h.acd.forceAssign(in("acme", "a1", VOICE, "acme/q", ""), "acme/ann", Actors.SYSTEM);
        assertThat(h.acd.agent("acme/ann").orElseThrow().assigned()).containsExactly("a1");
    }

    @Test
    void aCallBackOfAnotherTenantIsRefused() {
        h.queue(QueueDefinition.builder("acme/q").channels(VOICE)).online(AgentDefinition.builder("beta/bob"));
        arrive("acme", "a1", VOICE, "acme/q", "c1");
        int events = h.events.size();
        assertThatThrownBy(() -> h.acd.scheduleCallback("a1", in("beta", "cb1", VOICE, "acme/q", "c1"),
                h.clock.instant().plusSeconds(60), Actors.SYSTEM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant");
        assertThat(h.events).hasSize(events);
        assertThat(h.stateOf("a1")).isEqualTo(InteractionState.QUEUED);
    }

    // ------------------------------------------------------------------ definitions naming another tenant

    @Test
    void aQueueDefinitionNamingAnotherTenantsQueueOrAgentIsRefused() {
        h.queue(QueueDefinition.builder("beta/backup").channels(VOICE));
        List<QueueDefinition.Builder> refused = List.of(
                QueueDefinition.builder("acme/q").channels(VOICE).maxWait(Duration.ofSeconds(30))
                        .overflow(OverflowTarget.queue("beta/backup")),
                QueueDefinition.builder("acme/q").channels(VOICE).whenClosed(OverflowTarget.queue("beta/backup")),
                QueueDefinition.builder("acme/q").channels(VOICE)
                        .escalation(EscalationStep.addQueues(Duration.ofSeconds(30), "beta/backup")),
                QueueDefinition.builder("acme/q").channels(VOICE).vipQueue("beta/backup"),
                QueueDefinition.builder("acme/q").channels(VOICE).member("beta/bob"),
                // an unscoped id belongs to the engine's default tenant, not to acme
                QueueDefinition.builder("acme/q").channels(VOICE).overflow(OverflowTarget.queue("backup")));
        for (QueueDefinition.Builder b : refused) {
            QueueDefinition d = b.build();
            assertThatThrownBy(() -> h.acd.defineQueue(d)).as("%s", d)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant");
        }
        assertThat(h.acd.queues()).extracting(QueueDefinition::id).containsExactly("beta/backup");
    }

    @Test
    void redefiningAQueueToNameAnotherTenantIsRefusedAndKeepsTheOldDefinition() {
        h.queue(QueueDefinition.builder("acme/q").channels(VOICE).maxWait(Duration.ofSeconds(30)));
        QueueDefinition bad = QueueDefinition.builder("acme/q").channels(VOICE).maxWait(Duration.ofSeconds(30))
                .overflow(OverflowTarget.queue("beta/backup")).build();
        assertThatThrownBy(() -> h.acd.defineQueue(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThat(h.acd.queues()).singleElement().satisfies(q -> assertThat(q.overflow()).isNull());
    }

    // ------------------------------------------------------------------ the paths inside one tenant

    @Test
    void overflowAtMaxWaitStaysInTheTenant() {
        h.queue(QueueDefinition.builder("acme/backup").channels(VOICE))
                .queue(QueueDefinition.builder("acme/main").channels(VOICE).member("acme/ann")
                        .maxWait(Duration.ofSeconds(60)).overflow(OverflowTarget.queue("acme/backup")))
                .agent(AgentDefinition.builder("acme/ann"))
                .online(AgentDefinition.builder("beta/bob"));
        arrive("acme", "a1", VOICE, "acme/main", "");
        h.advance(60);
        assertThat(h.acd.interaction("a1").orElseThrow().queueId()).isEqualTo("acme/backup");
        assertThat(h.offeredTo("a1")).isEmpty();
        h.online(AgentDefinition.builder("acme/amy"));
        assertThat(h.offeredToOne("a1")).isEqualTo("acme/amy");
    }

    @Test
    void overflowWhenClosedStaysInTheTenant() {
        OpeningHours never = OpeningHours.builder(ZoneOffset.UTC).open(DayOfWeek.SUNDAY, LocalTime.of(0, 0),
                LocalTime.of(0, 1)).build();   // 2025-04-01 is a Tuesday
        h.queue(QueueDefinition.builder("acme/night").channels(VOICE))
                .queue(QueueDefinition.builder("acme/day").channels(VOICE).openingHours(never)
                        .whenClosed(OverflowTarget.queue("acme/night")))
                .online(AgentDefinition.builder("beta/bob"));
        arrive("acme", "a1", VOICE, "acme/day", "");
        assertThat(h.acd.interaction("a1").orElseThrow().queueId()).isEqualTo("acme/night");
        assertThat(h.offeredTo("a1")).isEmpty();
    }

    @Test
    void escalationToMoreQueuesStaysInTheTenant() {
        h.queue(QueueDefinition.builder("acme/helpers").channels(VOICE))
                .queue(QueueDefinition.builder("acme/main").channels(VOICE).member("acme/ann")
                        .escalation(EscalationStep.addQueues(Duration.ofSeconds(45), "acme/helpers")))
                .agent(AgentDefinition.builder("acme/ann"))
                .online(AgentDefinition.builder("beta/bob"));
        arrive("acme", "a1", VOICE, "acme/main", "");
        h.advance(45);
        assertThat(h.offeredTo("a1")).isEmpty();
        h.online(AgentDefinition.builder("acme/hal"));
        assertThat(h.offeredToOne("a1")).isEqualTo("acme/hal");
    }

    @Test
    void escalationThatRelaxesSkillsStaysInTheTenant() {
        h.queue(QueueDefinition.builder("acme/expert").channels(VOICE).requireSkill("tax", 8)
                        .escalation(EscalationStep.relaxSkills(Duration.ofSeconds(30), Map.of("tax", 3))))
                .online(AgentDefinition.builder("beta/bob").skill("tax", 4));
        arrive("acme", "a1", VOICE, "acme/expert", "");
        h.advance(30);
        assertThat(h.offeredTo("a1")).isEmpty();
        h.online(AgentDefinition.builder("acme/jun").skill("tax", 4));
        assertThat(h.offeredToOne("a1")).isEqualTo("acme/jun");
    }

    @Test
    void aCallBackIsOfferedOnlyToItsTenantsAgents() {
        h.queue(QueueDefinition.builder("acme/main").channels(VOICE).maxWait(Duration.ofSeconds(30))
                        .overflow(OverflowTarget.callback(Duration.ofMinutes(10))))
                .agent(AgentDefinition.builder("acme/ann"));
        arrive("acme", "a1", VOICE, "acme/main", "c1");
        h.advance(30);
        h.online(AgentDefinition.builder("beta/bob"));
        h.advance(600);
        assertThat(h.acd.waiting("acme/main")).extracting(WaitingInteraction::interactionId)
                .containsExactly("a1:callback");
        assertThat(h.acd.interaction("a1:callback").orElseThrow().tenantId()).isEqualTo("acme");
        assertThat(h.offersOf("beta/bob")).isEmpty();
        h.acd.setPresence("acme/ann", PresenceState.AVAILABLE, "", Actors.agent("acme/ann"));
        assertThat(h.offersOf("acme/ann")).containsExactly("a1:callback");
    }

    @Test
    void aVipQueueIsTheTenantsOwn() {
        h.queue(QueueDefinition.builder("acme/vip").channels(EMAIL))
                .queue(QueueDefinition.builder("acme/mail").channels(EMAIL).member("acme/mo").vipQueue("acme/vip"))
                .online(AgentDefinition.builder("beta/bob"));
        h.acd.enqueue(in("acme", "a1", EMAIL, "acme/mail", "c1"), true);
        assertThat(h.acd.interaction("a1").orElseThrow().queueId()).isEqualTo("acme/vip");
        assertThat(h.offeredTo("a1")).isEmpty();
    }

    @Test
    void theSameLocalIdsInTwoTenantsAreTwoDifferentAgentsAndQueues() {
        h.queue(QueueDefinition.builder("acme/q").channels(VOICE).member("acme/sam"))
                .queue(QueueDefinition.builder("beta/q").channels(VOICE).member("beta/sam"))
                .online(AgentDefinition.builder("acme/sam")).online(AgentDefinition.builder("beta/sam"));
        arrive("beta", "b1", VOICE, "beta/q", "");
        arrive("acme", "a1", VOICE, "acme/q", "");
        assertThat(h.offeredToOne("a1")).isEqualTo("acme/sam");
        assertThat(h.offeredToOne("b1")).isEqualTo("beta/sam");
    }
}
