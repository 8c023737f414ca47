package io.musubi.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.history.JdbcHistory;
import io.musubi.history.JdbcSettings;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the ACD does, as the history's current picture of an interaction shows it. */
class AcdHistoryRecorderTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    private JdbcHistory history;
    private AcdEngine acd;
    private final ManualClock clock = new ManualClock(T0);

    @BeforeEach
    void setUp() {
        history = JdbcHistory.open(JdbcSettings.embedded(dir.resolve("history")));
        acd = Acd.newEngine(clock);
        acd.addListener(new AcdHistoryRecorder(history.store(), new HubEvents()));
        acd.defineQueue(QueueDefinition.builder("t1/q").channels(Channel.values()).wrapUp(Duration.ofSeconds(60))
                .build());
        acd.defineAgent(AgentDefinition.builder("t1/alice").build());
        acd.setPresence("t1/alice", PresenceState.AVAILABLE, "", Actors.agent("alice"));
    }

    @AfterEach
    void tearDown() {
        history.close();
    }

    @Test
    void theDispositionSetAtWrapUpStaysOnTheInteractionWhenItEnds() {
        Interaction i = new Interaction("i-1", "t1", Channel.WEBCHAT, "c-1", Address.parse("webchat:v1"), null, "",
                "t1/q", 0, Map.of(), InteractionState.NEW, T0, T0, "", "");
        history.store().saveInteraction(i);
        acd.enqueue(i);
        acd.accept("i-1", "t1/alice");

        acd.setDisposition("i-1", "answered", Actors.agent("alice"));
        acd.end("i-1", Actors.agent("alice"));
        assertThat(stored().disposition()).isEqualTo("answered");
        acd.completeWrapUp("i-1", "", Actors.agent("alice"));

        Interaction ended = stored();
        assertThat(ended.state()).isEqualTo(InteractionState.ENDED);
        assertThat(ended.disposition()).isEqualTo("answered");
    }

    private Interaction stored() {
        return history.store().findInteraction("t1", "i-1").orElseThrow();
    }
}
