package io.musubi.rest.internal.resources;

import static io.musubi.rest.internal.resources.ApiServer.ADMIN;
import static io.musubi.rest.internal.resources.ApiServer.VENDOR;
import static io.musubi.rest.internal.resources.InputRulesApiTest.assertProblem;
import static io.musubi.rest.internal.resources.InputRulesApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #9 item 14 over HTTP: every list is {@code {items, nextCursor}}; the interaction view after {@code end}
 * keeps the disposition of the wrap-up; a malformed id or parameter in a path is a 400, not a 404; routes and
 * methods the API does not have are problem+json.
 */
class ApiShapesTest {

    private ApiServer api;

    @BeforeEach
    void start() {
        api = new ApiServer();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void everyListIsAPageOfItems() throws Exception {
        api.send("PUT", "queues/support", ADMIN, "{\"channels\":[\"CUSTOM\"]}");
        api.send("PUT", "agents/alice", ADMIN, "{\"name\":\"Alice\"}");
        String id = json(api.send("POST", "interactions", VENDOR,
                "{\"from\":\"webchat:visitor-9\",\"queueId\":\"support\"}")).path("id").asText();
        String customer = json(api.send("GET", "interactions/" + id, ADMIN, null)).path("customerId").asText();

        for (String path : List.of("queues", "agents", "customers?address=webchat:visitor-9",
                "customers?address=webchat:nobody", "queues/support/waiting", "interactions/" + id + "/events",
                "customers/" + customer + "/merges", "customers/" + customer + "/journey", "connectors")) {
            HttpResponse<String> r = api.send("GET", path, ADMIN, null);
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
            JsonNode page = json(r);
            assertThat(page.isObject()).as(path + " " + r.body()).isTrue();
            assertThat(page.path("items").isArray()).as(path + " " + r.body()).isTrue();
            assertThat(page.has("nextCursor")).as(path + ": one page only").isFalse();
        }
        JsonNode found = json(api.send("GET", "customers?address=webchat:visitor-9", ADMIN, null));
        assertThat(found.path("items").get(0).path("id").asText()).isEqualTo(customer);
        assertThat(json(api.send("GET", "queues", ADMIN, null)).path("items").get(0).path("id").asText())
                .isEqualTo("support");
    }

    @Test
    void agentsAndQueuesArePagedByIdWithACursor() throws Exception {
        for (String a : List.of("carol", "alice", "bob", "dave", "erin")) {
            api.send("PUT", "agents/" + a, ADMIN, "{}");
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(api.send("GET", "agents?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    ADMIN, null));
            page.path("items").forEach(item -> seen.add(item.path("id").asText()));
            cursor = page.has("nextCursor") ? page.path("nextCursor").asText() : null;
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(seen).containsExactly("alice", "bob", "carol", "dave", "erin");
        assertThat(pages).isEqualTo(3);
        assertProblem(api.send("GET", "agents?limit=0", ADMIN, null), 400, "limit: 1 to 1000");
        assertProblem(api.send("GET", "queues?limit=1001", ADMIN, null), 400, "limit: 1 to 1000");
        assertProblem(api.send("GET", "agents?cursor=%25%25%25", ADMIN, null), 400, "cursor:");
    }

    @Test
    void theViewAfterEndKeepsTheDispositionOfTheWrapUp() throws Exception {
        api.send("PUT", "queues/support", ADMIN, "{\"channels\":[\"CUSTOM\"],\"wrapUpSeconds\":60}");
        api.send("PUT", "agents/alice", ADMIN, "{\"name\":\"Alice\"}");
        api.send("PUT", "agents/alice/presence", ADMIN, "{\"state\":\"AVAILABLE\"}");
        String id = json(api.send("POST", "interactions", VENDOR,
                "{\"from\":\"webchat:visitor-7\",\"queueId\":\"support\",\"text\":\"hi\"}")).path("id").asText();
        api.send("POST", "interactions/" + id + "/accept", ADMIN, "{\"agentId\":\"alice\"}");

        JsonNode wrapUp = json(api.send("POST", "interactions/" + id + "/wrap-up", ADMIN,
                "{\"disposition\":\"answered\"}"));
        JsonNode ended = json(api.send("POST", "interactions/" + id + "/end", ADMIN, "{}"));

        assertThat(wrapUp.path("disposition").asText()).isEqualTo("answered");
        assertThat(ended.path("state").asText()).isEqualTo("ENDED");
        assertThat(ended.path("disposition").asText()).isEqualTo("answered");
    }

    @Test
    void aMalformedIdInAPathIs400NamingTheParameterNotA404() throws Exception {
        String longId = "a".repeat(65);
        assertProblem(api.send("GET", "agents/" + longId, ADMIN, null), 400, "id: 1 to 64 of letters");
        assertProblem(api.send("PUT", "agents/" + longId, ADMIN, "{}"), 400, "id: 1 to 64 of letters");
        assertProblem(api.send("GET", "queues/" + longId, ADMIN, null), 400, "id: 1 to 64 of letters");
        assertProblem(api.send("DELETE", "queues/bad%20id", ADMIN, null), 400, "id: 1 to 64 of letters");
        assertProblem(api.send("GET", "channel-menu/" + longId, ADMIN, null), 400, "entryPoint: 1 to 64");
        assertProblem(api.send("GET", "interactions/" + "i".repeat(129), ADMIN, null), 400, "id: 1 to 128");
        assertProblem(api.send("GET", "customers/bad%0Aid", ADMIN, null), 400, "id: 1 to 128");
        assertProblem(api.send("POST", "customers/merges/bad%20id/split", ADMIN, "{}"), 400, "mergeId:");

        assertProblem(api.send("GET", "agents/" + "a".repeat(64), ADMIN, null), 404, "no agent");
        assertProblem(api.send("GET", "interactions/i-unknown", ADMIN, null), 404, "no interaction");
    }

    @Test
    void aParameterThatDoesNotConvertIs400() throws Exception {
        api.send("PUT", "agents/alice", ADMIN, "{}");
        String id = json(api.send("POST", "interactions", VENDOR, "{\"from\":\"webchat:v-3\"}")).path("id")
                .asText();
        String customer = json(api.send("GET", "interactions/" + id, ADMIN, null)).path("customerId").asText();

        assertProblem(api.send("GET", "customers/" + customer + "/journey?limit=abc", ADMIN, null), 400,
                "limit: not a valid value for this query parameter");
        assertProblem(api.send("GET", "customers/" + customer + "/journey?type=NOPE", ADMIN, null), 400, "type:");
        assertProblem(api.send("PUT", "agents/alice/channels/PIGEON", ADMIN, "{\"enabled\":true}"), 400, "channel:");
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() throws Exception {
        assertProblem(api.send("GET", "no-such-thing", ADMIN, null), 404, "");
        HttpResponse<String> notAllowed = api.send("PATCH", "agents", ADMIN, "{}");
        assertProblem(notAllowed, 405, "");
        assertThat(notAllowed.headers().firstValue("Allow")).hasValueSatisfying(a -> assertThat(a).contains("GET"));
    }
}
