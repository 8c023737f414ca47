package io.musubi.rest.internal.resources;

import static io.musubi.rest.internal.resources.ApiServer.ADMIN;
import static io.musubi.rest.internal.resources.ApiServer.VENDOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.musubi.history.DefinitionRepository.Kind;
import io.musubi.model.Address;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #9 items 5 and 8 over HTTP: names with control or bidirectional formatting characters and over-long values
 * are a 400 problem naming the field and its limit, never a 500; nothing of a refused request is stored, and no
 * value of it reaches the log.
 */
class InputRulesApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What spoofs a console table: a line break, an escape sequence, a right-to-left override. */
    private static final List<String> SPOOFING = List.of("Eve\r\nalice   AVAILABLE", "Eve\u001B[2J", "Eve\u202Etoor",
            "Eve\u0000", "Eve\u2066x\u2069");

    private ApiServer api;

    @BeforeEach
    void start() {
        api = new ApiServer();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    // ------------------------------------------------------------------ item 5: one rule for names

    @Test
    void agentAndQueueNamesWithControlOrBidiCharactersAre400AndStoreNothing() throws Exception {
        for (String name : SPOOFING) {
            assertProblem(api.send("PUT", "agents/eve", ADMIN, body("name", name)), 400, "name: must not contain");
            assertProblem(api.send("PUT", "queues/eveq", ADMIN, body("name", name)), 400, "name: must not contain");
        }
        assertProblem(api.send("PUT", "agents/eve", ADMIN, "{\"skills\":{\"ja\\u202E\":5}}"), 400, "skills:");
        assertProblem(api.send("PUT", "agents/eve", ADMIN, "{\"teams\":[\"night\\nshift\"]}"), 400, "teams:");
        assertProblem(api.send("PUT", "queues/eveq", ADMIN, "{\"requiredSkills\":{\"\\u0000\":1}}"), 400,
                "requiredSkills:");

        assertThat(api.acd.agent("acme/eve")).isEmpty();
        assertThat(api.acd.queueStatistics("acme/eveq")).isEmpty();
        assertThat(api.history.definitions().all(Kind.AGENT)).isEmpty();
        assertThat(api.history.definitions().all(Kind.QUEUE)).isEmpty();
    }

    @Test
    void namesAreStrippedAndMayBeAnyPrintableUnicode() throws Exception {
        HttpResponse<String> r = api.send("PUT", "agents/yamada", ADMIN,
                "{\"name\":\"  山田 太郎 👩‍💻 \",\"skills\":{\"日本語\":5},\"teams\":[\"محمد\"]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).path("name").asText()).isEqualTo("山田 太郎 👩‍💻");
        assertThat(json(r).path("definition").path("skills").path("日本語").asInt()).isEqualTo(5);
    }

    @Test
    void presenceReasonsDispositionsAndRejectReasonsFollowTheSameRule() throws Exception {
        agentWithWork();
        assertProblem(api.send("PUT", "agents/alice/presence", ADMIN,
                "{\"state\":\"AWAY\",\"reason\":\"lunch\\r\\nbob AVAILABLE\"}"), 400, "reason:");
        String id = offeredInteraction();
        assertProblem(api.send("POST", "interactions/" + id + "/reject", ADMIN,
                "{\"agentId\":\"alice\",\"reason\":\"\\u202Ebusy\"}"), 400, "reason:");
        api.send("POST", "interactions/" + id + "/accept", ADMIN, "{\"agentId\":\"alice\"}");
        assertProblem(api.send("POST", "interactions/" + id + "/wrap-up", ADMIN,
                "{\"disposition\":\"sold\\u0007\"}"), 400, "disposition:");
        assertProblem(api.send("POST", "interactions/" + id + "/wrap-up", ADMIN,
                body("disposition", "d".repeat(129))), 400, "disposition: at most 128 characters, got 129");
        assertThat(api.acd.interaction(id).orElseThrow().state().name()).isEqualTo("CONNECTED");
    }

    @Test
    void interactionCreateChecksThreadKeyAttributesAndMessageIdBeforeTheIntake() throws Exception {
        assertProblem(api.send("POST", "interactions", VENDOR,
                "{\"from\":\"webchat:v1\",\"threadKey\":\"t\\r\\nforged\"}"), 400, "threadKey:");
        assertProblem(api.send("POST", "interactions", VENDOR,
                "{\"from\":\"webchat:v1\",\"attributes\":{\"intent\\u202E\":\"x\"}}"), 400, "attributes:");
        assertProblem(api.send("POST", "interactions", VENDOR,
                "{\"from\":\"webchat:v1\",\"attributes\":{\"intent\":\"a\\u0000b\"}}"), 400, "attributes:");
        assertProblem(api.send("POST", "interactions", VENDOR,
                "{\"from\":\"webchat:v1\",\"messageId\":\"m\\n1\"}"), 400, "messageId:");
        assertProblem(api.send("POST", "interactions", VENDOR,
                "{\"from\":\"webchat:v\\u202E1\"}"), 400, "from:");

        assertThat(api.intake.submitted).hasValue(0);
        assertThat(api.identity.findByAddress("acme", Address.parse("webchat:v1"))).isEmpty();
    }

    @Test
    void entryPointNamesAndLabelsFollowTheRule() throws Exception {
        api.send("PUT", "queues/support", ADMIN, "{}");
        String option = "{\"channel\":\"WEBCHAT\",\"queueId\":\"support\",\"label\":\"%s\","
                + "\"reach\":{\"kind\":\"WEBCHAT\",\"value\":\"https://example.jp/chat\"}}";

        assertProblem(api.send("PUT", "channel-menu/entry-points/web", ADMIN, "{\"name\":\"Web\\u202E\","
                + "\"options\":[" + option.formatted("Chat") + "]}"), 400, "name:");
        assertProblem(api.send("PUT", "channel-menu/entry-points/web", ADMIN, "{\"name\":\"Web\","
                + "\"options\":[" + option.formatted("Chat\\r\\nnow") + "]}"), 400, "options[0].label:");
        assertThat(api.history.definitions().all(Kind.ENTRY_POINT)).isEmpty();
    }

    // ------------------------------------------------------------------ item 8: limits, never a 500

    @Test
    void aMillionCharacterAgentOrQueueNameIs400NamingTheFieldAndItsLimit() throws Exception {
        String million = "n".repeat(1_000_000);

        assertProblem(api.send("PUT", "agents/big", ADMIN, body("name", million)), 400,
                "name: at most 128 characters, got 1000000");
        assertProblem(api.send("PUT", "queues/big", ADMIN, body("name", million)), 400,
                "name: at most 128 characters, got 1000000");
        assertThat(api.acd.agent("acme/big")).isEmpty();
        assertThat(api.history.definitions().all(Kind.QUEUE)).isEmpty();
    }

    @Test
    void longFromAddressesAre400AndTheAddressIsNeverLogged() throws Exception {
        String secret = "visitor-" + "0123456789".repeat(10_000);
        String log = capturingLog(() -> {
            assertProblem(api.send("POST", "interactions", VENDOR, body("from", "webchat:" + secret)), 400,
                    "from: at most 512 characters, got 100016");
            assertProblem(api.send("POST", "interactions", VENDOR, body("from", "webchat:" + secret.substring(0,
                    626))), 400, "from: at most 512 characters, got 634");
            assertProblem(api.send("POST", "interactions", VENDOR, "{\"from\":\"webchat:v\",\"to\":\"webchat:"
                    + secret.substring(0, 600) + "\"}"), 400, "to: at most 512 characters");
            return null;
        });

        assertThat(log).doesNotContain(secret.substring(0, 40)).doesNotContain("Exception");
        assertThat(api.intake.submitted).hasValue(0);
    }

    @Test
    void everyFieldOfTheCreateRequestHasALimit() throws Exception {
        assertProblem(api.send("POST", "interactions", VENDOR, "{\"from\":\"webchat:v\",\"threadKey\":\""
                + "t".repeat(513) + "\"}"), 400, "threadKey: at most 512 characters, got 513");
        assertProblem(api.send("POST", "interactions", VENDOR, "{\"from\":\"webchat:v\",\"text\":\""
                + "t".repeat(100_001) + "\"}"), 400, "text: at most 100000 characters, got 100001");
        assertProblem(api.send("POST", "interactions", VENDOR, "{\"from\":\"webchat:v\",\"messageId\":\""
                + "m".repeat(256) + "\"}"), 400, "messageId: at most 255 characters, got 256");
        assertProblem(api.send("POST", "interactions", VENDOR, "{\"from\":\"webchat:v\",\"attributes\":{\""
                + "k".repeat(65) + "\":\"v\"}}"), 400, "attributes: at most 64 characters, got 65");
        assertProblem(api.send("POST", "interactions", VENDOR, "{\"from\":\"webchat:v\",\"attributes\":{\"k\":\""
                + "v".repeat(4001) + "\"}}"), 400, "attributes: at most 4000 characters, got 4001");
        ObjectNode many = JSON.createObjectNode().put("from", "webchat:v");
        for (int i = 0; i < 51; i++) {
            many.with("attributes").put("k" + i, "v");
        }
        assertProblem(api.send("POST", "interactions", VENDOR, many.toString()), 400,
                "attributes: at most 50 entries, got 51");
        assertProblem(api.send("POST", "interactions", VENDOR, "{\"from\":\"webchat:v\",\"text\":\"x\","
                + "\"attachments\":[{\"ref\":\"" + "r".repeat(2001) + "\",\"mediaType\":\"image/png\",\"size\":1}]}"),
                400, "attachments[0].ref: at most 2000 characters, got 2001");
        assertProblem(api.send("POST", "interactions", VENDOR, "{\"from\":\"webchat:v\",\"queueId\":\""
                + "q".repeat(65) + "\"}"), 400, "queueId: 1 to 64 of letters");
        assertThat(api.intake.submitted).hasValue(0);
    }

    @Test
    void notesAndMessagesHaveTheirLimits() throws Exception {
        agentWithWork();
        String id = offeredInteraction();

        assertProblem(api.send("POST", "interactions/" + id + "/notes", ADMIN, body("text", "n".repeat(10_001))),
                400, "text: at most 10000 characters, got 10001");
        assertProblem(api.send("POST", "interactions/" + id + "/messages", ADMIN, body("text", "m".repeat(100_001))),
                400, "text: at most 100000 characters, got 100001");
        assertProblem(api.send("POST", "interactions/" + id + "/notes", ADMIN, body("text", "a\u0000b")), 400,
                "text: must not contain control characters");
        HttpResponse<String> multiLine = api.send("POST", "interactions/" + id + "/notes", ADMIN,
                body("text", "called back,\r\n\tno answer"));
        assertThat(multiLine.statusCode()).as(multiLine.body()).isEqualTo(201);
    }

    @Test
    void queueDefinitionsRefuseTooManyMembersBadTimeZonesAndMissingOverflowTargetsWith400() throws Exception {
        StringBuilder members = new StringBuilder("{\"members\":[");
        for (int i = 0; i < 501; i++) {
            members.append(i == 0 ? "" : ",").append("\"agent-").append(i).append('"');
        }
        assertProblem(api.send("PUT", "queues/q", ADMIN, members + "]}"), 400, "members: at most 500 entries");
        assertProblem(api.send("PUT", "queues/q", ADMIN, "{\"members\":[\"" + "a".repeat(65) + "\"]}"), 400,
                "members: 1 to 64");
        assertProblem(api.send("PUT", "queues/q", ADMIN,
                "{\"openingHours\":{\"zone\":\"Mars/Olympus\",\"week\":{\"MONDAY\":[]}}}"), 400,
                "openingHours.zone:");
        assertProblem(api.send("PUT", "queues/q", ADMIN, "{\"overflow\":{\"kind\":\"QUEUE\"}}"), 400,
                "overflow.queueId:");
        assertProblem(api.send("PUT", "queues/q", ADMIN, "{\"overflow\":{}}"), 400, "overflow.kind: required");
        assertProblem(api.send("PUT", "queues/q", ADMIN, "{\"openingHours\":{\"zone\":\"UTC\",\"week\":"
                + "{\"MONDAY\":[{\"from\":\"10:00\"}]}}}"), 400, "openingHours.week.MONDAY:");
        assertProblem(api.send("PUT", "queues/q", ADMIN, "{\"maxWaitSeconds\":-1}"), 400, "maxWaitSeconds:");
        assertProblem(api.send("PUT", "queues/q", ADMIN, "{\"channels\":[null]}"), 400, "channels:");
        assertProblem(api.send("PUT", "queues/q", ADMIN, "{\"strategy\":\"best skill\"}"), 400, "strategy:");
        assertThat(api.history.definitions().all(Kind.QUEUE)).isEmpty();
    }

    @Test
    void agentDefinitionsRefuseBadSkillLevelsAndNullEntriesWith400() throws Exception {
        assertProblem(api.send("PUT", "agents/a", ADMIN, "{\"skills\":{\"ja\":11}}"), 400, "skills: levels 1 to 10");
        assertProblem(api.send("PUT", "agents/a", ADMIN, "{\"skills\":{\"ja\":null}}"), 400, "skills:");
        assertProblem(api.send("PUT", "agents/a", ADMIN, "{\"capacities\":{\"VOICE\":-1}}"), 400, "capacities:");
        assertProblem(api.send("PUT", "agents/a", ADMIN, "{\"teams\":[null]}"), 400, "teams:");
        assertThat(api.history.definitions().all(Kind.AGENT)).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private void agentWithWork() throws Exception {
        api.send("PUT", "queues/support", ADMIN, "{\"channels\":[\"CUSTOM\"],\"wrapUpSeconds\":60}");
        api.send("PUT", "agents/alice", ADMIN, "{\"name\":\"Alice\"}");
        api.send("PUT", "agents/alice/presence", ADMIN, "{\"state\":\"AVAILABLE\"}");
    }

    private String offeredInteraction() throws Exception {
        HttpResponse<String> r = api.send("POST", "interactions", VENDOR,
                "{\"from\":\"webchat:visitor-1\",\"queueId\":\"support\",\"text\":\"hello\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = json(r).path("id").asText();
        assertThat(api.acd.interaction(id).orElseThrow().state().name()).isEqualTo("OFFERED");
        return id;
    }

    static String body(String field, String value) {
        return JSON.createObjectNode().put(field, value).toString();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static void assertProblem(HttpResponse<String> r, int status, String detailStart) throws Exception {
        assertThat(r.statusCode()).as(r.body().length() > 300 ? r.body().substring(0, 300) : r.body())
                .isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json(r).path("status").asInt()).isEqualTo(status);
        assertThat(json(r).path("detail").asText()).startsWith(detailStart);
    }

    /** What the API logged (slf4j-simple writes to System.err) while {@code work} ran. */
    static String capturingLog(Callable<Void> work) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.call();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
