package io.musubi.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.QueueDefinition;
import io.musubi.api.InteractionIntake;
import io.musubi.api.OutboundGateway;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.identity.IdentityServices;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.rest.internal.app.IdempotencyFilter;
import io.musubi.rest.internal.app.ObjectMapperResolver;
import io.musubi.rest.Role;
import io.musubi.hub.internal.events.AcdHistoryRecorder;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.hub.internal.ingress.IngressProcessor;
import io.musubi.testkit.Await;
import io.musubi.testkit.ManualClock;
import java.lang.annotation.Annotation;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/interactions} over HTTP on the real ingress pipeline (identity, H2 history, ACD) and the real
 * {@link IdempotencyFilter}: refused requests store nothing (issue #9 items 6 and 9), a message id is scoped to its
 * conversation (item 7), and an Idempotency-Key whose request died does not stay "in progress" (item 10).
 */
class InteractionIntakeRestTest {

    private static final String TENANT = "acme";
    private static final String VENDOR = TestServer.caller(TENANT, null, Role.INTEGRATION);
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(60);
    private static final String NODE = "test-node";

    private final ManualClock clock = ManualClock.now();
    private final List<AutoCloseable> open = new ArrayList<>();
    private JdbcSettings settings;
    private JdbcStore history;
    private AcdEngine acd;
    private InteractionIntake pipeline;
    /** When set, the next request to reach the pipeline waits here, as a slow or hung request would. */
    private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();
    private final List<CountDownLatch> held = new ArrayList<>();
    private TestServer server;

    @BeforeEach
    void start() {
        settings = JdbcSettings.embedded(Path.of("target", "h2", "rest-intake-" + UUID.randomUUID())).withMaxPoolSize(8);
        history = JdbcStore.open(settings, clock, NODE);
        open.add(history);
        acd = Acd.newEngine(Clock.systemUTC());
        acd.defineQueue(QueueDefinition.builder(TENANT + "/voice").channels(Channel.VOICE).build());
        acd.defineQueue(QueueDefinition.builder(TENANT + "/support").channels(Channel.WEBCHAT).build());
        HubEvents events = new HubEvents();
        acd.addListener(new AcdHistoryRecorder(history.store(), history.transactions(), events).listener());
        pipeline = new IngressProcessor(IdentityServices.create(history.customers(), "JP"), history.store(),
                history.idempotency(), acd, "default", true, List::of, events, history.transactions());
        server = serve(history);
    }

    @AfterEach
    void stop() throws Exception {
        held.forEach(CountDownLatch::countDown);
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private TestServer serve(JdbcStore store) {
        InteractionIntake holding = new InteractionIntake() {
            @Override
            public Interaction submit(InboundEvent event) {
                CountDownLatch latch = hold.getAndSet(null);
                if (latch != null) {
                    try {
                        latch.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return pipeline.submit(event);
            }

            @Override
            public void record(InteractionEvent event) {
                pipeline.record(event);
            }
        };
        OutboundGateway noConnector = (tenant, interaction, messageId, content, attributes, actor) -> {
            throw new IllegalStateException("no connector in this test");
        };
        TestServer s = TestServer.start(new InteractionsResource(acd, store.store(), holding, noConnector),
                new IdempotencyFilter(store.apiIdempotency(), CLAIM_TIMEOUT));
        open.add(s);
        return s;
    }

    private HttpResponse<String> post(TestServer on, String path, String idempotencyKey, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(on.uri(path)).timeout(Duration.ofSeconds(30))
                .header(TestServer.CALLER, VENDOR).header("Accept", "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return on.client().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return post(server, path, null, json);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = server.send("GET", path, VENDOR, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return ObjectMapperResolver.mapper().readTree(r.body());
    }

    private static void assertProblem(HttpResponse<String> r, int status, String detail) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json(r).get("detail").asText()).isEqualTo(detail);
    }

    private void assertNothingStoredFor(String from) {
        assertThat(history.customers().findByAddress(TENANT, Address.parse(from))).isEmpty();
        assertThat(history.store().findOpenInteraction(TENANT, Channel.WEBCHAT, from)).isEmpty();
    }

    private static long messagesIn(JsonNode events) {
        long n = 0;
        for (JsonNode e : events.get("items")) {
            n += "message_in".equals(e.get("type").asText()) ? 1 : 0;
        }
        return n;
    }

    // ---- item 6

    @Test
    void aQueueThatDoesNotTakeTheChannelIs400StoresNothingAndTheAddressStaysUsable() throws Exception {
        HttpResponse<String> refused = post("interactions",
                "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:visitor-6\",\"queueId\":\"voice\",\"text\":\"hello\"}");

        assertProblem(refused, 400, "queueId: queue voice does not take channel WEBCHAT");
        assertNothingStoredFor("webchat:visitor-6");

        HttpResponse<String> taken = post("interactions",
                "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:visitor-6\",\"queueId\":\"support\",\"text\":\"again\"}");
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(201);
        String id = json(taken).get("id").asText();
        assertThat(json(taken).get("state").asText()).isEqualTo("QUEUED");
        assertThat(json(taken).get("queueId").asText()).isEqualTo("support");
        JsonNode events = get("interactions/" + id + "/events");
        assertThat(messagesIn(events)).isEqualTo(1);

        HttpResponse<String> ended = post("interactions/" + id + "/end", "{}");
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
        assertThat(json(ended).get("state").asText()).isIn("ABANDONED", "ENDED");
    }

    // ---- item 9

    @Test
    void anUnknownQueueIdIs400NamingItAndStoresNothingWhileNoQueueIdMeansTheDefaultQueue() throws Exception {
        HttpResponse<String> refused = post("interactions",
                "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:visitor-9\",\"queueId\":\"nope\",\"text\":\"hello\"}");

        assertProblem(refused, 400, "queueId: there is no queue nope");
        assertNothingStoredFor("webchat:visitor-9");
        assertThat(acd.queue(TENANT + "/default")).as("no default queue made for a refused request").isEmpty();

        HttpResponse<String> defaulted = post("interactions",
                "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:visitor-9\",\"text\":\"hello\"}");
        assertThat(defaulted.statusCode()).as(defaulted.body()).isEqualTo(201);
        assertThat(json(defaulted).get("queueId").asText()).isEqualTo("default");
    }

    // ---- item 7

    @Test
    void theSameMessageIdFromAnotherCustomerIsItsOwnMessageAndARetryIsStillDeduplicated() throws Exception {
        HttpResponse<String> a = post("interactions",
                "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:visitor-a\",\"messageId\":\"m-1\",\"text\":\"from a\"}");
        HttpResponse<String> b = post("interactions",
                "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:visitor-b\",\"messageId\":\"m-1\",\"text\":\"from b\"}");
        HttpResponse<String> aAgain = post("interactions",
                "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:visitor-a\",\"messageId\":\"m-1\",\"text\":\"from a\"}");

        assertThat(a.statusCode()).isEqualTo(201);
        assertThat(b.statusCode()).isEqualTo(201);
        String idA = json(a).get("id").asText();
        String idB = json(b).get("id").asText();
        assertThat(idB).isNotEqualTo(idA);
        assertThat(json(b).get("from").asText()).isEqualTo("webchat:visitor-b");
        JsonNode eventsB = get("interactions/" + idB + "/events");
        assertThat(messagesIn(eventsB)).isEqualTo(1);
        assertThat(eventsB.findValuesAsText("text")).containsExactly("from b");

        assertThat(aAgain.statusCode()).isEqualTo(201);
        assertThat(json(aAgain).get("id").asText()).isEqualTo(idA);
        assertThat(messagesIn(get("interactions/" + idA + "/events"))).isEqualTo(1);
    }

    // ---- item 10

    /** Sends a request that stops inside the pipeline until the returned latch is released. */
    private CountDownLatch postHeld(TestServer on, String key, String json,
                                    AtomicReference<CompletableFuture<HttpResponse<String>>> response) {
        CountDownLatch latch = new CountDownLatch(1);
        held.add(latch);
        hold.set(latch);
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return post(on, "interactions", key, json);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        response.set(first);
        Await.until("the held request inside the pipeline", Duration.ofSeconds(10), () -> hold.get() == null);
        return latch;
    }

    @Test
    void aLiveRequestHoldsItsKeyButOneOlderThanTheTimeoutIsTakenOverByARetry() throws Exception {
        String body = "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:visitor-10\",\"messageId\":\"m-1\",\"text\":\"hi\"}";
        AtomicReference<CompletableFuture<HttpResponse<String>>> first = new AtomicReference<>();
        CountDownLatch release = postHeld(server, "key-10", body, first);

        assertProblem(post(server, "interactions", "key-10", body), 409,
                "a request with this Idempotency-Key is still in progress; retry it later");

        clock.advance(CLAIM_TIMEOUT.plusSeconds(1));
        HttpResponse<String> retry = post(server, "interactions", "key-10", body);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();

        // The first request ends after all: it was given up on, so the retry's response is the one kept.
        release.countDown();
        assertThat(first.get().get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        HttpResponse<String> replay = post(server, "interactions", "key-10", body);
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json(replay).get("id").asText()).isEqualTo(json(retry).get("id").asText());
    }

    @Test
    void aKeyHeldWhenTheHubStoppedIsFreeAtOnceAfterTheRestart() throws Exception {
        String body = "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:visitor-11\",\"messageId\":\"m-1\",\"text\":\"hi\"}";
        AtomicReference<CompletableFuture<HttpResponse<String>>> dying = new AtomicReference<>();
        CountDownLatch release = postHeld(server, "key-11", body, dying);
        assertProblem(post(server, "interactions", "key-11", body), 409,
                "a request with this Idempotency-Key is still in progress; retry it later");

        // The hub restarts on the same database: the request above belongs to the run that stopped.
        JdbcStore restarted = JdbcStore.open(settings, clock, NODE);
        open.add(restarted);
        TestServer after = serve(restarted);

        HttpResponse<String> retry = post(after, "interactions", "key-11", body);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
        release.countDown();
        dying.get().get(30, TimeUnit.SECONDS);
    }

}
