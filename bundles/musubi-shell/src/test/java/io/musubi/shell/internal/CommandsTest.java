package io.musubi.shell.internal;

import io.musubi.acd.Actors;
import io.musubi.acd.AgentStatus;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command classes and their views against a real engine (no container). */
class CommandsTest {

    ContactCentre cc;
    ContactCentre.Out out;

    @BeforeEach
    void setUp() {
        cc = new ContactCentre();
        out = new ContactCentre.Out();
    }

    private static List<String> rows(String text) {
        return Arrays.stream(text.split("\\R")).filter(l -> !l.isBlank()).toList();
    }

    private static String rowOf(String text, String first) {
        return rows(text).stream().filter(l -> l.trim().startsWith(first + " ")).findFirst().orElseThrow();
    }

    /** The cells of a table row (ShellTable separates columns by " | "). */
    private static String[] cells(String row) {
        return row.trim().split("\\s*\\|\\s*");
    }

    // ---------------------------------------------------------------- musubi:agents

    @Test
    void agentsShowStateTimeInStateLoadAndOccupancy() {
        cc.acd.enqueue(ContactCentre.call("call-1", "cust-1"));      // longest idle: hanako
        cc.acd.accept("call-1", "hanako");
        cc.clock.advanceSeconds(90);

        AgentsCommand cmd = new AgentsCommand();
        cmd.acd = cc.acd;
        cmd.out = out.stream;
        cmd.execute();

        String text = out.text();
        assertThat(rows(text).get(0)).contains("Agent", "Name", "State", "Reason", "In state", "Load", "Occupancy");
        assertThat(rowOf(text, "hanako")).contains("Hanako Yamada", "BUSY", "1m30s", "VOICE 1/1", "99%");      // busy 90 s of 91 s logged in
        assertThat(rowOf(text, "taro")).contains("AVAILABLE", "1m30s", " - ", "0%");
        assertThat(rowOf(text, "jiro")).contains("OFFLINE");
    }

    @Test
    void agentFiltersByStateLoggedInAndGlob() {
        cc.acd.setPresence("taro", PresenceState.AWAY, "break", Actors.agent("taro"));
        List<AgentStatus> all = cc.acd.agents();

        assertThat(AcdViews.selectAgents(all, PresenceState.AWAY, false, null)).extracting(AgentStatus::agentId)
                .containsExactly("taro");
        assertThat(AcdViews.selectAgents(all, null, true, null)).extracting(AgentStatus::agentId)
                .containsExactly("hanako", "taro");
        assertThat(AcdViews.selectAgents(all, null, false, "*ro")).extracting(AgentStatus::agentId)
                .containsExactly("taro", "jiro");
        assertThat(AcdViews.selectAgents(all, null, false, "h?nako")).extracting(AgentStatus::agentId)
                .containsExactly("hanako");

        AgentsCommand cmd = new AgentsCommand();
        cmd.acd = cc.acd;
        cmd.out = out.stream;
        cmd.state = "away";
        cmd.verbose = true;
        cmd.execute();
        assertThat(rows(out.text())).hasSize(3);      // header, underline, taro
        assertThat(rowOf(out.text(), "taro")).contains("AWAY", "break");
        assertThat(rows(out.text()).get(0)).contains("Routable", "Handled", "Offered", "Assigned");
    }

    @Test
    void verboseShowsRoutableChannelsAndCounts() {
        cc.clock.advanceSeconds(1);
        cc.acd.enqueue(ContactCentre.line("line-1", "cust-1"));      // offered to hanako (idle longest)
        cc.acd.enqueue(ContactCentre.call("call-1", "cust-2"));      // taro has now been idle longest
        AgentsCommand cmd = new AgentsCommand();
        cmd.acd = cc.acd;
        cmd.out = out.stream;
        cmd.verbose = true;
        cmd.loggedIn = true;
        cmd.execute();
        AgentStatus h = cc.acd.agent("hanako").orElseThrow();
        assertThat(h.offered()).containsExactly("line-1");
        assertThat(cells(rowOf(out.text(), "hanako"))).endsWith("LINE 1/3", "0%",
                "VOICE,VIDEO,WEBCHAT,LINE,SMS,EMAIL,FAX,SOCIAL,CUSTOM", "0", "1", "0");
        // taro rings for the call: a call blocks every other channel
        assertThat(cells(rowOf(out.text(), "taro"))).endsWith("VOICE 1/1", "0%", "-", "0", "1",
                "0");
        assertThat(out.text()).doesNotContain("jiro");
    }

    // ---------------------------------------------------------------- musubi:queues

    @Test
    void queuesShowRealTimeStatistics() {
        cc.acd.enqueue(ContactCentre.call("call-1", "cust-1"));      // to hanako (longest idle)
        cc.clock.advanceSeconds(4);
        cc.acd.accept("call-1", "hanako");
        cc.acd.enqueue(ContactCentre.call("call-2", "cust-2"));      // to taro
        cc.clock.advanceSeconds(10);
        cc.acd.abandon("call-2");
        cc.acd.setPresence("taro", PresenceState.AWAY, "break", Actors.agent("taro"));
        cc.acd.enqueue(ContactCentre.call("call-3", "cust-3"));      // nobody free: waits
        cc.clock.advanceSeconds(12);
        cc.acd.end("call-1", Actors.agent("hanako"));               // 30 s wrap-up
        cc.clock.advanceSeconds(30);
        cc.acd.tick();                                              // hanako free again: call-3 rings

        QueuesCommand cmd = new QueuesCommand();
        cmd.acd = cc.acd;
        cmd.out = out.stream;
        cmd.execute();

        String text = out.text();
        assertThat(rows(text).get(0)).contains("Queue", "Open", "Waiting", "Longest", "Avail", "Busy", "Away",
                "Offered", "Answered", "Abandoned", "SL", "ASA", "AHT");
        // 0 waiting (call-3 rings), longest 42 s (ringing counts), hanako busy, taro away, 3 offers, 1 answered in
        // 4 s, 1 abandoned: SL 1/2; AHT = accept to the end of wrap-up = 52 s
        assertThat(cells(rowOf(text, "voice"))).containsExactly("voice", "yes", "0", "42s", "0", "1",
                "1", "3", "1", "1", "50.0%", "4s", "52s");
        assertThat(rowOf(text, "chat")).contains("100.0%");
    }

    @Test
    void queueGlobSelectsQueues() {
        assertThat(AcdViews.selectQueues(cc.acd.queueStatistics(), "ch*")).hasSize(1);
        assertThat(AcdViews.selectQueues(cc.acd.queueStatistics(), null)).hasSize(2);
    }

    // ---------------------------------------------------------------- musubi:queue-waiting

    @Test
    void waitingListsInOfferOrderWithoutCustomerData() {
        cc.acd.setPresence("hanako", PresenceState.AWAY, "lunch", Actors.agent("hanako"));
        cc.acd.setPresence("taro", PresenceState.AWAY, "lunch", Actors.agent("taro"));
        for (int i = 1; i <= 5; i++) {
            cc.acd.enqueue(ContactCentre.call("call-" + i, "cust-secret-" + i));
            cc.clock.advanceSeconds(10);
        }

        QueueWaitingCommand cmd = new QueueWaitingCommand();
        cmd.acd = cc.acd;
        cmd.out = out.stream;
        cmd.clock = cc.clock;
        cmd.queue = "voice";
        cmd.max = 3;
        cmd.execute();

        String text = out.text();
        List<String> lines = rows(text);
        assertThat(lines.get(0)).contains("#", "Interaction", "Channel", "Priority", "Waited", "Requeued",
                "Waiting for");
        assertThat(cells(lines.get(2))).containsExactly("1", "call-1", "VOICE", "0.0", "50s", "no",
                "-");
        assertThat(lines.get(4)).contains("call-3", "30s");
        assertThat(text).doesNotContain("call-4");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("5 waiting in voice (VOICE 5); showing the first 3 (--max)");
        assertThat(text).doesNotContain("cust-secret", ContactCentre.SECRET_NUMBER, "3123", "my secret question");
    }

    @Test
    void waitingShowsTheAgentAnInteractionWaitsFor() {
        cc.acd.enqueue(ContactCentre.line("line-1", "cust-1"));
        cc.acd.accept("line-1", "hanako");
        cc.acd.setPresence("hanako", PresenceState.AWAY, "break", Actors.agent("hanako"));
        cc.acd.defineQueue(io.musubi.acd.QueueDefinition.builder("chat").channels(io.musubi.model.Channel.LINE)
                .sticky(io.musubi.acd.StickyConfig.preferred()).build());
        cc.acd.setPresence("taro", PresenceState.AWAY, "break", Actors.agent("taro"));
        cc.acd.enqueue(ContactCentre.line("line-2", "cust-1"));       // waits for hanako (last agent)

        String text = render("chat", 50);
        assertThat(rowOf(text, "1")).contains("line-2", "LINE", "hanako");
        assertThat(text).doesNotContain(ContactCentre.SECRET_LINE_USER, "cust-1");
    }

    @Test
    void emptyQueueAndUnknownQueue() {
        String text = render("voice", 50);
        assertThat(text).contains("nothing waiting", "0 waiting in voice");
        assertThatThrownBy(() -> render("nope", 50)).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> render("voice", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private String render(String queue, int max) {
        ContactCentre.Out o = new ContactCentre.Out();
        QueueWaitingCommand cmd = new QueueWaitingCommand();
        cmd.acd = cc.acd;
        cmd.out = o.stream;
        cmd.clock = cc.clock;
        cmd.queue = queue;
        cmd.max = max;
        cmd.execute();
        return o.text();
    }

    // ---------------------------------------------------------------- musubi:agent-presence

    @Test
    void supervisorSetsPresenceWithReason() {
        cc.clock.advance(Duration.ofMinutes(5));
        AgentPresenceCommand cmd = new AgentPresenceCommand();
        cmd.acd = cc.acd;
        cmd.out = out.stream;
        cmd.user = () -> "alice";
        cmd.agent = "taro";
        cmd.state = "away";
        cmd.reason = "meeting-room";
        cmd.execute();

        AgentStatus taro = cc.acd.agent("taro").orElseThrow();
        assertThat(taro.state()).isEqualTo(PresenceState.AWAY);
        assertThat(taro.reasonCode()).isEqualTo("meeting-room");
        PresenceChange change = cc.presence.get(cc.presence.size() - 1);
        assertThat(change.actor()).isEqualTo("supervisor:alice");
        assertThat(change.to()).isEqualTo(PresenceState.AWAY);
        assertThat(change.reasonCode()).isEqualTo("meeting-room");
        assertThat(out.text().trim()).isEqualTo("taro: AWAY (meeting-room) since 2025-04-01T09:05:01Z");
    }

    @Test
    void supervisorLogsAnAgentOutAndItsOfferIsWithdrawn() {
        cc.acd.enqueue(ContactCentre.call("call-1", "cust-1"));
        assertThat(cc.acd.agent("hanako").orElseThrow().offered()).containsExactly("call-1");
        AgentPresenceCommand cmd = new AgentPresenceCommand();
        cmd.acd = cc.acd;
        cmd.out = out.stream;
        cmd.user = () -> null;
        cmd.agent = "hanako";
        cmd.state = "OFFLINE";
        cmd.execute();
        assertThat(cc.acd.agent("hanako").orElseThrow().offered()).isEmpty();
        assertThat(cc.acd.agent("taro").orElseThrow().offered()).containsExactly("call-1");
        assertThat(cc.presence).filteredOn(p -> p.agentId().equals("hanako")).last()
                .satisfies(p -> assertThat(p.actor()).isEqualTo("supervisor:console"))
                .satisfies(p -> assertThat(p.to()).isEqualTo(PresenceState.OFFLINE));
    }

    // ---------------------------------------------------------------- tenant-scoped ids (issue #9)

    /** The hub's engine holds tenant-scoped ids, as the REST API and the ingress create them. */
    private void defineTenants() {
        cc.acd.defineQueue(io.musubi.acd.QueueDefinition.builder("default/support").channels(
                io.musubi.model.Channel.VOICE).build());
        cc.acd.defineQueue(io.musubi.acd.QueueDefinition.builder("acme/support").channels(
                io.musubi.model.Channel.VOICE).build());
        cc.acd.defineAgent(io.musubi.acd.AgentDefinition.builder("default/alice").build());
        cc.acd.defineAgent(io.musubi.acd.AgentDefinition.builder("acme/alice").build());
    }

    private String setPresence(String agent, String state) {
        ContactCentre.Out o = new ContactCentre.Out();
        AgentPresenceCommand cmd = new AgentPresenceCommand();
        cmd.acd = cc.acd;
        cmd.out = o.stream;
        cmd.user = () -> "admin";
        cmd.agent = agent;
        cmd.state = state;
        cmd.execute();
        return o.text();
    }

    @Test
    void aPlainAgentIdMeansTheDefaultTenantAndAScopedOneIsTakenAsItIs() {
        defineTenants();

        assertThat(setPresence("alice", "AVAILABLE")).startsWith("default/alice: AVAILABLE");
        assertThat(cc.acd.agent("default/alice").orElseThrow().state()).isEqualTo(PresenceState.AVAILABLE);
        assertThat(cc.acd.agent("acme/alice").orElseThrow().state()).isEqualTo(PresenceState.OFFLINE);

        assertThat(setPresence("acme/alice", "AWAY")).startsWith("acme/alice: AWAY");
        assertThat(cc.acd.agent("acme/alice").orElseThrow().state()).isEqualTo(PresenceState.AWAY);
        assertThat(cc.acd.agent("default/alice").orElseThrow().state()).isEqualTo(PresenceState.AVAILABLE);

        assertThatThrownBy(() -> setPresence("bob", "AVAILABLE")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("default/bob");
    }

    @Test
    void aPlainQueueIdMeansTheDefaultTenant() {
        defineTenants();
        cc.acd.setPresence("hanako", PresenceState.AWAY, "lunch", Actors.agent("hanako"));
        cc.acd.setPresence("taro", PresenceState.AWAY, "lunch", Actors.agent("taro"));
        cc.acd.enqueue(new io.musubi.model.Interaction("acme-call", "acme", io.musubi.model.Channel.VOICE, "c1",
                io.musubi.model.Address.of("tel", ContactCentre.SECRET_NUMBER), null, "acme-call", "acme/support", 0,
                java.util.Map.of(), io.musubi.model.InteractionState.NEW, java.time.Instant.EPOCH, null, "", ""));

        assertThat(render("support", 50)).contains("nothing waiting", "0 waiting in default/support");
        assertThat(render("acme/support", 50)).contains("acme-call", "1 waiting in acme/support");
    }

    @Test
    void globsWithoutATenantSelectTheDefaultTenant() {
        defineTenants();
        List<AgentStatus> agents = cc.acd.agents();
        assertThat(AcdViews.selectAgents(agents, null, false, "ali*")).extracting(AgentStatus::agentId)
                .containsExactly("default/alice");
        assertThat(AcdViews.selectAgents(agents, null, false, "alice")).extracting(AgentStatus::agentId)
                .containsExactly("default/alice");
        assertThat(AcdViews.selectAgents(agents, null, false, "acme/*")).extracting(AgentStatus::agentId)
                .containsExactly("acme/alice");
        assertThat(AcdViews.selectAgents(agents, null, false, "*/alice")).extracting(AgentStatus::agentId)
                .containsExactlyInAnyOrder("default/alice", "acme/alice");
        assertThat(AcdViews.selectQueues(cc.acd.queueStatistics(), "support"))
                .extracting(io.musubi.acd.QueueStatistics::queueId).containsExactly("default/support");
        assertThat(ConsoleIds.shown("default/alice")).isEqualTo("alice");
        assertThat(ConsoleIds.shown("acme/alice")).isEqualTo("acme/alice");
    }

    @Test
    void presenceArgumentsAreChecked() {
        assertThat(PresenceArgs.parseState("not-responding")).isEqualTo(PresenceState.NOT_RESPONDING);
        assertThat(PresenceArgs.parseState(" Available ")).isEqualTo(PresenceState.AVAILABLE);
        assertThatThrownBy(() -> PresenceArgs.parseState("busy")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("derived");
        assertThatThrownBy(() -> PresenceArgs.parseState("sleeping")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AVAILABLE");
        assertThat(PresenceArgs.settableStates()).doesNotContain("BUSY").contains("AVAILABLE", "OFFLINE", "DND");
        assertThat(PresenceArgs.parseAnyState("busy")).isEqualTo(PresenceState.BUSY);

        AgentPresenceCommand cmd = new AgentPresenceCommand();
        cmd.acd = cc.acd;
        cmd.out = out.stream;
        cmd.user = () -> "alice";
        cmd.agent = "nobody";
        cmd.state = "AVAILABLE";
        assertThatThrownBy(cmd::execute).isInstanceOf(NoSuchElementException.class);
    }
}
