package io.musubi.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.musubi.itests.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #11 "Recovery" on the real distribution: the ACD's state is in the store, so a hub killed with SIGKILL and
 * started again shows the same waiting list (same order, same queue times), keeps the agent's assigned work (her
 * capacity stays used: no extra offer), lets her wrap up and end it over REST, routes a new message of a restored
 * conversation into it, and still knows the customer's last agent.
 */
class RestartRecoveryIT {

    private static final int HTTP_PORT = 18581;
    private static final int AMQP_PORT = 15872;
    private static final ObjectMapper JSON = new ObjectMapper();

    private HubProcess hub;

    @AfterEach
    void cleanUp() throws Exception {
        if (hub != null && hub.isAlive()) {
            hub.killHard();
        }
    }

    @Test
    void aHubKilledHardComesBackWithItsQueuesAssignmentsAndLastAgents() throws Exception {
        Path home = Path.of("target", "restart-" + System.nanoTime()).toAbsolutePath();
        hub = HubProcess.install(Path.of(System.getProperty("musubi.distribution")), home, HTTP_PORT, AMQP_PORT);
        hub.start();
        awaitReady();
        String admin = hub.adminKey();

        hub.expect(admin, 201, "PUT", "/queues/support", "{\"name\":\"Support\",\"channels\":[\"WEBCHAT\"],\"wrapUpSeconds\":30}");
        hub.expect(admin, 201, "PUT", "/agents/alice", "{\"name\":\"Alice\",\"capacities\":{\"WEBCHAT\":1}}");
        String alice = hub.expect(admin, 201, "POST", "/api-keys",
                "{\"name\":\"alice desktop\",\"roles\":[\"agent\"],\"agentId\":\"alice\"}").path("key").asText();
        hub.expect(alice, 200, "PUT", "/agents/alice/presence", "{\"state\":\"AVAILABLE\"}");

        String first = hub.chat(admin, "support", "rr-visitor-1", "hello");
        Await.until("the first chat offered to alice", Duration.ofSeconds(30),
                () -> "OFFERED".equals(hub.state(admin, first)));
        assertThat(hub.expect(alice, 200, "POST", "/interactions/" + first + "/accept", "{}").path("state").asText())
                .isEqualTo("CONNECTED");
        List<String> waiting = new ArrayList<>();
        for (int i = 2; i <= 4; i++) {
            waiting.add(hub.chat(admin, "support", "rr-visitor-" + i, "message " + i));
        }
        JsonNode before = hub.expect(admin, 200, "GET", "/queues/support/waiting", null).path("items");
        assertThat(HubProcess.ids(before)).isEqualTo(waiting);
        // Recorded before the kill: the history's ACCEPTED and the store's last-agent record (written off the ACD's
        // thread within milliseconds; a kill in between would lose that one record).
        Await.until("the accept and the last agent recorded", Duration.ofSeconds(30), () ->
                hub.eventTypes(admin, first).contains("accepted") && written("lastAgentRecordsWritten") >= 1);

        hub.killHard();
        hub.start();
        awaitReady();

        JsonNode after = hub.expect(admin, 200, "GET", "/queues/support/waiting", null).path("items");
        assertThat(after).as("same interactions, same order, same queue times").isEqualTo(before);
        JsonNode aliceNow = hub.expect(admin, 200, "GET", "/agents/alice", null);
        assertThat(aliceNow.path("presence").asText()).as("a short outage: her last presence").isEqualTo("AVAILABLE");
        assertThat(HubProcess.ids(aliceNow.path("assigned"))).containsExactly(first);
        assertThat(HubProcess.ids(aliceNow.path("offered"))).as("her capacity is still used: no extra offer").isEmpty();
        assertThat(aliceNow.path("load").path("WEBCHAT").asInt()).isEqualTo(1);

        // a new message of the assigned conversation joins it: routed to alice, not swallowed
        assertThat(hub.chat(admin, "support", "rr-visitor-1", "still there?")).isEqualTo(first);
        assertThat(hub.state(admin, first)).isEqualTo("CONNECTED");
        assertThat(hub.eventTypes(admin, first).stream().filter("message_in"::equals).count()).isEqualTo(2);

        assertThat(hub.expect(alice, 200, "POST", "/interactions/" + first + "/wrap-up", "{\"disposition\":\"answered\"}")
                .path("state").asText()).isEqualTo("WRAP_UP");
        assertThat(hub.expect(alice, 200, "POST", "/interactions/" + first + "/end", "{}").path("state").asText())
                .isEqualTo("ENDED");
        Await.until("the head of the queue offered to alice", Duration.ofSeconds(30),
                () -> "OFFERED".equals(hub.state(admin, waiting.get(0))));
        assertThat(HubProcess.ids(hub.expect(admin, 200, "GET", "/queues/support/waiting", null).path("items")))
                .containsExactlyElementsOf(waiting.subList(1, 3));

        // the first customer writes again: a new interaction that waits for alice, the last agent from before the kill
        String again = hub.chat(admin, "support", "rr-visitor-1", "me again");
        assertThat(again).isNotEqualTo(first);
        JsonNode pinned = hub.expect(admin, 200, "GET", "/queues/support/waiting", null).path("items");
        assertThat(HubProcess.ids(pinned)).contains(again);
        for (JsonNode w : pinned) {
            if (w.path("interactionId").asText().equals(again)) {
                assertThat(w.path("pinnedAgentId").asText()).isEqualTo("alice");
            }
        }
        hub.stop();
    }

    private void awaitReady() throws InterruptedException {
        Await.until("hub ready with its ingress route and the ACD rebuilt", Duration.ofSeconds(240), () -> {
            String health = hub.health();
            return health.contains("\"musubi-ingress\":\"Started 1/1 routes\"")
                    && health.contains("\"recovery\":{\"status\":\"UP\"");
        });
    }

    private long written(String field) {
        try {
            JsonNode state = JSON.readTree(hub.health()).findValue("acd-state");
            return state == null ? 0 : state.path("details").path(field).asLong();
        } catch (IOException e) {
            return 0;
        }
    }
}
