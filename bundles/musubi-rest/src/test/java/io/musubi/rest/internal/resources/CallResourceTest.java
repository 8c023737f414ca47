package io.musubi.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AgentDefinition;
import io.musubi.testkit.ManualClock;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.rest.Allowed;
import io.musubi.rest.Role;
import io.musubi.spi.CallControl;
import io.musubi.spi.CallControlException;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The call-control resources end to end over HTTP (Jersey on Grizzly with the API's mapper and problem+json), on a
 * real H2 history and ACD, with a call control standing in for the voice connector: who may act on which call, input
 * refused before it reaches the PBX, the PBX's refusals as statuses.
 */
class CallResourceTest {

    private static final String T = "acme";
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final String A1 = TestServer.caller(T, "a1", Role.AGENT);
    private static final String A2 = TestServer.caller(T, "a2", Role.AGENT);
    private static final String SUPERVISOR = TestServer.caller(T, null, Role.SUPERVISOR);
    private static final String OTHER_TENANT = TestServer.caller("other", null, Role.ADMIN);

    /** What the voice connector was asked, or what it answers. */
    static final class FakeCallControl implements CallControl {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile CallControlException refuse;

        @Override
        public String connectorId() {
            return "pbx1";
        }

        @Override
        public String tenantId() {
            return T;
        }

        private void asked(String what) {
            if (refuse != null) {
                throw refuse;
            }
            calls.add(what);
        }

        @Override
        public String dial(String agentId, String destination, String displayName) {
            asked("dial " + agentId + " " + destination);
            return "c2d-1";
        }

        @Override
        public void transfer(Interaction i, String destination, TransferMode mode) {
            asked("transfer " + i.id() + " " + destination + " " + mode);
        }

        @Override
        public void hold(Interaction i) {
            asked("hold " + i.id());
        }

        @Override
        public void resume(Interaction i) {
            asked("resume " + i.id());
        }

        @Override
        public void startRecording(Interaction i) {
            asked("record " + i.id());
        }

        @Override
        public void stopRecording(Interaction i) {
            asked("stop " + i.id());
        }

        @Override
        public void monitor(Interaction i, MonitorMode mode, String ext, String supervisor) {
            asked("monitor " + i.id() + " " + mode + " " + ext + " " + supervisor);
        }
    }

    private JdbcStore history;
    private AcdEngine acd;
    private FakeCallControl pbx;
    private TestServer server;
    private Interaction call;
    private Interaction chat;

    @BeforeEach
    void setUp() {
        history = JdbcStore.open(JdbcSettings.embedded(Path.of("target", "h2", "calls-" + UUID.randomUUID())));
        acd = Acd.newEngine(new ManualClock(T0));
        acd.defineAgent(AgentDefinition.builder(T + "/a1").build());
        acd.defineAgent(AgentDefinition.builder(T + "/a2").build());
        call = interaction("i-call", Channel.VOICE, "tel:+81312345678");
        chat = interaction("i-chat", Channel.WEBCHAT, "webchat:v1");
        pbx = new FakeCallControl();
        CallResource calls = new CallResource(acd, history.store());
        calls.addCallControl(pbx);
        AgentCallsResource dial = new AgentCallsResource(acd);
        dial.addCallControl(pbx);
        server = TestServer.start(calls, dial);
    }

    private Interaction interaction(String id, Channel channel, String from) {
        Interaction i = new Interaction(id, T, channel, "", Address.parse(from), null, "t-" + id, "", 0,
                Map.of("musubi.source", "pbx1"), InteractionState.NEW, T0, T0, "", "");
        history.store().saveInteraction(i);
        acd.forceAssign(i, T + "/a1", "connector:pbx1");
        return i;
    }

    @AfterEach
    void tearDown() {
        server.close();
        history.close();
    }

    private HttpResponse<String> post(String path, String caller, String json) throws Exception {
        return server.send("POST", path, caller, json);
    }

    @Test
    void anAgentControlsItsOwnCallAndTheConnectorIsAsked() throws Exception {
        HttpResponse<String> r = post("interactions/i-call/call/transfer", A1, "{\"target\":\"1002\"}");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).contains("\"interactionId\":\"i-call\"").contains("\"operation\":\"transfer\"");
        assertThat(post("interactions/i-call/call/transfer", A1, "{\"target\":\"+81 3-1234-5678\",\"mode\":"
                + "\"attended\"}").statusCode()).isEqualTo(202);
        for (String op : List.of("hold", "resume", "record", "record/stop")) {
            assertThat(post("interactions/i-call/call/" + op, A1, null).statusCode()).as(op).isEqualTo(202);
        }
        assertThat(pbx.calls).containsExactly("transfer i-call 1002 BLIND", "transfer i-call +81312345678 ATTENDED",
                "hold i-call", "resume i-call", "record i-call", "stop i-call");
    }

    @Test
    void anotherAgentsCallAndAnotherTenantsAreNotFound() throws Exception {
        HttpResponse<String> other = post("interactions/i-call/call/hold", A2, null);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(post("interactions/i-call/call/hold", OTHER_TENANT, null).statusCode()).isEqualTo(404);
        assertThat(pbx.calls).isEmpty();
    }

    @Test
    void aValueThatIsNotANumberOrAnExtensionNeverReachesThePbx() throws Exception {
        for (String target : List.of("1002\\r\\nAction: Hangup\\r\\nChannel: /.*/", "1002@other", "Local/1002",
                "", "12345678901234567890123456789012345")) {
            HttpResponse<String> r = post("interactions/i-call/call/transfer", A1, "{\"target\":\"" + target + "\"}");
            assertThat(r.statusCode()).as(target).isEqualTo(400);
            assertThat(r.body()).contains("target");
        }
        assertThat(post("interactions/i-call/call/transfer", A1, "{\"target\":\"1002\",\"mode\":\"sideways\"}")
                .statusCode()).isEqualTo(400);
        assertThat(post("interactions/i-call/call/monitor", SUPERVISOR, "{\"mode\":\"listen\",\"extension\":"
                + "\"7001\\nApplication: System\"}").statusCode()).isEqualTo(400);
        assertThat(post("agents/a1/calls", A1, "{\"to\":\"0312345678\\r\\nAction: Originate\"}").statusCode())
                .isEqualTo(400);
        assertThat(pbx.calls).isEmpty();
    }

    @Test
    void thePbxsRefusalsAreConflictsAndAnUnreachablePbxIsUnavailable() throws Exception {
        pbx.refuse = new CallControlException(CallControlException.Reason.REFUSED,
                "the PBX has no attended-transfer feature code");
        HttpResponse<String> refused = post("interactions/i-call/call/transfer", A1,
                "{\"target\":\"1002\",\"mode\":\"attended\"}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("feature code");
        pbx.refuse = new CallControlException(CallControlException.Reason.NO_CALL, "the interaction has no live call");
        assertThat(post("interactions/i-call/call/hold", A1, null).statusCode()).isEqualTo(409);
        pbx.refuse = new CallControlException(CallControlException.Reason.INVALID, "target", "target is not dialable");
        assertThat(post("interactions/i-call/call/transfer", A1, "{\"target\":\"1002\"}").statusCode()).isEqualTo(400);
        pbx.refuse = new CallControlException(CallControlException.Reason.UNAVAILABLE, "the PBX is not connected");
        assertThat(post("interactions/i-call/call/record", A1, null).statusCode()).isEqualTo(503);
    }

    @Test
    void supervisorsMonitorInTheModeTheyAskAndOnlyCallsHaveCallControl() throws Exception {
        for (String mode : List.of("listen", "whisper", "barge")) {
            assertThat(post("interactions/i-call/call/monitor", SUPERVISOR, "{\"mode\":\"" + mode
                    + "\",\"extension\":\"7001\"}").statusCode()).isEqualTo(202);
        }
        assertThat(pbx.calls).containsExactly("monitor i-call LISTEN 7001 supervisor:test-key",
                "monitor i-call WHISPER 7001 supervisor:test-key", "monitor i-call BARGE 7001 supervisor:test-key");
        assertThat(post("interactions/i-call/call/monitor", SUPERVISOR, "{\"mode\":\"spy\",\"extension\":\"7001\"}")
                .statusCode()).isEqualTo(400);
        assertThat(CallResource.class.getMethod("monitor", jakarta.ws.rs.core.SecurityContext.class, String.class,
                CallJson.Monitor.class).getAnnotation(Allowed.class).value())
                .containsExactlyInAnyOrder(Role.SUPERVISOR, Role.ADMIN);
        assertThat(post("interactions/i-chat/call/hold", A1, null).statusCode()).isEqualTo(409);
    }

    @Test
    void anAgentDialsForItselfAndASupervisorForAnyAgentOfTheTenant() throws Exception {
        HttpResponse<String> r = post("agents/a1/calls", A1, "{\"to\":\"+81312345678\"}");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).contains("\"callId\":\"c2d-1\"").contains("\"connectorId\":\"pbx1\"");
        assertThat(post("agents/a2/calls", A1, "{\"to\":\"1002\"}").statusCode()).isEqualTo(404);
        assertThat(post("agents/a2/calls", SUPERVISOR, "{\"to\":\"1002\"}").statusCode()).isEqualTo(202);
        assertThat(post("agents/nobody/calls", SUPERVISOR, "{\"to\":\"1002\"}").statusCode()).isEqualTo(404);
        assertThat(post("agents/a1/calls", SUPERVISOR, "{\"to\":\"1002\",\"connectorId\":\"pbx9\"}").statusCode())
                .isEqualTo(400);
        assertThat(pbx.calls).containsExactly("dial acme/a1 +81312345678", "dial acme/a2 1002");
        // a tenant without a voice connector
        HttpResponse<String> none = server.send("POST", "agents/a1/calls", TestServer.caller("other", "a1",
                Role.AGENT), "{\"to\":\"1002\"}");
        assertThat(none.statusCode()).isIn(404, 409);
    }
}
