package io.musubi.acd;

import io.musubi.model.Channel;
import io.musubi.model.PresenceState;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.musubi.model.Channel.VOICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Real-time statistics (DESIGN §5.7). */
class StatisticsTest {

    @Test
    void queueStatistics() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE)
                        .serviceLevel(ServiceLevel.of(80, Duration.ofSeconds(20))))
                .agent(AgentDefinition.builder("a")).agent(AgentDefinition.builder("b"))
                .agent(AgentDefinition.builder("c"));
        h.acd.setPresence("c", PresenceState.BREAK, "", Actors.agent("c"));
        h.arrive("c1", VOICE, "q");
        h.arrive("c2", VOICE, "q");
        h.arrive("c3", VOICE, "q");
        h.advance(10);
        QueueStatistics s = h.acd.queueStatistics("q").orElseThrow();
        assertThat(s.waiting()).isEqualTo(3);
        assertThat(s.longestWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.agentsAway()).isEqualTo(1);

        h.acd.setPresence("a", PresenceState.AVAILABLE, "", Actors.agent("a"));
        h.acd.accept("c1", "a");            // answered after 10 s
        h.advance(20);
        h.acd.setPresence("b", PresenceState.AVAILABLE, "", Actors.agent("b"));
        h.acd.accept("c2", "b");            // answered after 30 s
        h.acd.abandon("c3");                // abandoned after 30 s
        h.advance(60);
        h.acd.end("c1", Actors.agent("a")); // handled 80 s
        h.acd.end("c2", Actors.agent("b")); // handled 60 s

        s = h.acd.queueStatistics("q").orElseThrow();
        assertThat(s.waiting()).isZero();
        assertThat(s.offered()).isEqualTo(2);
        assertThat(s.answered()).isEqualTo(2);
        assertThat(s.abandoned()).isEqualTo(1);
        assertThat(s.serviceLevelPercent()).isCloseTo(100.0 / 3, within(0.01));
        assertThat(s.averageSpeedOfAnswer()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.averageHandleTime()).isEqualTo(Duration.ofSeconds(70));
        assertThat(s.agentsAvailable()).isEqualTo(2);
        assertThat(h.acd.queueStatistics()).hasSize(1);

        h.acd.resetStatistics();
        assertThat(h.acd.queueStatistics("q").orElseThrow().answered()).isZero();
    }

    @Test
    void agentStatistics() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE, Channel.LINE))
                .online(AgentDefinition.builder("a").name("Hanako"));
        h.advance(60);
        h.arrive("c1", VOICE, "q");
        h.acd.accept("c1", "a");
        h.advance(60);
        h.acd.end("c1", Actors.agent("a"));
        h.arrive("l1", Channel.LINE, "q");
        h.acd.accept("l1", "a");
        h.acd.end("l1", Actors.agent("a"));
        h.advance(60);
        AgentStatus s = h.acd.agent("a").orElseThrow();
        assertThat(s.name()).isEqualTo("Hanako");
        assertThat(s.state()).isEqualTo(PresenceState.AVAILABLE);
        assertThat(s.occupancy()).isCloseTo(1.0 / 3, within(0.001));
        assertThat(s.handled()).containsEntry(VOICE, 1L).containsEntry(Channel.LINE, 1L);
        assertThat(s.capacity()).containsEntry(Channel.LINE, 3);
        assertThat(h.acd.agents()).extracting(AgentStatus::agentId).containsExactly("a");
        assertThat(h.acd.queues()).extracting(QueueDefinition::id).containsExactly("q");
    }
}
