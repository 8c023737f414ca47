package io.musubi.connector.asterisk.internal;

import static io.musubi.connector.asterisk.internal.TestPbx.T;
import static io.musubi.connector.asterisk.internal.TestPbx.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.connector.asterisk.ami.AmiMessage;
import io.musubi.connector.asterisk.ami.AmiTranscript;
import io.musubi.connector.asterisk.ami.Await;
import io.musubi.connector.asterisk.ami.ScriptedAmiServer;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.spi.CallControl;
import io.musubi.spi.CallControlException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call control against Asterisk 22's recorded answers: recording (08), supervisor monitoring in the three modes (07),
 * blind and attended transfers with Asterisk 22's missing feature code (06a, 06b), hold on the phone (06c) and by the
 * hub, click-to-dial (05b). The history shows each with the data the AMI events lack (the monitoring mode, the file).
 */
class CallControlTest {

    private static final Map<String, Object> PBX = Map.of("mode", "pbx-routed",
            "memberInterfaceTemplate", "Local/{ext}@agents/n", "dialTemplate", "Local/{ext}@agents/n",
            "supervisorDialTemplate", "Local/{ext}@supervisor/n");

    @TempDir
    Path dir;

    private TestPbx pbx;

    @AfterEach
    void tearDown() {
        if (pbx != null) {
            pbx.close();
        }
    }

    private CallControl control() {
        return pbx.pbx.callControl();
    }

    private static <T> T done(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    private List<InteractionEvent> events(Interaction i, InteractionEventType type) {
        return pbx.events(i.id()).stream().filter(e -> e.type() == type).toList();
    }

    @Test
    void recordingStartsAndStopsWithTheFileInTheHistoryAndAHangUpEndsItWithoutMixMonitorStop() throws Exception {
        pbx = TestPbx.start(dir, PBX);
        AmiTranscript rec = AmiTranscript.load("08-mixmonitor.jsonl");
        ScriptedAmiServer.Replay replay = pbx.session.replay(rec, 1, "MixMonitor", "StopMixMonitor");
        replay.untilNote("start recording the agent channel", WAIT);
        Interaction call = pbx.interaction("1795344031.0");
        pbx.awaitEvent(call.id(), InteractionEventType.ACCEPTED);

        CompletableFuture<Void> start = CompletableFuture.runAsync(() -> control().startRecording(call));
        replay.untilNote("mute the customer's direction", WAIT);
        done(start);
        AmiMessage mixMonitor = replay.answered().get(0);
        assertThat(mixMonitor.first("Channel")).hasValue("Local/5551234@callers-tone-00000000;1");
        assertThat(mixMonitor.first("File")).hasValue("/var/spool/asterisk/monitor/pbx1-1795344031.0-1.wav");
        assertThat(mixMonitor.first("Options")).hasValue("b");
        pbx.awaitEvent(call.id(), InteractionEventType.RECORDING_STARTED);
        assertThat(events(call, InteractionEventType.RECORDING_STARTED).get(0).attributes())
                .containsEntry("file", "/var/spool/asterisk/monitor/hub-1795344031.0.wav")
                .containsEntry("recording", "asterisk:pbx1:/var/spool/asterisk/monitor/hub-1795344031.0.wav");

        replay.untilNote("Getvar MIXMONITOR_FILENAME", WAIT);
        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> control().stopRecording(call));
        replay.untilNote("MixMonitor without File", WAIT);
        done(stop);
        pbx.awaitEvent(call.id(), InteractionEventType.RECORDING_STOPPED);

        // a second recording (started on the PBX) ends with the hang-up: Asterisk sends no MixMonitorStop
        replay.expectOnly().skipUntil(r -> r.isMeta() && r.meta().contains("second recording on the customer channel"))
                .untilNote("error cases", WAIT);
        Await.until("recorded twice, stopped twice", WAIT,
                () -> events(call, InteractionEventType.RECORDING_STOPPED).size() == 2);
        assertThat(events(call, InteractionEventType.RECORDING_STOPPED).get(1).attributes())
                .containsEntry("reason", "hangup");
        pbx.awaitEvent(call.id(), InteractionEventType.ENDED);
    }

    @Test
    void aSupervisorListensWhispersAndBargesAndTheHistoryKnowsWhichAlthoughAmiDoesNotSay() throws Exception {
        pbx = TestPbx.start(dir, PBX);
        AmiTranscript spy = AmiTranscript.load("07-chanspy.jsonl");
        ScriptedAmiServer.Replay replay = pbx.session.replay(spy, 1).onClientAction((sent, rest) -> {
            // the spying channel gets the id the hub gave it (ChannelId), where the recorder let Asterisk choose
            String recorded = rest.stream().filter(r -> r.raw().startsWith("Event: ChanSpyStart")).findFirst()
                    .flatMap(r -> r.message().first("SpyerUniqueid")).orElseThrow();
            return Map.of(recorded, sent.first("ChannelId").orElseThrow());
        });
        replay.untilNote("spies on the agent channel in listen mode", WAIT).expectOnly("Originate");
        Interaction call = pbx.interaction("1795343993.0");
        pbx.awaitEvent(call.id(), InteractionEventType.ACCEPTED);

        String[] notes = {"spies on the agent channel in whisper mode", "spies on the agent channel in barge mode",
            "channel prefix that matches nothing"};
        CallControl.MonitorMode[] modes = CallControl.MonitorMode.values();
        for (int n = 0; n < 3; n++) {
            CallControl.MonitorMode mode = modes[n];
            CompletableFuture<Void> asked = CompletableFuture.runAsync(
                    () -> control().monitor(call, mode, "7001", "supervisor:sv1"));
            int sent = n + 1;
            Await.until("the supervisor's phone called", WAIT,
                    () -> asked.isCompletedExceptionally() || pbx.server.actions("Originate").size() >= sent);
            if (asked.isCompletedExceptionally()) {
                done(asked);
            }
            replay.untilNote(notes[n], WAIT);
            done(asked);
        }
        List<AmiMessage> originates = replay.answered();
        assertThat(originates).extracting(m -> m.first("Data").orElse("")).containsExactly(
                "Local/1001@agents-00000001;1,qE", "Local/1001@agents-00000001;1,qwE",
                "Local/1001@agents-00000001;1,qBE");
        assertThat(originates).allSatisfy(m -> {
            assertThat(m.first("Channel")).hasValue("Local/7001@supervisor/n");
            assertThat(m.first("Application")).hasValue("ChanSpy");
        });
        Await.until("three monitoring sessions started and stopped", WAIT,
                () -> events(call, InteractionEventType.CONFERENCED).size() == 6);
        assertThat(events(call, InteractionEventType.CONFERENCED)).extracting(
                e -> e.attributes().get("monitor") + "/" + e.attributes().get("monitorState")).containsExactly(
                "listen/started", "listen/stopped", "whisper/started", "whisper/stopped", "barge/started",
                "barge/stopped");
        assertThat(events(call, InteractionEventType.CONFERENCED).get(0).attributes())
                .containsEntry("supervisor", "supervisor:sv1");
    }

    @Test
    void aBlindTransferOutOfTheContactCenterRedirectsTheCustomerAndReleasesTheAgent() throws Exception {
        pbx = TestPbx.start(dir, PBX);
        ScriptedAmiServer.Replay replay = pbx.session.replay(AmiTranscript.load("06a-blind-transfer.jsonl"), 1,
                "Redirect");
        replay.untilNote("hub blind-transfers the customer", WAIT);
        Interaction call = pbx.interaction("1795343898.0");
        pbx.awaitEvent(call.id(), InteractionEventType.ACCEPTED);
        CompletableFuture<Void> transfer = CompletableFuture.runAsync(
                () -> control().transfer(call, "1002", CallControl.TransferMode.BLIND));
        replay.untilNote("customer now talks to 1002", WAIT);
        done(transfer);
        AmiMessage redirect = replay.answered().get(0);
        assertThat(redirect.first("Channel")).hasValue("Local/5551234@callers-00000000;1");
        assertThat(redirect.first("Context")).hasValue("hub-route");
        assertThat(redirect.first("Exten")).hasValue("1002");
        pbx.awaitEvent(call.id(), InteractionEventType.ENDED);
        assertThat(events(call, InteractionEventType.TRANSFERRED).get(0).attributes())
                .containsEntry("transfer", "blind").containsEntry("target", "1002");
        assertThat(pbx.hub.acd().agent(T + "/1001").orElseThrow().assigned()).isEmpty();
    }

    @Test
    void anAttendedTransferWithoutTheFeatureCodeIsRefusedClearlyAndWithItCompletesWhenTheAgentHangsUp()
            throws Exception {
        pbx = TestPbx.start(dir, PBX);
        ScriptedAmiServer.Replay replay = pbx.session.replay(AmiTranscript.load("06b-attended-transfer.jsonl"), 1,
                "Atxfer");
        replay.untilNote("Atxfer while features.conf has no 'atxfer' code", WAIT);
        Interaction first = pbx.interaction("1795343930.0");
        pbx.awaitEvent(first.id(), InteractionEventType.ACCEPTED);
        CompletableFuture<Void> refused = CompletableFuture.runAsync(
                () -> control().transfer(first, "1002", CallControl.TransferMode.ATTENDED));
        replay.untilNote("customer hangs up call 1", WAIT);
        assertThatThrownBy(() -> done(refused)).isInstanceOfSatisfying(CallControlException.class, e -> {
            assertThat(e.reason()).isEqualTo(CallControlException.Reason.REFUSED);
            assertThat(e.getMessage()).contains("features.conf");
        });
        assertThat(replay.answered().get(0).first("Channel")).hasValue("Local/1001@agents-00000001;1");

        replay.untilNote("Atxfer Local/1001@agents-00000003;1 -> hub-route,1002", WAIT);
        Interaction second = pbx.interaction("1795343940.4");
        pbx.awaitEvent(second.id(), InteractionEventType.ACCEPTED);
        for (String note : List.of("consultation up; CancelAtxfer", "customer now talks to 1002")) {
            CompletableFuture<Void> atxfer = CompletableFuture.runAsync(
                    () -> control().transfer(second, "1002", CallControl.TransferMode.ATTENDED));
            replay.untilNote(note, WAIT);
            done(atxfer);
        }
        pbx.awaitEvent(second.id(), InteractionEventType.ENDED);
        // the customer heard music while the agent consulted (Atxfer, then CancelAtxfer), and the transfer completed
        assertThat(pbx.types(second.id())).containsSubsequence(InteractionEventType.HELD,
                InteractionEventType.RESUMED, InteractionEventType.TRANSFERRED, InteractionEventType.ENDED);
        assertThat(events(second, InteractionEventType.TRANSFERRED).get(0).attributes())
                .containsEntry("transfer", "attended");
    }

    @Test
    void holdOnThePhoneAndByTheHubAreRecordedAndTheHubsHoldIsResumedByBridging() throws Exception {
        pbx = TestPbx.start(dir, Map.of("routeExtensionTemplate", "sip{ext}", "defaultQueue", "support"));
        pbx.server.handle("Bridge", ScriptedAmiServer.success("Channels have been bridged"));
        pbx.available("1001");
        AmiTranscript sip = AmiTranscript.load("06c-hold-sip-phone.jsonl");
        ScriptedAmiServer.Replay replay = pbx.session.replay(sip, 1, "Redirect");
        replay.untilNote("customer hangs up", WAIT).expectOnly();
        assertThat(replay.answered().get(0).first("Exten")).hasValue("sip1001");
        Interaction call = pbx.interaction("1795343971.0");
        Await.until("held and resumed on the phone", WAIT, () -> pbx.types(call.id())
                .containsAll(List.of(InteractionEventType.HELD, InteractionEventType.RESUMED)));
        pbx.awaitState(call.id(), InteractionState.CONNECTED);

        control().hold(call);
        AmiMessage hold = pbx.lastAction("Redirect");
        assertThat(hold.first("Channel")).hasValue("Local/5551234@callers-00000000;1");
        assertThat(hold.first("ExtraChannel")).hasValueSatisfying(c -> assertThat(c).startsWith("PJSIP/1001-"));
        assertThat(hold.first("Exten")).hasValue("hold");
        assertThat(hold.first("ExtraExten")).hasValue("agent-hold");
        pbx.session.send(recorded(sip, "Event: MusicOnHoldStart"));
        Await.until("held by the hub", WAIT, () -> pbx.stored(call.id()).state() == InteractionState.HELD);

        control().resume(call);
        AmiMessage bridge = pbx.lastAction("Bridge");
        assertThat(bridge.first("Channel1")).hasValue("Local/5551234@callers-00000000;1");
        assertThat(bridge.first("Channel2")).hasValueSatisfying(c -> assertThat(c).startsWith("PJSIP/1001-"));
        pbx.session.send(recorded(sip, "Event: MusicOnHoldStop"));
        Await.until("resumed", WAIT, () -> pbx.stored(call.id()).state() == InteractionState.CONNECTED);
        assertThatThrownBy(() -> control().resume(call)).isInstanceOfSatisfying(CallControlException.class,
                e -> assertThat(e.reason()).isEqualTo(CallControlException.Reason.NO_CALL));

        // held by the hub again when the customer hangs up: the agent's line is not left waiting in agent-hold
        control().hold(call);
        String agentChannel = pbx.lastAction("Redirect").first("ExtraChannel").orElseThrow();
        replay.toEnd(WAIT);
        pbx.awaitEvent(call.id(), InteractionEventType.ENDED);
        Await.until("the agent's line hung up", WAIT, () -> pbx.server.actions("Hangup").stream()
                .anyMatch(h -> h.first("Channel").map(agentChannel::equals).orElse(false)));
    }

    @Test
    void clickToDialRingsTheAgentThenTheCustomerAsAnOutboundInteractionOfTheAgent() throws Exception {
        pbx = TestPbx.start(dir, PBX);
        pbx.available("1001");
        ScriptedAmiServer.Replay replay = pbx.session.replay(AmiTranscript.load("05b-click-to-dial-originate.jsonl"),
                1, "Originate").onClientAction((sent, rest) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("c2d-42-agent-2", sent.first("OtherChannelId").orElseThrow());
                    m.put("c2d-42-agent", sent.first("ChannelId").orElseThrow());
                    return m;
                });
        replay.untilNote("click-to-dial", WAIT);
        CompletableFuture<String> dial = CompletableFuture.supplyAsync(() -> control().dial(T + "/1001", "5559876", "Yamada Hanako"));
        replay.untilNote("failure 1", WAIT);
        String callId = done(dial);
        AmiMessage originate = replay.answered().get(0);
        assertThat(originate.first("Channel")).hasValue("Local/1001@agents/n");
        assertThat(originate.first("Context")).hasValue("outbound");
        assertThat(originate.first("Exten")).hasValue("5559876");
        assertThat(originate.first("ChannelId")).hasValue(callId);
        assertThat(originate.first("CallerID")).hasValue("\"Yamada Hanako\" <5559876>");

        Interaction call = pbx.interaction(callId);
        assertThat(call.from().uri()).isEqualTo("tel:5559876");
        assertThat(call.attributes()).containsEntry("asterisk.direction", "outbound");
        pbx.awaitEvent(call.id(), InteractionEventType.ENDED);
        InteractionEvent accepted = events(call, InteractionEventType.ACCEPTED).get(0);
        assertThat(accepted.attributes()).containsEntry("agentId", T + "/1001").containsEntry("forced", "true");
        assertThat(pbx.hub.acd().agent(T + "/1001").orElseThrow().assigned()).isEmpty();

        // a busy destination: Asterisk answers the Originate, then reports the failure
        CompletableFuture<String> busy = CompletableFuture.supplyAsync(() -> control().dial(T + "/1002", "5559876", null));
        replay.untilNote("failure 2", WAIT);
        Interaction failed = pbx.interaction(done(busy));
        pbx.awaitEvent(failed.id(), InteractionEventType.ENDED);
        assertThat(pbx.hub.acd().agent(T + "/1002").orElseThrow().assigned()).isEmpty();
    }

    private static String recorded(AmiTranscript t, String firstLine) {
        return t.conn(1).stream().filter(r -> r.isIn() && r.raw().startsWith(firstLine + "\r\n")).findFirst()
                .orElseThrow().raw();
    }
}
