package io.musubi.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.acd.AcdAttributes;
import io.musubi.api.OutboundAddressPolicy;
import io.musubi.hub.internal.events.EventBus;
import io.musubi.hub.internal.events.TestEventBus;
import io.musubi.hub.internal.webhooks.Receiver;
import io.musubi.hub.internal.webhooks.TestDns;
import io.musubi.hub.internal.webhooks.TestWebhooks;
import io.musubi.hub.internal.webhooks.WebhookDispatcher;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.rest.internal.app.ObjectMapperResolver;
import io.musubi.rest.Allowed;
import io.musubi.rest.Role;
import io.musubi.testkit.Await;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/webhooks} end to end: Jersey on a real HTTP server, the store on H2, a real receiver. */
class WebhooksResourceTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String ADMIN = TestServer.caller("acme", null, Role.ADMIN);
    static final String OTHER_TENANT = TestServer.caller("other", null, Role.INTEGRATION);

    private JdbcStore history;
    private EventBus bus;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private TestServer server;
    private int seq;

    @BeforeEach
    void start() {
        history = JdbcStore.open(JdbcSettings.embedded(Path.of("target", "h2", "webhooks-" + UUID.randomUUID()))
                .withMaxPoolSize(4));
        bus = TestEventBus.start(100, 100, Duration.ofMinutes(1), 10);
        server = server(true, 3, OutboundAddressPolicy.allowing("127.0.0.1").withResolver(new TestDns()));
    }

    /** A server whose dispatcher has these settings; the test receivers are on 127.0.0.1. */
    private TestServer server(boolean allowHttpLoopback, int maxPerTenant, OutboundAddressPolicy targets) {
        WebhookDispatcher dispatcher = TestWebhooks.dispatcher(history.webhooks(), allowHttpLoopback, maxPerTenant,
                targets, bus);
        closing.add(dispatcher);
        TestServer s = TestServer.start(new WebhooksResource(TestWebhooks.subscriptions(history.webhooks(),
                dispatcher)));
        closing.add(s);
        return s;
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        bus.close();
        history.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return ObjectMapperResolver.mapper().readTree(r.body());
    }

    private static void assertProblem(HttpResponse<String> r, int status, String detailStart) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(json(r).get("status").asInt()).isEqualTo(status);
        assertThat(json(r).get("detail").asText()).startsWith(detailStart);
    }

    private HttpResponse<String> create(String url, String events) throws Exception {
        return server.send("POST", "webhooks", ADMIN, "{\"url\":\"" + url + "\",\"events\":" + events + "}");
    }

    private String createdId(String url, String events) throws Exception {
        HttpResponse<String> r = create(url, events);
        assertThat(r.statusCode()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    private void offer(String tenant, String interaction) {
        bus.onInteractionEvent(InteractionEvent.of("e" + (++seq), tenant, interaction, "c1", Channel.SMS,
                InteractionEventType.OFFERED, Instant.now(), "system",
                Map.of(AcdAttributes.AGENT_ID, tenant + "/alice", AcdAttributes.QUEUE_ID, tenant + "/support")));
    }

    @Test
    void creationShowsTheSecretOnceAndNeverAgain() throws Exception {
        HttpResponse<String> created = server.send("POST", "webhooks", ADMIN,
                "{\"url\":\"https://crm.example.com/hooks/musubi\",\"events\":[\"presence\",\"offered\"],"
                        + "\"description\":\"CRM\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json(created);
        String id = body.get("id").asText();
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(
                v -> assertThat(v).endsWith("/api/v1/webhooks/" + id));
        assertThat(body.get("secret").asText()).startsWith("whsec_").hasSizeGreaterThan(40);
        assertThat(body.get("events")).extracting(JsonNode::asText).containsExactly("offered", "presence");
        assertThat(body.get("active").asBoolean()).isTrue();
        assertThat(body.get("description").asText()).isEqualTo("CRM");

        JsonNode one = json(server.send("GET", "webhooks/" + id, ADMIN, null));
        JsonNode list = json(server.send("GET", "webhooks", ADMIN, null));
        assertThat(one.get("url").asText()).isEqualTo("https://crm.example.com/hooks/musubi");
        assertThat(one.has("secret")).isFalse();
        assertThat(list.get("items")).hasSize(1);
        assertThat(list.get("items").get(0).has("secret")).isFalse();
    }

    @Test
    void badRequestsAreProblems() throws Exception {
        assertProblem(create("http://crm.example.com/h", "[\"offered\"]"), 400, "url: https is required");
        assertProblem(create("ftp://crm.example.com/h", "[\"offered\"]"), 400, "url: https is required");
        assertProblem(create("https://user:pw@crm.example.com/h", "[\"offered\"]"), 400, "url: must not carry");
        assertProblem(create("/relative", "[\"offered\"]"), 400, "url: an absolute URL");
        assertProblem(create("https://crm.example.com/h", "[\"offerd\"]"), 400, "events: unknown event type");
        assertProblem(create("https://crm.example.com/h", "[]"), 400, "events: at least one");
        assertProblem(server.send("POST", "webhooks", ADMIN, null), 400, "a JSON body");
        assertProblem(server.send("GET", "webhooks/x/deliveries?limit=0", ADMIN, null), 404, "no such webhook");
        HttpResponse<String> unknownField = server.send("POST", "webhooks", ADMIN,
                "{\"url\":\"https://crm.example.com/h\",\"events\":[\"offered\"],\"secret\":\"mine\"}");
        assertProblem(unknownField, 400, "unknown field 'secret'");
        assertThat(unknownField.body()).doesNotContain("mine");
        assertProblem(server.send("POST", "webhooks", ADMIN, "{\"url\":\"https://x.example\",\"events\":\"offered\"}"),
                400, "events: wrong type");
        assertProblem(server.send("POST", "webhooks", ADMIN, "{\"url\":"), 400, "body: malformed JSON");
        assertThat(json(server.send("GET", "webhooks", ADMIN, null)).get("items")).isEmpty();
    }

    @Test
    void httpToLoopbackOnlyWhenConfigured() throws Exception {
        TestServer strict = server(false, 3, OutboundAddressPolicy.allowing("127.0.0.1"));

        HttpResponse<String> refused = strict.send("POST", "webhooks", ADMIN,
                "{\"url\":\"http://127.0.0.1:9/h\",\"events\":[\"*\"]}");
        HttpResponse<String> allowed = create("http://127.0.0.1:9/h", "[\"*\"]");

        assertProblem(refused, 400, "url: https is required (http to the loopback host is not enabled)");
        assertThat(allowed.statusCode()).isEqualTo(201);
    }

    @Test
    void subscriptionsToInternalAddressesAreRefused() throws Exception {
        TestDns dns = new TestDns().answer("localhost.", "127.0.0.1").answer("rebind.example.com", "10.1.1.1");
        TestServer strict = server(true, 50, OutboundAddressPolicy.publicOnly().withResolver(dns));

        for (String url : List.of("https://127.0.0.1:9", "https://[::1]/", "http://169.254.169.254/",
                "http://10.0.0.1/", "https://localhost./", "https://localhost/", "http://127.0.0.1:9/",
                "https://[::ffff:127.0.0.1]/", "https://0.0.0.0/", "https://100.64.0.1/", "https://[fd00::1]/",
                "https://rebind.example.com/", "https://unknown.example.com/")) {
            HttpResponse<String> r = strict.send("POST", "webhooks", ADMIN,
                    "{\"url\":\"" + url + "\",\"events\":[\"*\"]}");
            assertProblem(r, 400, "url: ");
            assertThat(json(r).get("detail").asText()).as(url).isIn(TestWebhooks.TARGET_NOT_ALLOWED,
                    "url: https is required");
        }
        assertThat(json(strict.send("GET", "webhooks", ADMIN, null)).get("items")).isEmpty();
        assertThat(strict.send("POST", "webhooks", ADMIN, "{\"url\":\"https://crm.example.com/h\","
                + "\"events\":[\"*\"]}").statusCode()).isEqualTo(201);
    }

    @Test
    void anotherTenantsWebhookIsNotFound() throws Exception {
        String id = createdId("https://crm.example.com/h", "[\"*\"]");

        assertProblem(server.send("GET", "webhooks/" + id, OTHER_TENANT, null), 404, "no such webhook");
        assertProblem(server.send("DELETE", "webhooks/" + id, OTHER_TENANT, null), 404, "no such webhook");
        assertProblem(server.send("GET", "webhooks/" + id + "/deliveries", OTHER_TENANT, null), 404,
                "no such webhook");
        assertThat(json(server.send("GET", "webhooks", OTHER_TENANT, null)).get("items")).isEmpty();
        assertThat(server.send("GET", "webhooks/" + id, ADMIN, null).statusCode()).isEqualTo(200);
    }

    @Test
    void deletedWebhooksAreGone() throws Exception {
        String id = createdId("https://crm.example.com/h", "[\"*\"]");

        assertThat(server.send("DELETE", "webhooks/" + id, ADMIN, null).statusCode()).isEqualTo(204);

        assertProblem(server.send("GET", "webhooks/" + id, ADMIN, null), 404, "no such webhook");
        assertProblem(server.send("DELETE", "webhooks/" + id, ADMIN, null), 404, "no such webhook");
    }

    @Test
    void theNumberOfWebhooksPerTenantIsCapped() throws Exception {
        for (int i = 0; i < 3; i++) {
            createdId("https://crm.example.com/h" + i, "[\"*\"]");
        }

        assertProblem(create("https://crm.example.com/h4", "[\"*\"]"), 409, "at most 3 webhooks per tenant");
    }

    @Test
    void aCreatedWebhookReceivesEventsAndItsDeliveryLogPages() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            String id = createdId(receiver.url(), "[\"offered\"]");

            offer("acme", "i1");
            offer("acme", "i2");
            offer("acme", "i3");
            offer("other", "x1");
            for (int i = 0; i < 3; i++) {
                assertThat(receiver.next(WAIT)).isNotNull();
            }
            Await.until("three delivered", WAIT, () -> {
                try {
                    JsonNode items = json(server.send("GET", "webhooks/" + id + "/deliveries", ADMIN, null))
                            .get("items");
                    return items.size() == 3 && items.findValuesAsText("status").stream()
                            .allMatch("delivered"::equals);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            JsonNode first = json(server.send("GET", "webhooks/" + id + "/deliveries?limit=2", ADMIN, null));
            String cursor = first.get("nextCursor").asText();
            JsonNode second = json(server.send("GET", "webhooks/" + id + "/deliveries?limit=2&cursor=" + cursor,
                    ADMIN, null));

            assertThat(first.get("items")).hasSize(2);
            assertThat(second.get("items")).hasSize(1);
            assertThat(second.has("nextCursor")).isFalse();
            JsonNode newest = first.get("items").get(0);
            assertThat(Long.parseLong(newest.get("eventId").asText()))
                    .isGreaterThan(Long.parseLong(first.get("items").get(1).get("eventId").asText()));
            assertThat(newest.get("eventType").asText()).isEqualTo("offered");
            assertThat(newest.get("attempts").asInt()).isEqualTo(1);
            assertThat(newest.get("lastStatus").asInt()).isEqualTo(200);
            assertThat(newest.has("payload")).isFalse();
            assertThat(newest.has("nextAttemptAt")).isFalse();
            assertThat(receiver.next(Duration.ofMillis(300))).as("no event of the other tenant").isNull();
            assertProblem(server.send("GET", "webhooks/" + id + "/deliveries?limit=abc", ADMIN, null), 400,
                    "limit: a number");
            assertProblem(server.send("GET", "webhooks/" + id + "/deliveries?limit=201", ADMIN, null), 400,
                    "limit: a number");
            assertProblem(server.send("GET", "webhooks/" + id + "/deliveries?cursor=bad", ADMIN, null), 400,
                    "cursor: not a cursor");
        }
    }

    @Test
    void onlyAdminsAndIntegrationsManageWebhooks() {
        assertThat(WebhooksResource.class.getAnnotation(Allowed.class).value())
                .containsExactlyInAnyOrder(Role.ADMIN, Role.INTEGRATION);
    }
}
