package io.musubi.hub.internal.ingress;

import io.musubi.hub.internal.events.AcdHistoryRecorder;
import io.musubi.hub.internal.events.HubEvents;
import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.testkit.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import io.musubi.spi.ConnectorAttributes;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connector-reported lifecycle applied to the real ACD and history (through the ingress processor). */
class ConnectorLifecycleTest {

    private static final String T = "t1";
    private static final String SRC = "asterisk.pbx1";
    private static final String HANAKO = T + "/hanako";
    private static final String TARO = T + "/taro";
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    private ManualClock clock;
    private HubHarness hub;

    @BeforeEach
    void setUp() {
        clock = new ManualClock(T0);
        hub = HubHarness.open(dir, clock);
        hub.acd().defineQueue(QueueDefinition.builder(T + "/support").channels(Channel.VOICE)
                .wrapUp(Duration.ofSeconds(30)).build());
        hub.acd().defineAgent(AgentDefinition.builder(HANAKO).build());
        hub.acd().defineAgent(AgentDefinition.builder(TARO).build());
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private void available(String agent) {
        hub.acd().setPresence(agent, PresenceState.AVAILABLE, "", Actors.agent(agent));
    }

    private Interaction submit(String id, InteractionEventType type, Map<String, String> attributes, Instant at) {
        Map<String, String> a = new HashMap<>(attributes);
        return hub.intake().submit(new InboundEvent(id, SRC, T, Channel.VOICE, type, Address.parse("tel:0312345678"),
                Address.parse("tel:8200"), "1795343846.0", null, a, at));
    }

    private Interaction arrive(Map<String, String> attributes) {
        Map<String, String> a = new HashMap<>(attributes);
        a.put(ConnectorAttributes.QUEUE, "support");
        return submit("u1/arrived", InteractionEventType.ARRIVED, a, T0);
    }

    private List<InteractionEvent> events(String interactionId) {
        return hub.history().interactionEvents(T, interactionId);
    }

    private InteractionState state(String interactionId) {
        return hub.history().findInteraction(T, interactionId).orElseThrow().state();
    }

    @Test
    void theAgentAnsweringAcceptsTheOfferOnceInTheHistory() {
        available(HANAKO);
        Interaction call = arrive(Map.of());
        assertThat(hub.acd().agent(HANAKO).orElseThrow().offered()).containsExactly(call.id());

        submit("u1/accepted", InteractionEventType.ACCEPTED, Map.of(ConnectorAttributes.AGENT_ID, "hanako"),
                T0.plusSeconds(4));
        submit("u1/accepted", InteractionEventType.ACCEPTED, Map.of(ConnectorAttributes.AGENT_ID, "hanako"),
                T0.plusSeconds(4)); // a redelivery

        assertThat(hub.acd().interaction(call.id()).orElseThrow().state()).isEqualTo(InteractionState.CONNECTED);
        assertThat(events(call.id())).filteredOn(e -> e.type() == InteractionEventType.ACCEPTED).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo("agent:" + HANAKO));
        assertThat(state(call.id())).isEqualTo(InteractionState.CONNECTED);
    }

    @Test
    void anAnswerByAnAgentTheCallWasNotOfferedToForceAssignsIt() {
        Interaction call = arrive(Map.of());
        submit("u1/accepted", InteractionEventType.ACCEPTED, Map.of(ConnectorAttributes.AGENT_ID, "taro"), T0);
        assertThat(hub.acd().interaction(call.id()).orElseThrow().agentId()).isEqualTo(TARO);
        assertThat(hub.acd().waiting(T + "/support")).isEmpty();
    }

    @Test
    void theCallerHangingUpWhileWaitingIsAnAbandonmentWithItsWait() {
        Interaction call = arrive(Map.of());
        clock.advance(Duration.ofSeconds(19));
        submit("u1/ended", InteractionEventType.ENDED, Map.of(), clock.instant());
        assertThat(hub.acd().interaction(call.id())).isEmpty();
        assertThat(events(call.id())).filteredOn(e -> e.type() == InteractionEventType.ABANDONED).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("waitMs", "19000"));
        assertThat(state(call.id())).isEqualTo(InteractionState.ABANDONED);
    }

    @Test
    void hangingUpAfterTheAnswerStartsWrapUpAndHoldAndResumeFollowThePhone() {
        available(HANAKO);
        Interaction call = arrive(Map.of());
        submit("u1/accepted", InteractionEventType.ACCEPTED, Map.of(ConnectorAttributes.AGENT_ID, "hanako"), T0);
        submit("u1/held", InteractionEventType.HELD, Map.of(), T0.plusSeconds(5));
        assertThat(state(call.id())).isEqualTo(InteractionState.HELD);
        submit("u1/resumed", InteractionEventType.RESUMED, Map.of(), T0.plusSeconds(9));
        assertThat(state(call.id())).isEqualTo(InteractionState.CONNECTED);
        submit("u1/ended", InteractionEventType.ENDED, Map.of(), T0.plusSeconds(60));
        assertThat(state(call.id())).isEqualTo(InteractionState.WRAP_UP);
        assertThat(events(call.id())).extracting(InteractionEvent::type).containsSubsequence(
                InteractionEventType.ACCEPTED, InteractionEventType.HELD, InteractionEventType.RESUMED,
                InteractionEventType.WRAP_UP);
    }

    @Test
    void aRejectedRingSendsTheCallBackToTheHeadOfTheQueueAndNotToThatAgentAgain() {
        available(HANAKO);
        Interaction call = arrive(Map.of());
        submit("u1/rejected", InteractionEventType.REJECTED,
                Map.of(ConnectorAttributes.AGENT_ID, "hanako", ConnectorAttributes.REASON, "busy"), T0);
        assertThat(hub.acd().interaction(call.id()).orElseThrow().state()).isEqualTo(InteractionState.QUEUED);
        assertThat(hub.acd().agent(HANAKO).orElseThrow().offered()).isEmpty();
        available(TARO);
        assertThat(hub.acd().agent(TARO).orElseThrow().offered()).containsExactly(call.id());
    }

    @Test
    void anAnswerByAnotherAgentWhileConnectedIsATransferToThatAgent() {
        available(HANAKO);
        available(TARO);
        Interaction call = arrive(Map.of());
        String first = hub.acd().interaction(call.id()).orElseThrow().agentId();
        String other = first.equals(HANAKO) ? TARO : HANAKO;
        submit("u1/accepted", InteractionEventType.ACCEPTED,
                Map.of(ConnectorAttributes.AGENT_ID, first.substring(3)), T0);
        submit("u1/accepted-2", InteractionEventType.ACCEPTED,
                Map.of(ConnectorAttributes.AGENT_ID, other.substring(3)), T0.plusSeconds(30));
        assertThat(hub.acd().interaction(call.id()).orElseThrow().agentId()).isEqualTo(other);
        assertThat(hub.acd().agent(first).orElseThrow().assigned()).isEmpty();
        assertThat(events(call.id())).extracting(InteractionEvent::type).contains(InteractionEventType.TRANSFERRED);
    }

    @Test
    void aCallTheProviderRoutesIsNeverQueuedButItsAnswerTakesTheAgentsCapacity() {
        available(HANAKO);
        Interaction call = arrive(Map.of(ConnectorAttributes.ROUTING, ConnectorAttributes.ROUTING_EXTERNAL));
        assertThat(hub.acd().interaction(call.id())).isEmpty();
        assertThat(hub.acd().agent(HANAKO).orElseThrow().offered()).isEmpty();

        submit("u1/offered", InteractionEventType.OFFERED, Map.of(ConnectorAttributes.AGENT_ID, "hanako",
                "asterisk.queue", "support"), T0.plusSeconds(1));
        submit("u1/accepted", InteractionEventType.ACCEPTED, Map.of(ConnectorAttributes.AGENT_ID, "hanako"),
                T0.plusSeconds(3));
        assertThat(hub.acd().agent(HANAKO).orElseThrow().assigned()).containsExactly(call.id());
        assertThat(hub.acd().agent(HANAKO).orElseThrow().routableChannels()).doesNotContain(Channel.VOICE);

        submit("u1/recording", InteractionEventType.RECORDING_STARTED, Map.of("file", "/var/spool/x.wav"),
                T0.plusSeconds(4));
        submit("u1/ended", InteractionEventType.ENDED, Map.of(), T0.plusSeconds(40));

        List<InteractionEvent> history = events(call.id());
        assertThat(history).filteredOn(e -> e.type() == InteractionEventType.OFFERED).singleElement()
                .satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("connector:" + SRC);
                    assertThat(e.attributes()).containsEntry(ConnectorAttributes.AGENT_ID, "hanako")
                            .containsEntry("asterisk.queue", "support");
                });
        assertThat(history).filteredOn(e -> e.type() == InteractionEventType.RECORDING_STARTED).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("file", "/var/spool/x.wav"));
        assertThat(state(call.id())).isEqualTo(InteractionState.WRAP_UP);
    }

    @Test
    void aCallerLeavingTheProvidersQueueIsAnAbandonmentInTheHistory() {
        Interaction call = arrive(Map.of(ConnectorAttributes.ROUTING, ConnectorAttributes.ROUTING_EXTERNAL));
        submit("u1/ended", InteractionEventType.ENDED, Map.of(), T0.plusSeconds(19));
        assertThat(events(call.id())).filteredOn(e -> e.type() == InteractionEventType.ABANDONED).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("waitMs", "19000")
                        .containsEntry("queueId", T + "/support"));
        assertThat(state(call.id())).isEqualTo(InteractionState.ABANDONED);
    }
}
