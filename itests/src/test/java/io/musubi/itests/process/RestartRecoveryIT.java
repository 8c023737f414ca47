package io.musubi.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.musubi.itests.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
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
        String admin = Files.readString(home.resolve("etc/musubi/admin.key"), StandardCharsets.UTF_8).strip();

        expect(admin, 201, "PUT", "/queues/support", "{\"name\":\"Support\",\"channels\":[\"WEBCHAT\"],\"wrapUpSeconds\":30}");
        expect(admin, 201, "PUT", "/agents/alice", "{\"name\":\"Alice\",\"capacities\":{\"WEBCHAT\":1}}");
        String alice = expect(admin, 201, "POST", "/api-keys",
                "{\"name\":\"alice desktop\",\"roles\":[\"agent\"],\"agentId\":\"alice\"}").path("key").asText();
        expect(alice, 200, "PUT", "/agents/alice/presence", "{\"state\":\"AVAILABLE\"}");

        String first = chat(admin, "rr-visitor-1", "hello");
        Await.until("the first chat offered to alice", Duration.ofSeconds(30),
                () -> "OFFERED".equals(state(admin, first)));
        assertThat(expect(alice, 200, "POST", "/interactions/" + first + "/accept", "{}").path("state").asText())
                .isEqualTo("CONNECTED");
        List<String> waiting = new ArrayList<>();
        for (int i = 2; i <= 4; i++) {
            waiting.add(chat(admin, "rr-visitor-" + i, "message " + i));
        }
        JsonNode before = expect(admin, 200, "GET", "/queues/support/waiting", null).path("items");
        assertThat(ids(before)).isEqualTo(waiting);
        // Recorded before the kill: the history's ACCEPTED and the store's last-agent record (written off the ACD's
        // thread within milliseconds; a kill in between would lose that one record).
        Await.until("the accept and the last agent recorded", Duration.ofSeconds(30), () ->
                events(admin, first).contains("accepted") && written("lastAgentRecordsWritten") >= 1);

        hub.killHard();
        hub.start();
        awaitReady();

        JsonNode after = expect(admin, 200, "GET", "/queues/support/waiting", null).path("items");
        assertThat(after).as("same interactions, same order, same queue times").isEqualTo(before);
        JsonNode aliceNow = expect(admin, 200, "GET", "/agents/alice", null);
        assertThat(aliceNow.path("presence").asText()).as("a short outage: her last presence").isEqualTo("AVAILABLE");
        assertThat(ids(aliceNow.path("assigned"))).containsExactly(first);
        assertThat(ids(aliceNow.path("offered"))).as("her capacity is still used: no extra offer").isEmpty();
        assertThat(aliceNow.path("load").path("WEBCHAT").asInt()).isEqualTo(1);

        // a new message of the assigned conversation joins it: routed to alice, not swallowed
        assertThat(chat(admin, "rr-visitor-1", "still there?")).isEqualTo(first);
        assertThat(state(admin, first)).isEqualTo("CONNECTED");
        assertThat(events(admin, first).stream().filter("message_in"::equals).count()).isEqualTo(2);

        assertThat(expect(alice, 200, "POST", "/interactions/" + first + "/wrap-up", "{\"disposition\":\"answered\"}")
                .path("state").asText()).isEqualTo("WRAP_UP");
        assertThat(expect(alice, 200, "POST", "/interactions/" + first + "/end", "{}").path("state").asText())
                .isEqualTo("ENDED");
        Await.until("the head of the queue offered to alice", Duration.ofSeconds(30),
                () -> "OFFERED".equals(state(admin, waiting.get(0))));
        assertThat(ids(expect(admin, 200, "GET", "/queues/support/waiting", null).path("items")))
                .containsExactlyElementsOf(waiting.subList(1, 3));

        // the first customer writes again: a new interaction that waits for alice, the last agent from before the kill
        String again = chat(admin, "rr-visitor-1", "me again");
        assertThat(again).isNotEqualTo(first);
        JsonNode pinned = expect(admin, 200, "GET", "/queues/support/waiting", null).path("items");
        assertThat(ids(pinned)).contains(again);
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

    private String chat(String credential, String visitor, String text) throws Exception {
        return expect(credential, 201, "POST", "/interactions", "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:" + visitor
                + "\",\"queueId\":\"support\",\"text\":\"" + text + "\"}").path("id").asText();
    }

    private String state(String credential, String id) {
        try {
            return expect(credential, 200, "GET", "/interactions/" + id, null).path("state").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> events(String credential, String id) {
        try {
            List<String> types = new ArrayList<>();
            for (JsonNode e : expect(credential, 200, "GET", "/interactions/" + id + "/events", null).path("items")) {
                types.add(e.path("type").asText().toLowerCase(java.util.Locale.ROOT));
            }
            return types;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> ids(JsonNode items) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : items) {
            out.add(n.isTextual() ? n.asText() : n.path("interactionId").asText());
        }
        return out;
    }

    private JsonNode expect(String credential, int status, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + "/api/v1" + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + credential)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != status) {
            throw new AssertionError(method + " " + path + ": expected " + status + " but got " + r.statusCode() + " "
                    + r.body());
        }
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }
}
