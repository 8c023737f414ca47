package io.musubi.connector.asterisk.internal;

import static io.musubi.connector.asterisk.internal.TestPbx.T;
import static io.musubi.connector.asterisk.internal.TestPbx.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.connector.asterisk.ami.AmiMessage;
import io.musubi.connector.asterisk.ami.AmiTranscript;
import io.musubi.connector.asterisk.ami.Await;
import io.musubi.connector.asterisk.ami.ScriptedAmiServer;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import io.musubi.spi.ConnectorStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hub-routed calls end to end: Asterisk 22's recorded side of 05a (the call parked in {@code inbound-hub} with
 * {@code UserEvent HubInbound} and music on hold, redirected to the agent, answered, hung up) played by the scripted
 * server, through the connector into the hub's ingress, ACD and history.
 */
class HubRoutedCallTest {

    private static final String CALL = "1795343846.0";
    private static final String CALLER_CHANNEL = "Local/5551234@callers-00000000;1";
    private static final AmiTranscript HUB = AmiTranscript.load("05a-hub-redirect-routing.jsonl");

    @TempDir
    Path dir;

    private TestPbx pbx;

    @AfterEach
    void tearDown() {
        if (pbx != null) {
            pbx.close();
        }
    }

    private TestPbx start(Map<String, Object> config) throws Exception {
        pbx = TestPbx.start(dir, config);
        return pbx;
    }

    @Test
    void theAcdsAgentGetsTheCallByRedirectAndTheAnswerHangUpEndIt() throws Exception {
        start(Map.of("defaultQueue", "support"));
        pbx.available("1001");
        ScriptedAmiServer.Replay replay = pbx.session.replay(HUB, 1, "Redirect");
        replay.untilNote("Redirect of a channel that no longer exists", WAIT);

        AmiMessage redirect = replay.answered().get(0);
        assertThat(redirect.first("Channel")).hasValue(CALLER_CHANNEL);
        assertThat(redirect.first("Context")).hasValue("hub-route");
        assertThat(redirect.first("Exten")).hasValue("1001");
        assertThat(redirect.first("Priority")).hasValue("1");

        Interaction call = pbx.interaction(CALL);
        pbx.awaitEvent(call.id(), InteractionEventType.ENDED);
        assertThat(pbx.types(call.id())).containsSubsequence(InteractionEventType.ARRIVED,
                InteractionEventType.QUEUED, InteractionEventType.OFFERED, InteractionEventType.ACCEPTED,
                InteractionEventType.ENDED);
        InteractionEvent accepted = pbx.events(call.id()).stream()
                .filter(e -> e.type() == InteractionEventType.ACCEPTED).findFirst().orElseThrow();
        assertThat(accepted.attributes()).containsEntry("agentId", T + "/1001");
        pbx.awaitState(call.id(), InteractionState.ENDED);
        Interaction stored = pbx.stored(call.id());
        assertThat(stored.from().uri()).isEqualTo("tel:5551234");
        assertThat(stored.to().uri()).isEqualTo("tel:8200");
        assertThat(stored.threadKey()).isEqualTo(CALL);
        assertThat(stored.queueId()).isEqualTo(T + "/support");
        assertThat(stored.attributes()).containsEntry("asterisk.uniqueid", CALL).containsEntry("musubi.source", "pbx1");
        // the agent is free again
        assertThat(pbx.hub.acd().agent(T + "/1001").orElseThrow().assigned()).isEmpty();
        assertThat(pbx.server.unknownActions()).isEmpty();
    }

    @Test
    void noAnswerWithinTheOfferTimeoutSendsTheCallBackToHoldingAndToTheNextAgent() throws Exception {
        start(Map.of("defaultQueue", "support"));
        pbx.available("1001");
        ScriptedAmiServer.Replay replay = pbx.session.replay(HUB, 1, "Redirect");
        // the agent's phone rings but is never answered
        replay.untilIn(WAIT, "Event: DialEnd", "Context: hub-route", "DialStatus: ANSWER");
        Interaction call = pbx.interaction(CALL);
        assertThat(pbx.hub.acd().interaction(call.id()).orElseThrow().state()).isEqualTo(InteractionState.OFFERED);

        pbx.clock.advance(Duration.ofSeconds(16));
        pbx.hub.acd().tick();

        pbx.awaitAction("Redirect", 2);
        AmiMessage back = pbx.lastAction("Redirect");
        assertThat(back.first("Channel")).hasValue(CALLER_CHANNEL);
        assertThat(back.first("Context")).hasValue("hub-route");
        assertThat(back.first("Exten")).hasValue("hold");
        assertThat(pbx.types(call.id())).contains(InteractionEventType.OFFER_TIMEOUT);
        assertThat(pbx.hub.acd().agent(T + "/1001").orElseThrow().state()).isEqualTo(PresenceState.NOT_RESPONDING);
        assertThat(pbx.hub.acd().interaction(call.id()).orElseThrow().state()).isEqualTo(InteractionState.QUEUED);

        // the next agent is offered the call: it is redirected there
        pbx.available("1002");
        pbx.awaitAction("Redirect", 3);
        assertThat(pbx.lastAction("Redirect").first("Exten")).hasValue("1002");
    }

    @Test
    void theCallerHangingUpWhileWaitingIsAnAbandonmentWithItsWaitTime() throws Exception {
        start(Map.of("defaultQueue", "support"));
        ScriptedAmiServer.Replay replay = pbx.session.replay(HUB, 1, "Redirect");
        replay.untilNote("hub decides", WAIT);
        Interaction call = pbx.interaction(CALL);
        Await.until("queued", WAIT, () -> pbx.hub.acd().interaction(call.id()).isPresent());

        pbx.clock.advance(Duration.ofSeconds(19));
        pbx.session.send(recordedHangupOf(CALLER_CHANNEL));

        pbx.awaitEvent(call.id(), InteractionEventType.ABANDONED);
        InteractionEvent abandoned = pbx.events(call.id()).stream()
                .filter(e -> e.type() == InteractionEventType.ABANDONED).findFirst().orElseThrow();
        assertThat(abandoned.attributes()).containsEntry("waitMs", "19000");
        Await.until("stored as abandoned", WAIT, () -> pbx.stored(call.id()).state() == InteractionState.ABANDONED);
        assertThat(pbx.server.actions("Redirect")).isEmpty();
    }

    @Test
    void theIvrChoiceOfTheDialplanChoosesTheQueueAndTravelsWithTheInteraction() throws Exception {
        start(Map.of("choiceQueues", new String[] {"2=support"}));
        AmiTranscript ivr = AmiTranscript.load("12-userevent-varset.jsonl");
        String caller = "1795344120.0";
        // DTMF 2 read by the IVR: VarSet IVR_CHOICE and UserEvent HubIvrChoice, as recorded
        pbx.session.replay(ivr, 1).untilIn(WAIT, "Event: QueueCallerJoin");
        // then the dialplan parks the call for the hub (the HubInbound of 05a, on this caller's channel)
        String hubInbound = HUB.conn(1).stream().filter(r -> r.raw().contains("UserEvent: HubInbound")).findFirst()
                .orElseThrow().raw().replace("1795343846.0", caller)
                .replace("Local/5551234@callers-00000000;1", "Local/5551234@callers-dtmf-00000000;1");
        pbx.session.send(hubInbound);

        Interaction call = pbx.interaction(caller);
        assertThat(call.queueId()).isEqualTo(T + "/support");
        assertThat(call.attributes()).containsEntry("asterisk.ivr.IVR_CHOICE", "2");
    }

    @Test
    void aCallTheQueueOverflowsToVoicemailIsRedirectedThereAndALeftMessageBecomesAFollowUp() throws Exception {
        pbx = TestPbx.start(dir, Map.of("defaultQueue", "support", "voicemailContext", "hub-voicemail",
                "voicemailExtension", "support"), hub -> hub.acd().defineQueue(
                io.musubi.acd.QueueDefinition.builder(T + "/support").channels(io.musubi.model.Channel.VOICE)
                        .maxWait(Duration.ofSeconds(60)).overflow(io.musubi.acd.OverflowTarget.voicemail()).build()));
        pbx.session.replay(HUB, 1, "Redirect").untilNote("hub decides", WAIT);
        Interaction call = pbx.interaction(CALL);
        Await.until("queued", WAIT, () -> pbx.hub.acd().interaction(call.id()).isPresent());

        pbx.clock.advance(Duration.ofSeconds(61));
        pbx.hub.acd().tick();
        pbx.awaitAction("Redirect", 1);
        AmiMessage toVoicemail = pbx.lastAction("Redirect");
        assertThat(toVoicemail.first("Context")).hasValue("hub-voicemail");
        assertThat(toVoicemail.first("Exten")).hasValue("support");
        assertThat(pbx.events(call.id())).filteredOn(e -> e.type() == InteractionEventType.ENDED).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("outcome", "voicemail"));

        // VoiceMail() sets VMSTATUS=SUCCESS on the caller's channel once a message was left
        pbx.session.send("Event: VarSet\r\nPrivilege: dialplan,all\r\nChannel: " + CALLER_CHANNEL
                + "\r\nUniqueid: " + CALL + "\r\nLinkedid: " + CALL + "\r\nVariable: VMSTATUS\r\nValue: SUCCESS"
                + "\r\n\r\n");
        Interaction followUp = pbx.interaction(CALL + "/voicemail");
        assertThat(followUp.id()).isNotEqualTo(call.id());
        assertThat(followUp.attributes()).containsEntry("asterisk.voicemail", "left")
                .containsEntry("asterisk.followUp", CALL);
        assertThat(followUp.queueId()).isEqualTo(T + "/support");
        Await.until("follow-up queued for an agent", WAIT,
                () -> pbx.hub.acd().waiting(T + "/support").stream()
                        .anyMatch(w -> w.interactionId().equals(followUp.id())));
        // the caller hangs up after leaving the message: nothing more for the ended call
        pbx.session.send(recordedHangupOf(CALLER_CHANNEL));
        pbx.pbx.drain();
        assertThat(pbx.events(call.id())).filteredOn(e -> e.type() == InteractionEventType.ENDED).hasSize(1);
    }

    @Test
    void aHubInboundWithoutAChannelIsCountedAsMalformedAndTheNextCallStillArrives() throws Exception {
        start(Map.of("defaultQueue", "support"));
        // What an AMI "Action: UserEvent" sent by a script produces: no channel, no Uniqueid, no call to tie it to.
        pbx.session.send("Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: HubInbound\r\nQueue: support\r\n"
                + "CallerIDNum: 5551234\r\nHubCall: \r\n\r\n");
        Await.until("counted as malformed", WAIT,
                () -> "1".equals(pbx.pbx.health().details().get(ConnectorStatus.MALFORMED)));

        pbx.session.replay(HUB, 1, "Redirect").untilNote("hub decides", WAIT);
        assertThat(pbx.interaction(CALL).attributes()).containsEntry("asterisk.uniqueid", CALL);
        assertThat(pbx.pbx.calls()).isEqualTo(1);
    }

    /** The Hangup Asterisk sent for a channel in 05a. */
    static String recordedHangupOf(String channel) {
        return HUB.conn(1).stream().filter(AmiTranscript.Record::isIn)
                .filter(r -> r.raw().startsWith("Event: Hangup\r\n") && r.raw().contains("Channel: " + channel + "\r\n"))
                .findFirst().orElseThrow().raw();
    }
}
