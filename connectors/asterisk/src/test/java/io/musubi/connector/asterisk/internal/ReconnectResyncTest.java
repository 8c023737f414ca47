package io.musubi.connector.asterisk.internal;

import static io.musubi.connector.asterisk.internal.TestPbx.T;
import static io.musubi.connector.asterisk.internal.TestPbx.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.api.Health;
import io.musubi.connector.asterisk.ami.AmiTranscript;
import io.musubi.connector.asterisk.ami.Await;
import io.musubi.connector.asterisk.ami.ScriptedAmiServer;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asterisk replays nothing after a reconnect: the connector re-syncs from CoreShowChannels and QueueStatus (Asterisk's
 * recorded answers of 09). A call that ended during the outage ends in the hub (no agent left holding it), a caller
 * who arrived meanwhile gets an interaction, and nothing else does (no phantom interaction). Dynamic queue members
 * Asterisk forgot in a restart are added again.
 */
class ReconnectResyncTest {

    private static final AmiTranscript RESYNC = AmiTranscript.load("09-resync-reconnect.jsonl");
    private static final AmiTranscript HUB = AmiTranscript.load("05a-hub-redirect-routing.jsonl");
    private static final String WAITING_CALLER = "1795344057.4";
    private static final String BRIDGED_CALL = "1795344053.0";

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
    void aCallThatEndedDuringTheOutageReleasesItsAgentAndACallerWhoArrivedGetsAnInteraction() throws Exception {
        pbx = TestPbx.start(dir, Map.of("defaultQueue", "support"));
        pbx.available("1001");
        // a hub-routed call connected to agent 1001
        pbx.session.replay(HUB, 1, "Redirect").untilNote("agent hangs up", WAIT);
        Interaction call = pbx.interaction("1795343846.0");
        Await.until("connected", WAIT, () -> pbx.hub.acd().interaction(call.id())
                .map(i -> i.state() == InteractionState.CONNECTED).orElse(false));

        // Asterisk is killed (no Shutdown event, just EOF) and comes back with other calls than before
        pbx.server.handle("CoreShowChannels", ScriptedAmiServer.recorded(RESYNC, 2, "resync-coreshowchannels"))
                .handle("Getvar", (a, id) -> List.of("Response: Success\r\nActionID: " + id + "\r\nVariable: "
                        + a.first("Variable").orElse("") + "\r\nValue: "
                        + ("Local/5552222@callers-00000002;1".equals(a.first("Channel").orElse(""))
                        && "HUB_CALL".equals(a.first("Variable").orElse("")) ? WAITING_CALLER : "")
                        + "\r\n\r\n"));
        pbx.server.dropConnections();
        Await.until("reconnected", WAIT, () -> pbx.server.logins() >= 2);
        pbx.awaitResynced(2);

        pbx.awaitEvent(call.id(), InteractionEventType.ENDED);
        assertThat(pbx.hub.acd().agent(T + "/1001").orElseThrow().assigned()).isEmpty();
        assertThat(pbx.events(call.id())).filteredOn(e -> e.type() == InteractionEventType.ENDED).hasSize(1);

        Interaction arrived = pbx.interaction(WAITING_CALLER);
        assertThat(arrived.from().uri()).isEqualTo("tel:5552222");
        Await.until("the new caller queued", WAIT, () -> pbx.hub.acd().interaction(arrived.id()).isPresent());
        // the queue call of another dialplan and the agent's Local channels are no hub-routed callers
        assertThat(pbx.hasInteraction(BRIDGED_CALL)).isFalse();
        assertThat(pbx.hasInteraction("1795344053.2")).isFalse();
        assertThat(pbx.pbx.health().status()).isEqualTo(Health.Status.UP);
        assertThat(pbx.pbx.health().details()).containsEntry("reconnects", "1");
    }

    @Test
    void pbxRoutedResyncFindsWaitingAndAnsweredCallsAndReaddsMembersAfterARestart() throws Exception {
        pbx = TestPbx.start(dir, Map.of("mode", "pbx-routed", "memberInterfaceTemplate", "Local/{ext}@agents/n",
                "memberQueues", new String[] {"support"}));
        pbx.server.handle("CoreShowChannels", ScriptedAmiServer.recorded(RESYNC, 2, "resync-coreshowchannels"))
                .handle("QueueStatus", ScriptedAmiServer.recorded(RESYNC, 2, "resync-queuestatus"));
        pbx.available("1001");
        pbx.server.dropConnections();
        Await.until("reconnected", WAIT, () -> pbx.server.logins() >= 2);
        pbx.awaitResynced(2);

        Interaction waiting = pbx.interaction(WAITING_CALLER);
        assertThat(waiting.attributes()).containsEntry("musubi.routing", "external");
        assertThat(pbx.hub.acd().interaction(waiting.id())).isEmpty();
        Interaction answered = pbx.interaction(BRIDGED_CALL);
        pbx.awaitEvent(answered.id(), InteractionEventType.ACCEPTED);
        assertThat(pbx.hub.acd().agent(T + "/1001").orElseThrow().assigned()).containsExactly(answered.id());
        // the member was listed by QueueStatus: not added twice
        int adds = pbx.server.actions("QueueAdd").size();

        // Asterisk restarts: every call gone, no dynamic members (persistentmembers = no)
        pbx.server.handle("CoreShowChannels", ScriptedAmiServer.recorded(RESYNC, 3, "resync2-coreshowchannels"))
                .handle("QueueStatus", ScriptedAmiServer.recorded(RESYNC, 3, "resync2-queuestatus"));
        pbx.server.dropConnections();
        Await.until("reconnected after the restart", WAIT, () -> pbx.server.logins() >= 3);
        pbx.awaitResynced(3);
        pbx.awaitEvent(answered.id(), InteractionEventType.ENDED);
        pbx.awaitEvent(waiting.id(), InteractionEventType.ABANDONED);
        assertThat(pbx.hub.acd().agent(T + "/1001").orElseThrow().assigned()).isEmpty();
        pbx.awaitAction("QueueAdd", adds + 1);
        assertThat(pbx.lastAction("QueueAdd").first("Interface")).hasValue("Local/1001@agents/n");
    }

    @Test
    void eventsTheHubCannotTakeWaitInOrderAndGoInWhenItIsBack() throws Exception {
        pbx = TestPbx.start(dir, Map.of("defaultQueue", "support"));
        pbx.available("1001");
        pbx.hub.setAvailable(false);
        ScriptedAmiServer.Replay replay = pbx.session.replay(HUB, 1, "Redirect");
        replay.untilNote("hub decides", WAIT);
        Await.until("the arrival pending", WAIT, () -> !"0".equals(pbx.pbx.health().details().get("pending")));
        assertThat(pbx.hasInteraction("1795343846.0")).isFalse();

        pbx.hub.setAvailable(true);
        Interaction call = pbx.interaction("1795343846.0");
        // nothing was lost or reordered: the call is offered, redirected, answered and ended as without the outage
        replay.untilNote("Redirect of a channel that no longer exists", WAIT);
        pbx.awaitEvent(call.id(), InteractionEventType.ENDED);
        assertThat(pbx.types(call.id())).containsSubsequence(InteractionEventType.ARRIVED,
                InteractionEventType.OFFERED, InteractionEventType.ACCEPTED, InteractionEventType.ENDED);
        Await.until("nothing pending", WAIT, () -> "0".equals(pbx.pbx.health().details().get("pending")));
    }

    @Test
    void refusedCredentialsAreDownAndAPingWithoutAnswerReconnects() throws Exception {
        pbx = TestPbx.start(dir, Map.of("pingSeconds", 1, "responseTimeoutMillis", 500));
        pbx.server.refuseLogins(true);
        pbx.server.handle("Ping", (a, id) -> List.of()); // Asterisk stops answering (a half-open connection)
        Await.until("a ping unanswered", WAIT, () -> pbx.server.actions("Ping").size() >= 1);
        Await.until("DOWN on refused credentials", WAIT, () -> pbx.pbx.health().status() == Health.Status.DOWN);
        assertThat(pbx.pbx.health().detail()).contains("refused").doesNotContain(TestPbx.SECRET);

        pbx.server.handle("Ping", (a, id) -> List.of("Response: Success\r\nActionID: " + id
                + "\r\nPing: Pong\r\n\r\n"));
        pbx.server.refuseLogins(false);
        Await.until("UP again", WAIT, () -> pbx.pbx.health().status() == Health.Status.UP);
        assertThat(Integer.parseInt(pbx.pbx.health().details().get("reconnects"))).isGreaterThanOrEqualTo(1);
        assertThat(pbx.pbx.describe().toString()).doesNotContain(TestPbx.SECRET);
    }
}
