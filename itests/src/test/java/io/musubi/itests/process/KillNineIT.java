package io.musubi.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.itests.Await;
import io.musubi.itests.PacedFileWriter;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.store.JourneyPage;
import io.musubi.store.JourneyQuery;
import io.musubi.identity.IdentityServices;
import io.musubi.model.Address;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §11 "nothing lost": numbered events stream into a running hub, the hub is killed with SIGKILL in the
 * middle, started again on the same data, and afterwards every event the hub had acknowledged — and every other
 * one, once redelivered — is in the customer's history exactly once.
 *
 * <p>The demo connector acknowledges an event by moving its file to {@code .done}, which it does only after the
 * broker took the message persistently; the broker's journal and the history store do the rest.
 */
class KillNineIT {

    private static final int EVENTS = 300;
    private static final int KILL_AFTER_ACKNOWLEDGED = 80;

    private HubProcess hub;

    @AfterEach
    void cleanUp() throws Exception {
        if (hub != null && hub.isAlive()) {
            hub.killHard();
        }
    }

    @Test
    void aHubKilledMidStreamLosesNoAcknowledgedEventAndDuplicatesNone() throws Exception {
        Path tarGz = Path.of(System.getProperty("musubi.distribution"));
        Path home = Path.of("target", "kill9-" + System.nanoTime()).toAbsolutePath();
        hub = HubProcess.install(tarGz, home, 18381, 15672);
        Path inbox = home.resolve("data/demo/inbox");
        Path done = inbox.resolve(".done");

        hub.start();
        // Also the demo connector: it creates the inbox, which the writer needs (under load the ingress route can be
        // up minutes before the connector's feature is).
        Await.until("hub ready with its ingress route and the demo connector's inbox", Duration.ofSeconds(180),
                () -> hub.health().contains("\"musubi-ingress\":\"Started 1/1 routes\"") && Files.isDirectory(inbox));

        String prefix = "k9-";
        // The ingress route can be up before the demo connector created its inbox: a first file dropped then fails
        // and stops the writer. The file consumer takes an existing directory as it is.
        Files.createDirectories(inbox);
        // A steady stream, one event every 10 ms; the kill lands while it flows.
        PacedFileWriter writer = PacedFileWriter.start(inbox, prefix, EVENTS, 10, i -> { });

        Await.until(KILL_AFTER_ACKNOWLEDGED + " events acknowledged", Duration.ofSeconds(120),
                () -> PacedFileWriter.idsIn(done).size() >= KILL_AFTER_ACKNOWLEDGED);
        hub.killHard();
        Set<String> acknowledged = PacedFileWriter.idsIn(done); // the hub is dead: this set can no longer change
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(KILL_AFTER_ACKNOWLEDGED)
                .as("the kill happened mid-stream").hasSizeLessThan(EVENTS);
        System.out.printf("KillNineIT: killed with %d of %d events acknowledged%n", acknowledged.size(), EVENTS);

        writer.awaitDone(60);

        hub.start();
        Await.until("every event acknowledged and the ingress queue drained", Duration.ofSeconds(240), () -> {
            String health = hub.health();
            return PacedFileWriter.idsIn(done).size() == EVENTS && PacedFileWriter.idsIn(inbox).isEmpty()
                    && health.contains("\"musubi.ingress\":\"0\"");
        });

        // The provider delivers twenty old events again after the restart: nothing new may be stored.
        List<String> redelivered = acknowledged.stream().limit(20).toList();
        for (String id : redelivered) {
            Files.move(done.resolve(id + ".txt"), inbox.resolve(id + ".txt"), StandardCopyOption.ATOMIC_MOVE);
        }
        Await.until("redelivered events consumed", Duration.ofSeconds(120), () -> PacedFileWriter.idsIn(inbox).isEmpty()
                && PacedFileWriter.idsIn(done).containsAll(redelivered) && hub.health().contains("\"musubi.ingress\":\"0\""));
        hub.stop();

        Map<String, Integer> inHistory = messagesInHistory(home);
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 1; i <= EVENTS; i++) {
            expected.add(PacedFileWriter.id(prefix, i));
        }
        assertThat(inHistory.keySet()).containsAll(acknowledged);
        assertThat(new TreeSet<>(inHistory.keySet())).isEqualTo(expected);
        assertThat(inHistory.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList())
                .as("events stored more than once").isEmpty();
    }

    /**
     * Issue #11: SIGKILL under a steady load with interactions in every state. An agent (capacity 3) has one chat
     * connected, one in wrap-up and one offered; four more wait for her; demo events stream in at ~300/s meanwhile.
     * After the restart every acknowledged event is in the history once, the waiting list is the same, the offer in
     * flight went back to the head of the queue and is offered again (once), the agent is not over capacity, and
     * routing resumes when she frees a place.
     */
    @Test
    void aHubKilledUnderLoadComesBackWithEveryStateAndRoutesAgain() throws Exception {
        Path tarGz = Path.of(System.getProperty("musubi.distribution"));
        Path home = Path.of("target", "kill9-states-" + System.nanoTime()).toAbsolutePath();
        hub = HubProcess.install(tarGz, home, 18381, 15672);
        Path inbox = home.resolve("data/demo/inbox");
        Path done = inbox.resolve(".done");
        hub.start();
        awaitReady(inbox);
        String admin = hub.adminKey();

        // The demo traffic lands in the default queue, served only by an agent who is never there: the load never
        // takes Alice's places.
        hub.expect(admin, 201, "PUT", "/agents/k9-absent", "{\"name\":\"Absent\",\"capacities\":{\"WEBCHAT\":1}}");
        hub.expect(admin, 200, "PUT", "/queues/default",
                "{\"name\":\"Default\",\"channels\":[\"WEBCHAT\"],\"members\":[\"k9-absent\"]}");
        hub.expect(admin, 201, "PUT", "/queues/k9", "{\"name\":\"K9\",\"channels\":[\"WEBCHAT\"],"
                + "\"members\":[\"k9-alice\"],\"wrapUpSeconds\":3600,\"offerTimeoutSeconds\":{\"WEBCHAT\":3600}}");
        hub.expect(admin, 201, "PUT", "/agents/k9-alice", "{\"name\":\"Alice\",\"capacities\":{\"WEBCHAT\":3}}");
        String alice = hub.expect(admin, 201, "POST", "/api-keys",
                "{\"name\":\"alice\",\"roles\":[\"agent\"],\"agentId\":\"k9-alice\"}").path("key").asText();
        hub.expect(alice, 200, "PUT", "/agents/k9-alice/presence", "{\"state\":\"AVAILABLE\"}");

        String connected = offeredChat(admin, "k9-connected");
        hub.expect(alice, 200, "POST", "/interactions/" + connected + "/accept", "{}");
        String wrapUp = offeredChat(admin, "k9-wrap-up");
        hub.expect(alice, 200, "POST", "/interactions/" + wrapUp + "/accept", "{}");
        assertThat(hub.expect(alice, 200, "POST", "/interactions/" + wrapUp + "/wrap-up", "{\"disposition\":\"done\"}")
                .path("state").asText()).isEqualTo("WRAP_UP");
        String offered = offeredChat(admin, "k9-offered");
        List<String> waiting = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            waiting.add(hub.chat(admin, "k9", "k9-waiting-" + i, "waiting " + i));
        }
        JsonNode before = hub.expect(admin, 200, "GET", "/queues/k9/waiting", null).path("items");
        assertThat(HubProcess.ids(before)).isEqualTo(waiting);
        // Recorded off the ACD's thread within milliseconds: the offer in flight and Alice's presence.
        Await.until("the offer and the presence recorded", Duration.ofSeconds(30),
                () -> hub.eventTypes(admin, offered).contains("offered") && acdState("presencesWritten") >= 1);

        String prefix = "k9s-";
        int events = 2000;
        Files.createDirectories(inbox);
        PacedFileWriter writer = PacedFileWriter.start(inbox, prefix, events, 3, i -> { });
        Await.until("300 events acknowledged", Duration.ofSeconds(120),
                () -> PacedFileWriter.idsIn(done).size() >= 300);
        hub.killHard();
        Set<String> acknowledged = PacedFileWriter.idsIn(done);
        assertThat(acknowledged).as("the kill happened mid-stream").hasSizeLessThan(events);
        System.out.printf("KillNineIT: killed under load with %d of %d events acknowledged%n", acknowledged.size(),
                events);
        writer.awaitDone(60);

        hub.start();
        awaitReady(inbox);
        Await.until("every event acknowledged and the ingress queue drained", Duration.ofSeconds(240), () ->
                PacedFileWriter.idsIn(done).size() == events && PacedFileWriter.idsIn(inbox).isEmpty()
                        && hub.health().contains("\"musubi.ingress\":\"0\""));

        // The offer in flight went back to the head of the queue and, Alice having a place, is offered again.
        Await.until("the offer in flight offered again", Duration.ofSeconds(60), () -> hub.eventTypes(admin, offered)
                .stream().filter("offered"::equals).count() == 2);
        JsonNode after = hub.expect(admin, 200, "GET", "/queues/k9/waiting", null).path("items");
        assertThat(after).as("the same waiting list: same interactions, order and queue times").isEqualTo(before);
        JsonNode aliceNow = hub.expect(admin, 200, "GET", "/agents/k9-alice", null);
        assertThat(aliceNow.path("presence").asText()).isEqualTo("AVAILABLE");
        assertThat(HubProcess.ids(aliceNow.path("assigned"))).containsExactlyInAnyOrder(connected, wrapUp);
        assertThat(HubProcess.ids(aliceNow.path("offered"))).as("offered once, not twice").containsExactly(offered);
        assertThat(aliceNow.path("load").path("WEBCHAT").asInt()).as("not over capacity").isEqualTo(3);
        assertThat(hub.state(admin, connected)).isEqualTo("CONNECTED");
        assertThat(hub.state(admin, wrapUp)).isEqualTo("WRAP_UP");

        // Routing resumes: the wrap-up ends, the head of the queue is offered.
        hub.expect(alice, 200, "POST", "/interactions/" + wrapUp + "/end", "{}");
        Await.until("the head of the queue offered", Duration.ofSeconds(30),
                () -> "OFFERED".equals(hub.state(admin, waiting.get(0))));
        hub.stop();

        Map<String, Integer> inHistory = messagesInHistory(home);
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 1; i <= events; i++) {
            expected.add(PacedFileWriter.id(prefix, i));
        }
        assertThat(new TreeSet<>(inHistory.keySet())).isEqualTo(expected);
        assertThat(inHistory.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList())
                .as("events stored more than once").isEmpty();
    }

    /** A chat into queue k9, once it is offered (to Alice, its only member). */
    private String offeredChat(String admin, String visitor) throws Exception {
        String id = hub.chat(admin, "k9", visitor, "hello");
        Await.until(visitor + " offered", Duration.ofSeconds(30), () -> "OFFERED".equals(hub.state(admin, id)));
        return id;
    }

    private void awaitReady(Path inbox) throws InterruptedException {
        Await.until("hub ready: ingress route, ACD rebuilt, the demo connector's inbox", Duration.ofSeconds(240), () -> {
            String health = hub.health();
            return health.contains("\"musubi-ingress\":\"Started 1/1 routes\"")
                    && health.contains("\"recovery\":{\"status\":\"UP\"") && Files.isDirectory(inbox);
        });
    }

    private long acdState(String field) {
        try {
            JsonNode state = new ObjectMapper().readTree(hub.health()).findValue("acd-state");
            return state == null ? 0 : state.path("details").path(field).asLong();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** MESSAGE_IN events of the demo visitor, counted per provider event id, read from the stopped hub's store. */
    private static Map<String, Integer> messagesInHistory(Path home) {
        Map<String, Integer> counts = new HashMap<>();
        try (JdbcStore history = JdbcStore.open(JdbcSettings.embedded(home.resolve("data/musubi/history")))) {
            String customer = IdentityServices.create(history.customers(), "JP")
                    .findByAddress("default", Address.parse("webchat:demo-visitor")).orElseThrow().id();
            JourneyQuery query = JourneyQuery.of("default", customer).withTypes(Set.of(InteractionEventType.MESSAGE_IN))
                    .withLimit(JourneyQuery.MAX_LIMIT);
            while (true) {
                JourneyPage page = history.store().journey(query);
                for (InteractionEvent e : page.events()) {
                    counts.merge(e.attributes().get("sourceEventId"), 1, Integer::sum);
                }
                if (page.nextCursor() == null) {
                    return counts;
                }
                query = query.after(page.nextCursor());
            }
        }
    }
}
