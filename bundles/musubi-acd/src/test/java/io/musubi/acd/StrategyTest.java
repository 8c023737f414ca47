package io.musubi.acd;

import io.musubi.acd.spi.AgentCandidate;
import io.musubi.acd.spi.RoutingRequest;
import io.musubi.acd.spi.RoutingStrategy;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.PresenceState;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;

import static io.musubi.model.Channel.VOICE;
import static io.musubi.model.Channel.WEBCHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrategyTest {

    private static void login(Harness h, String agent) {
        h.acd.setPresence(agent, PresenceState.AVAILABLE, "", Actors.agent(agent));
    }

    private static void handle(Harness h, String id, String agent) {
        h.acd.accept(id, agent);
        h.acd.end(id, Actors.agent(agent));
    }

    @Test
    void longestIdleIsTheDefault() {
        Harness h = new Harness().queue(QueueDefinition.builder("v").channels(VOICE));
        for (String a : List.of("a", "b", "c")) {
            h.agent(AgentDefinition.builder(a));
        }
        login(h, "b");
        h.advance(1);
        login(h, "a");
        h.advance(1);
        login(h, "c");
        h.advance(1);
        h.arrive("1", VOICE, "v");
        assertThat(h.offeredToOne("1")).isEqualTo("b");
        handle(h, "1", "b");
        h.advance(1);
        h.arrive("2", VOICE, "v");
        assertThat(h.offeredToOne("2")).isEqualTo("a");
        handle(h, "2", "a");
        h.arrive("3", VOICE, "v");
        assertThat(h.offeredToOne("3")).isEqualTo("c");
    }

    @Test
    void leastOccupied() {
        Harness h = new Harness().queue(QueueDefinition.builder("c").channels(WEBCHAT)
                .strategy(Strategies.LEAST_OCCUPIED));
        h.online(AgentDefinition.builder("b").onlyChannels(WEBCHAT));
        h.arrive("1", WEBCHAT, "c");
        h.arrive("2", WEBCHAT, "c");
        h.acceptAll("b");
        h.advance(5);
        h.online(AgentDefinition.builder("a").onlyChannels(WEBCHAT));
        h.advance(5);
        // b was offered last at t=0 (longer idle than a, who logged in at t=5) but is 2/3 occupied
        h.arrive("3", WEBCHAT, "c");
        assertThat(h.offeredToOne("3")).isEqualTo("a");
    }

    @Test
    void roundRobinFollowsDefinitionOrder() {
        Harness h = new Harness().queue(QueueDefinition.builder("v").channels(VOICE).strategy(Strategies.ROUND_ROBIN));
        for (String a : List.of("a", "b", "c")) {
            h.agent(AgentDefinition.builder(a));
        }
        login(h, "c");
        h.advance(1);
        login(h, "b");
        h.advance(1);
        login(h, "a");
        StringBuilder order = new StringBuilder();
        for (int i = 1; i <= 4; i++) {
            h.arrive("i" + i, VOICE, "v");
            String agent = h.offeredToOne("i" + i);
            order.append(agent);
            handle(h, "i" + i, agent);
            h.advance(1);
        }
        assertThat(order.toString()).isEqualTo("abca");
    }

    @Test
    void bestSkillThenLongestIdle() {
        Harness h = new Harness().queue(QueueDefinition.builder("jp").channels(VOICE).requireSkill("ja", 2)
                .strategy(Strategies.BEST_SKILL));
        h.online(AgentDefinition.builder("a").skill("ja", 3));
        h.online(AgentDefinition.builder("b").skill("ja", 9));
        h.online(AgentDefinition.builder("c").skill("ja", 1));
        h.arrive("1", VOICE, "jp");
        assertThat(h.offeredToOne("1")).isEqualTo("b");
        h.arrive("2", VOICE, "jp");
        assertThat(h.offeredToOne("2")).isEqualTo("a");
        h.arrive("3", VOICE, "jp");
        assertThat(h.offeredTo("3")).isEmpty();
    }

    @Test
    void ringAllRingsEveryFreeAgentAndTheFirstAcceptWins() {
        Harness h = new Harness().queue(QueueDefinition.builder("v").channels(VOICE).strategy(Strategies.RING_ALL));
        for (String a : List.of("a", "b", "c")) {
            h.online(AgentDefinition.builder(a));
        }
        h.arrive("1", VOICE, "v");
        assertThat(h.offeredTo("1")).containsExactlyInAnyOrder("a", "b", "c");
        h.acd.accept("1", "b");
        assertThat(h.offeredTo("1")).isEmpty();
        assertThat(h.acd.agent("b").orElseThrow().assigned()).containsExactly("1");
        assertThat(h.state("a")).isEqualTo(PresenceState.AVAILABLE);
        assertThat(h.of("1")).filteredOn(e -> e.type() == InteractionEventType.REJECTED)
                .extracting(e -> e.attributes().get(AcdAttributes.REASON)).containsOnly("withdrawn");
        assertThatThrownBy(() -> h.acd.accept("1", "a")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPluggedInStrategyChoosesAmongTheCandidates() {
        Harness h = new Harness();
        h.acd.registerStrategy(new RoutingStrategy() {
            @Override
            public String name() {
                return "last-by-id";
            }

            @Override
            public String select(RoutingRequest request, List<AgentCandidate> candidates) {
                assertThat(request.channel()).isEqualTo(VOICE);
                return candidates.stream().max(Comparator.comparing(AgentCandidate::agentId)).orElseThrow().agentId();
            }
        });
        h.queue(QueueDefinition.builder("v").channels(VOICE).strategy("last-by-id"));
        for (String a : List.of("a", "c", "b")) {
            h.online(AgentDefinition.builder(a));
        }
        h.arrive("1", VOICE, "v");
        assertThat(h.offeredToOne("1")).isEqualTo("c");
        h.acd.unregisterStrategy("last-by-id");
        h.arrive("2", VOICE, "v");
        assertThat(h.offeredToOne("2")).isEqualTo("a");
    }

    @Test
    void builtInNamesCannotBeReplaced() {
        Harness h = new Harness();
        assertThatThrownBy(() -> h.acd.registerStrategy(new RoutingStrategy() {
            @Override
            public String name() {
                return Strategies.LONGEST_IDLE;
            }

            @Override
            public String select(RoutingRequest r, List<AgentCandidate> c) {
                return null;
            }
        })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void offeredEventsNameTheAgentAndQueue() {
        Harness h = new Harness().queue(QueueDefinition.builder("v").channels(VOICE)).online(AgentDefinition.builder("a"));
        h.arrive("1", VOICE, "v");
        InteractionEvent offered = h.of("1").stream().filter(e -> e.type() == InteractionEventType.OFFERED)
                .findFirst().orElseThrow();
        assertThat(offered.attributes()).containsEntry(AcdAttributes.AGENT_ID, "a").containsEntry(AcdAttributes.QUEUE_ID, "v");
        assertThat(h.types("1")).containsExactly(InteractionEventType.QUEUED, InteractionEventType.OFFERED);
    }
}
