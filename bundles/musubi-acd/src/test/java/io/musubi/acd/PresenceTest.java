package io.musubi.acd;

import io.musubi.model.InteractionEventType;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static io.musubi.model.Channel.VOICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Presence (DESIGN §6). */
class PresenceTest {

    @Test
    void everyChangeIsAnEventWithActorReasonAndTimestamp() {
        Harness h = new Harness().agent(AgentDefinition.builder("a"));
        h.acd.setPresence("a", PresenceState.AVAILABLE, "", Actors.agent("a"));
        h.advance(60);
        h.acd.setPresence("a", PresenceState.BREAK, "coffee", Actors.agent("a"));
        h.advance(60);
        h.acd.setPresence("a", PresenceState.MEETING, "1on1", Actors.supervisor("boss"));
        h.acd.setPresence("a", PresenceState.DND, "", Actors.connector("asterisk"));
        List<PresenceChange> changes = h.presence("a");
        assertThat(changes).extracting(PresenceChange::to).containsExactly(PresenceState.AVAILABLE,
                PresenceState.BREAK, PresenceState.MEETING, PresenceState.DND);
        assertThat(changes).extracting(PresenceChange::from).containsExactly(PresenceState.OFFLINE,
                PresenceState.AVAILABLE, PresenceState.BREAK, PresenceState.MEETING);
        assertThat(changes).extracting(PresenceChange::actor).containsExactly("agent:a", "agent:a",
                "supervisor:boss", "connector:asterisk");
        assertThat(changes.get(1).reasonCode()).isEqualTo("coffee");
        assertThat(changes.get(1).timestamp()).isEqualTo(Instant.parse("2025-04-01T00:01:00Z"));
        assertThat(changes.get(0).tenantId()).isEqualTo("default");
        assertThat(h.acd.agent("a").orElseThrow().reasonCode()).isEmpty();
    }

    @Test
    void timeInStateIsExact() {
        Harness h = new Harness().agent(AgentDefinition.builder("a"));
        h.acd.setPresence("a", PresenceState.LUNCH, "", Actors.agent("a"));
        h.advance(45 * 60);
        AgentStatus s = h.acd.agent("a").orElseThrow();
        assertThat(s.state()).isEqualTo(PresenceState.LUNCH);
        assertThat(s.timeInState()).isEqualTo(Duration.ofMinutes(45));
    }

    @Test
    void busyIsDerivedAndCannotBeSet() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE))
                .online(AgentDefinition.builder("a").onlyChannels(VOICE));
        assertThatThrownBy(() -> h.acd.setPresence("a", PresenceState.BUSY, "", Actors.agent("a")))
                .isInstanceOf(IllegalArgumentException.class);
        h.arrive("c1", VOICE, "q");
        assertThat(h.state("a")).isEqualTo(PresenceState.BUSY);
        PresenceChange busy = h.presence("a").get(h.presence("a").size() - 1);
        assertThat(busy.to()).isEqualTo(PresenceState.BUSY);
        assertThat(busy.actor()).isEqualTo(Actors.SYSTEM);
        h.acd.accept("c1", "a");
        h.acd.end("c1", Actors.agent("a"));
        assertThat(h.state("a")).isEqualTo(PresenceState.AVAILABLE);
    }

    @Test
    void onlyAvailableIsRoutable() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE)).agent(AgentDefinition.builder("a"));
        for (PresenceState s : PresenceState.values()) {
            if (s == PresenceState.BUSY || s == PresenceState.AVAILABLE) {
                continue;
            }
            h.acd.setPresence("a", s, "", Actors.agent("a"));
            h.arrive("c-" + s, VOICE, "q");
            assertThat(h.offersOf("a")).as("state %s", s).isEmpty();
            h.acd.abandon("c-" + s);
        }
    }

    @Test
    void awayReasonsCanBeRestricted() {
        Harness h = new Harness(AcdConfig.defaults().withAwayReasons(Set.of("lunch", "training")))
                .agent(AgentDefinition.builder("a"));
        h.acd.setPresence("a", PresenceState.AWAY, "lunch", Actors.agent("a"));
        assertThatThrownBy(() -> h.acd.setPresence("a", PresenceState.AWAY, "nap", Actors.agent("a")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(h.state("a")).isEqualTo(PresenceState.AWAY);
    }

    @Test
    void loggingOutWithdrawsOffersWithoutBlamingTheAgent() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE))
                .online(AgentDefinition.builder("a")).agent(AgentDefinition.builder("b"));
        h.arrive("c1", VOICE, "q");
        assertThat(h.offeredToOne("c1")).isEqualTo("a");
        h.acd.setPresence("a", PresenceState.OFFLINE, "", Actors.agent("a"));
        assertThat(h.types("c1")).endsWith(InteractionEventType.REJECTED, InteractionEventType.QUEUED);
        h.acd.setPresence("b", PresenceState.AVAILABLE, "", Actors.agent("b"));
        assertThat(h.offeredToOne("c1")).isEqualTo("b");
        h.acd.reject("c1", "b", "");
        h.acd.setPresence("a", PresenceState.AVAILABLE, "", Actors.agent("a"));
        assertThat(h.offeredToOne("c1")).isEqualTo("a");
    }

    @Test
    void notRespondingAgentComesBackByItself() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE)).online(AgentDefinition.builder("a"));
        h.arrive("c1", VOICE, "q");
        h.advance(15);
        assertThat(h.state("a")).isEqualTo(PresenceState.NOT_RESPONDING);
        h.arrive("c2", VOICE, "q");
        assertThat(h.offersOf("a")).isEmpty();
        h.acd.setPresence("a", PresenceState.AVAILABLE, "", Actors.agent("a"));
        assertThat(h.offersOf("a")).containsExactly("c2");
    }
}
