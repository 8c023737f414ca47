package io.musubi.connector.asterisk.internal;

import static io.musubi.connector.asterisk.internal.TestPbx.T;
import static io.musubi.connector.asterisk.internal.TestPbx.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.AgentDefinition;
import io.musubi.acd.AgentStatus;
import io.musubi.connector.asterisk.ami.AmiMessage;
import io.musubi.connector.asterisk.ami.AmiTranscript;
import io.musubi.connector.asterisk.ami.Await;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.MessageContent;
import io.musubi.model.PresenceState;
import io.musubi.spi.ConnectorAttributes;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PBX-routed calls: app_queue distributes (03 answered, 04 ring-no-answer then abandoned, as recorded); the hub
 * records the queue's events as the interaction's history (never queuing it itself), the answer takes the agent's
 * capacity through force-assign, and each agent's queue membership and pause follow the hub (design point ②).
 */
class PbxRoutedCallTest {

    private static final Map<String, Object> PBX = Map.of("mode", "pbx-routed",
            "memberInterfaceTemplate", "Local/{ext}@agents/n");

    @TempDir
    Path dir;

    private TestPbx pbx;

    @AfterEach
    void tearDown() {
        if (pbx != null) {
            pbx.close();
        }
    }

    @Test
    void anAnsweredQueueCallIsRecordedAndTakesTheAgentsCapacityUntilItEnds() throws Exception {
        pbx = TestPbx.start(dir, PBX);
        pbx.available("1001");
        pbx.session.replay(AmiTranscript.load("03-queue-call-answered.jsonl"), 1)
                .untilNote("customer hangs up", WAIT);
        Interaction call = pbx.interaction("1795343806.0");
        pbx.awaitEvent(call.id(), InteractionEventType.ACCEPTED);
        assertThat(call.attributes()).containsEntry(ConnectorAttributes.ROUTING, ConnectorAttributes.ROUTING_EXTERNAL)
                .containsEntry("asterisk.queue", "support");
        assertThat(call.queueId()).isEqualTo(T + "/support");
        AgentStatus agent = pbx.hub.acd().agent(T + "/1001").orElseThrow();
        assertThat(agent.assigned()).containsExactly(call.id());
        assertThat(agent.routableChannels()).isEmpty(); // a call blocks every other channel

        pbx.session.replay(AmiTranscript.load("03-queue-call-answered.jsonl"), 1)
                .skipUntil(r -> r.isMeta() && r.meta().contains("customer hangs up")).toEnd(WAIT);
        pbx.awaitEvent(call.id(), InteractionEventType.ENDED);
        List<InteractionEvent> events = pbx.events(call.id());
        assertThat(events).extracting(InteractionEvent::type).containsSubsequence(InteractionEventType.ARRIVED,
                InteractionEventType.OFFERED, InteractionEventType.ACCEPTED, InteractionEventType.ENDED);
        assertThat(events).extracting(InteractionEvent::type).doesNotContain(InteractionEventType.QUEUED);
        InteractionEvent offered = events.stream().filter(e -> e.type() == InteractionEventType.OFFERED).findFirst()
                .orElseThrow();
        assertThat(offered.actor()).isEqualTo("connector:pbx1");
        assertThat(offered.attributes()).containsEntry(ConnectorAttributes.AGENT_ID, "1001");
        assertThat(pbx.hub.acd().agent(T + "/1001").orElseThrow().assigned()).isEmpty();
    }

    @Test
    void aRingNoAnswerIsAnOfferTimeoutAndAGivenUpCallerAnAbandonmentWithTheQueuesHoldTime() throws Exception {
        pbx = TestPbx.start(dir, PBX);
        pbx.session.replay(AmiTranscript.load("04-queue-ringnoanswer-abandon.jsonl"), 1).toEnd(WAIT);
        Interaction call = pbx.interaction("1795343820.0");
        pbx.awaitEvent(call.id(), InteractionEventType.ABANDONED);
        List<InteractionEvent> events = pbx.events(call.id());
        InteractionEvent timeout = events.stream().filter(e -> e.type() == InteractionEventType.OFFER_TIMEOUT)
                .findFirst().orElseThrow();
        assertThat(timeout.attributes()).containsEntry(ConnectorAttributes.AGENT_ID, "9001")
                .containsEntry("ringMs", "15000");
        assertThat(events).filteredOn(e -> e.type() == InteractionEventType.OFFERED).hasSize(2);
        InteractionEvent abandoned = events.stream().filter(e -> e.type() == InteractionEventType.ABANDONED)
                .findFirst().orElseThrow();
        assertThat(abandoned.attributes()).containsEntry("waitMs", "19000");
        pbx.awaitState(call.id(), InteractionState.ABANDONED);
        // the agent never had it
        assertThat(pbx.hub.acd().agent(T + "/9001").orElseThrow().assigned()).isEmpty();
    }

    @Test
    void queueMembershipAndPauseFollowTheHubSoAnAgentBusyOnChatGetsNoCall() throws Exception {
        pbx = TestPbx.start(dir, Map.of("mode", "pbx-routed", "memberInterfaceTemplate", "Local/{ext}@agents/n",
                "memberQueues", new String[] {"support"}), hub -> {
                    // one chat uses the agent's whole shared capacity: no call while it lasts
                    hub.acd().defineAgent(AgentDefinition.builder(T + "/1001").sharedCapacity(1).build());
                });
        pbx.available("1001");
        pbx.awaitAction("QueueAdd", 1);
        AmiMessage add = pbx.lastAction("QueueAdd");
        assertThat(add.first("Queue")).hasValue("support");
        assertThat(add.first("Interface")).hasValue("Local/1001@agents/n");
        assertThat(add.first("MemberName")).hasValue("1001");
        assertThat(add.first("StateInterface")).hasValue("PJSIP/1001");
        assertThat(add.first("Paused")).hasValue("false");

        // a web chat offered and accepted: the ACD would offer no call now, so app_queue must not either
        Interaction chat = pbx.hub.intake().submit(new InboundEvent("chat-1", "api", T, Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, Address.parse("webchat:visitor-1"), null, "visitor-1",
                MessageContent.text("hello"), Map.of(), pbx.clock.instant()));
        Await.until("chat offered", WAIT, () -> pbx.hub.acd().agent(T + "/1001").orElseThrow().offered()
                .contains(chat.id()));
        pbx.hub.acd().accept(chat.id(), T + "/1001");
        pbx.awaitAction("QueuePause", 1);
        AmiMessage pause = pbx.lastAction("QueuePause");
        assertThat(pause.first("Interface")).hasValue("Local/1001@agents/n");
        assertThat(pause.first("Paused")).hasValue("true");
        assertThat(pause.first("Reason")).hasValueSatisfying(r -> assertThat(r).startsWith("musubi:"));
        assertThat(pause.first("Queue")).isEmpty();

        // the chat ends: calls again
        pbx.hub.acd().end(chat.id(), "agent:" + T + "/1001");
        pbx.awaitAction("QueuePause", 2);
        assertThat(pbx.lastAction("QueuePause").first("Paused")).hasValue("false");

        // logged out of the hub: out of the queue
        pbx.hub.acd().setPresence(T + "/1001", PresenceState.OFFLINE, "", "agent:" + T + "/1001");
        pbx.awaitAction("QueueRemove", 1);
        assertThat(pbx.lastAction("QueueRemove").first("Interface")).hasValue("Local/1001@agents/n");
    }
}
