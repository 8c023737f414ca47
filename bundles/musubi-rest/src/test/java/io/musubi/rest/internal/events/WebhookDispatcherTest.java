package io.musubi.rest.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.acd.AcdAttributes;
import io.musubi.history.JdbcHistory;
import io.musubi.history.JdbcSettings;
import io.musubi.history.WebhookDelivery;
import io.musubi.history.WebhookDeliveryPage;
import io.musubi.history.WebhookDeliveryStatus;
import io.musubi.history.WebhookRepository;
import io.musubi.history.WebhookSubscription;
import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;
import io.musubi.rest.internal.ObjectMapperResolver;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher against a real HTTP receiver and a real H2 database. */
class WebhookDispatcherTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    private JdbcSettings db;
    private JdbcHistory history;
    private EventBus bus;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
    private int seq;

    @BeforeEach
    void open() {
        db = JdbcSettings.embedded(Path.of("target", "h2", "dispatcher-" + UUID.randomUUID())).withMaxPoolSize(2);
        history = JdbcHistory.open(db);
        bus = new EventBus(new EventBus.Settings(100, 100, Duration.ofMinutes(1), 10), Clock.systemUTC(),
                AssignmentLookup.NONE);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        bus.close();
        history.close();
    }

    private static WebhookDispatcher.Settings settings(int maxAttempts, Duration retryBase) {
        return new WebhookDispatcher.Settings(true, Duration.ofSeconds(2), Duration.ofSeconds(5), retryBase,
                retryBase.multipliedBy(4), maxAttempts, 2, Duration.ofMillis(20), Duration.ZERO, 10);
    }

    private WebhookDispatcher dispatcher(WebhookDispatcher.Settings settings, Clock clock, boolean start) {
        WebhookDispatcher d = new WebhookDispatcher(history.webhooks(), settings, clock, bus);
        closing.add(d);
        if (start) {
            d.start();
        }
        return d;
    }

    private WebhookRepository webhooks() {
        return history.webhooks();
    }

    private WebhookSubscription subscribe(String url, String... types) {
        return webhooks().createSubscription(tenant, url, Set.of(types), "", "whsec_" + UUID.randomUUID());
    }

    private void offer(String interaction) {
        bus.onInteractionEvent(InteractionEvent.of("e" + (++seq), tenant, interaction, "c1", Channel.LINE,
                InteractionEventType.OFFERED, Instant.now(), "system",
                Map.of(AcdAttributes.AGENT_ID, tenant + "/alice", AcdAttributes.QUEUE_ID, tenant + "/support")));
    }

    private List<WebhookDelivery> log(WebhookSubscription s) {
        WebhookDeliveryPage page = webhooks().deliveries(tenant, s.id(), null, 100);
        return page.items();
    }

    private WebhookDelivery awaitStatus(WebhookSubscription s, WebhookDeliveryStatus status) {
        Await.until("a delivery " + status, WAIT,
                () -> log(s).stream().anyMatch(d -> d.status() == status));
        return log(s).stream().filter(d -> d.status() == status).findFirst().orElseThrow();
    }

    /** The receiver's own check: HMAC-SHA256 over "timestamp.body" with the secret, recomputed here. */
    private static void assertSigned(Receiver.Request r, String secret) throws Exception {
        String timestamp = r.header("Musubi-Timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((timestamp + "." + r.body()).getBytes(StandardCharsets.UTF_8));
        assertThat(r.header("Musubi-Signature")).isEqualTo("v1=" + HexFormat.of().formatHex(expected));
        assertThat(Math.abs(Long.parseLong(timestamp) - Instant.now().getEpochSecond())).isLessThan(300);
    }

    @Test
    void deliversSignedAfterTwoFailuresAndLogsThreeAttempts() throws Exception {
        try (Receiver receiver = Receiver.answering(500, 500, 200)) {
            WebhookSubscription s = subscribe(receiver.url(), "offered");
            dispatcher(settings(10, Duration.ofMillis(50)), Clock.systemUTC(), true);

            offer("i1");
            bus.onPresenceChange(new PresenceChange("p1", tenant, tenant + "/alice", PresenceState.AVAILABLE,
                    PresenceState.BREAK, "", "system", Instant.now()));

            List<Receiver.Request> requests = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Receiver.Request r = receiver.next(WAIT);
                assertThat(r).as("attempt %d", i + 1).isNotNull();
                requests.add(r);
            }
            WebhookDelivery delivered = awaitStatus(s, WebhookDeliveryStatus.DELIVERED);

            assertThat(delivered.attempts()).isEqualTo(3);
            assertThat(delivered.lastStatus()).isEqualTo(200);
            assertThat(delivered.lastError()).isEmpty();
            assertThat(delivered.deliveredAtIfAny()).isPresent();
            assertThat(log(s)).hasSize(1);
            for (Receiver.Request r : requests) {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.header("Musubi-Webhook-Id")).isEqualTo(delivered.id());
                assertThat(r.header("Musubi-Event-Type")).isEqualTo("offered");
                assertThat(r.header("Content-Type")).startsWith("application/json");
                assertSigned(r, s.secret());
            }
            JsonNode body = ObjectMapperResolver.mapper().readTree(requests.get(0).body());
            assertThat(body.get("id").asText()).isEqualTo(Long.toString(delivered.eventId()));
            assertThat(body.get("type").asText()).isEqualTo("offered");
            assertThat(body.get("agentId").asText()).isEqualTo("alice");
            assertThat(body.has("tenantId")).isFalse();
            assertThat(receiver.next(Duration.ofMillis(300))).as("no presence webhook, no fourth attempt").isNull();
        }
    }

    @Test
    void aTamperedBodyDoesNotVerify() throws Exception {
        try (Receiver receiver = Receiver.answering(204)) {
            WebhookSubscription s = subscribe(receiver.url(), "*");
            dispatcher(settings(3, Duration.ofMillis(50)), Clock.systemUTC(), true);

            offer("i1");

            Receiver.Request r = receiver.next(WAIT);
            Receiver.Request tampered = new Receiver.Request(r.method(), r.headers(),
                    r.body().replace("alice", "mallory"));
            assertSigned(r, s.secret());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertSigned(tampered, s.secret()))
                    .isInstanceOf(AssertionError.class);
            assertThat(awaitStatus(s, WebhookDeliveryStatus.DELIVERED).lastStatus()).isEqualTo(204);
        }
    }

    @Test
    void failsAfterTheLastAttempt() throws Exception {
        try (Receiver receiver = Receiver.answering(500)) {
            WebhookSubscription s = subscribe(receiver.url(), "offered");
            dispatcher(settings(2, Duration.ofMillis(20)), Clock.systemUTC(), true);

            offer("i1");

            WebhookDelivery failed = awaitStatus(s, WebhookDeliveryStatus.FAILED);
            assertThat(failed.attempts()).isEqualTo(2);
            assertThat(failed.lastStatus()).isEqualTo(500);
            assertThat(failed.lastError()).isEqualTo("HTTP 500").doesNotContain("never read");
            assertThat(receiver.received()).isEqualTo(2);
        }
    }

    @Test
    void anUnreachableReceiverIsAConnectFailure() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        WebhookSubscription s = subscribe("http://127.0.0.1:" + closedPort + "/hook", "offered");
        dispatcher(settings(1, Duration.ofMillis(20)), Clock.systemUTC(), true);

        offer("i1");

        WebhookDelivery failed = awaitStatus(s, WebhookDeliveryStatus.FAILED);
        assertThat(failed.lastError()).isEqualTo("connection refused");
        assertThat(failed.lastStatus()).isZero();
    }

    @Test
    void aNewDispatcherOnTheSameDatabaseDeliversWhatWasLeftPending() throws Exception {
        try (Receiver receiver = Receiver.answering(503, 200)) {
            WebhookSubscription s = subscribe(receiver.url(), "offered");
            WebhookDispatcher first = dispatcher(settings(10, Duration.ofSeconds(60)), Clock.systemUTC(), true);
            offer("i1");
            assertThat(receiver.next(WAIT)).isNotNull();
            Await.until("the first attempt recorded", WAIT, () -> log(s).get(0).attempts() == 1);
            first.close();
            WebhookDispatcher stopped = dispatcher(settings(10, Duration.ofSeconds(60)), Clock.systemUTC(), false);
            stopped.refresh();
            bus.addListener(stopped::onEvent);
            offer("i2"); // recorded while no dispatcher delivers
            stopped.close();
            assertThat(log(s)).hasSize(2).allMatch(d -> d.status() == WebhookDeliveryStatus.PENDING);
            bus.close();
            history.close();

            history = JdbcHistory.open(db); // the hub starts again, two minutes later
            bus = new EventBus(new EventBus.Settings(100, 100, Duration.ofMinutes(1), 10), Clock.systemUTC(),
                    AssignmentLookup.NONE);
            dispatcher(settings(10, Duration.ofSeconds(60)), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)),
                    true);

            Await.until("both delivered", WAIT, () -> log(s).stream()
                    .allMatch(d -> d.status() == WebhookDeliveryStatus.DELIVERED));
            assertThat(log(s)).extracting(WebhookDelivery::attempts).containsExactlyInAnyOrder(1, 2);
            assertThat(receiver.received()).isEqualTo(2);
        }
    }

    @Test
    void noDatabaseConnectionIsHeldWhileTheReceiverIsCalled() throws Exception {
        history.close();
        CountingDataSource counting = new CountingDataSource(db.url());
        history = JdbcHistory.open(counting);
        try (Receiver receiver = Receiver.gated(200)) {
            WebhookSubscription s = subscribe(receiver.url(), "offered");
            dispatcher(settings(3, Duration.ofMillis(50)), Clock.systemUTC(), true);
            offer("i1");
            assertThat(receiver.awaitHeld(WAIT)).isTrue();

            Await.until("no connection open while the receiver holds the call", WAIT, () -> counting.open() == 0);

            receiver.open();
            awaitStatus(s, WebhookDeliveryStatus.DELIVERED);
        }
    }

    @Test
    void backOffDoublesUpToTheCapWithJitterInTheUpperHalf() {
        WebhookDispatcher d = new WebhookDispatcher(history.webhooks(), new WebhookDispatcher.Settings(true,
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofHours(1), 10, 1,
                Duration.ofSeconds(1), Duration.ZERO, 10), Clock.systemUTC(), null);
        closing.add(d);

        for (int i = 0; i < 50; i++) {
            assertThat(d.backoff(1)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
            assertThat(d.backoff(2)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
            assertThat(d.backoff(4)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
            assertThat(d.backoff(9)).isBetween(Duration.ofSeconds(640), Duration.ofSeconds(1280));
            assertThat(d.backoff(11)).isBetween(Duration.ofMinutes(30), Duration.ofHours(1));
            assertThat(d.backoff(60)).isBetween(Duration.ofMinutes(30), Duration.ofHours(1));
        }
    }
}
