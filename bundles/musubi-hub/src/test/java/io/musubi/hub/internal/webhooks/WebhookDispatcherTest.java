package io.musubi.hub.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.acd.AcdAttributes;
import io.musubi.api.OutboundAddressPolicy;
import io.musubi.hub.internal.events.EventBus;
import io.musubi.hub.internal.events.EventJson;
import io.musubi.hub.internal.events.TestEventBus;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.store.WebhookDelivery;
import io.musubi.store.WebhookDeliveryPage;
import io.musubi.store.WebhookDeliveryStatus;
import io.musubi.store.WebhookRepository;
import io.musubi.store.WebhookSubscription;
import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;
import io.musubi.testkit.Await;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
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
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher against a real HTTP receiver and a real H2 database (receivers on 127.0.0.1, allow-listed). */
class WebhookDispatcherTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    private JdbcSettings db;
    private JdbcStore history;
    private EventBus bus;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
    private int seq;

    @BeforeEach
    void open() {
        db = JdbcSettings.embedded(Path.of("target", "h2", "dispatcher-" + UUID.randomUUID())).withMaxPoolSize(2);
        history = JdbcStore.open(db);
        bus = TestEventBus.start(100, 100, Duration.ofMinutes(1), 10);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        bus.close();
        history.close();
    }

    private final TestDns dns = new TestDns();

    private static WebhookDispatcher.Settings settings(int maxAttempts, Duration retryBase) {
        return settings(maxAttempts, retryBase, OutboundAddressPolicy.allowing("127.0.0.1"), Duration.ofSeconds(5));
    }

    private static WebhookDispatcher.Settings settings(int maxAttempts, Duration retryBase,
                                                       OutboundAddressPolicy targets, Duration readTimeout) {
        return settings(maxAttempts, retryBase, targets, Duration.ofSeconds(2), readTimeout);
    }

    private static WebhookDispatcher.Settings settings(int maxAttempts, Duration retryBase,
                                                       OutboundAddressPolicy targets, Duration connectTimeout,
                                                       Duration readTimeout) {
        return new WebhookDispatcher.Settings(true, connectTimeout, readTimeout, retryBase,
                retryBase.multipliedBy(4), maxAttempts, 2, Duration.ofMillis(20), Duration.ZERO, 10, targets);
    }

    private WebhookDispatcher dispatcher(WebhookDispatcher.Settings settings, Clock clock, boolean start) {
        return dispatcher(settings, clock, start, null);
    }

    private WebhookDispatcher dispatcher(WebhookDispatcher.Settings settings, Clock clock, boolean start,
                                         SSLContext tls) {
        WebhookDispatcher d = tls == null ? new WebhookDispatcher(history.webhooks(), settings, clock, bus)
                : new WebhookDispatcher(history.webhooks(), settings, clock, bus, tls);
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
        return awaitStatus(s, status, WAIT);
    }

    private WebhookDelivery awaitStatus(WebhookSubscription s, WebhookDeliveryStatus status, Duration wait) {
        try {
            Await.until("a delivery " + status, wait, () -> log(s).stream().anyMatch(d -> d.status() == status));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the log: " + log(s).stream()
                    .map(d -> d.status() + " after " + d.attempts() + " (" + d.lastError() + ")").toList(), e);
        }
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
            JsonNode body = EventJson.mapper().readTree(requests.get(0).body());
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
            assertThat(failed.lastError()).isEqualTo("http-500");
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
        assertThat(failed.lastError()).isEqualTo("connect-failed");
        assertThat(failed.lastStatus()).isZero();
    }

    @Test
    void aReceiverThatIsNowOnLoopbackIsNeverConnected() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            WebhookSubscription s = subscribe(receiver.url(), "offered");
            dispatcher(settings(1, Duration.ofMillis(20), OutboundAddressPolicy.publicOnly(), Duration.ofSeconds(5)),
                    Clock.systemUTC(), true);

            offer("i1");

            WebhookDelivery failed = awaitStatus(s, WebhookDeliveryStatus.FAILED);
            assertThat(failed.lastError()).isEqualTo("refused-target");
            assertThat(failed.lastStatus()).isZero();
            assertThat(receiver.received()).isZero();
        }
    }

    @Test
    void aNameThatResolvesToLoopbackAtDeliveryIsNeverConnected() throws Exception {
        try (Receiver receiver = Receiver.https(testTls()[0], 200)) {
            OutboundAddressPolicy publicOnly = OutboundAddressPolicy.publicOnly().withResolver(dns);
            dns.answer("hooks.test", TestDns.PUBLIC);
            String url = receiver.url("hooks.test");
            assertThat(WebhookUrls.problem(url, true, publicOnly)).as("accepted at subscription").isNull();
            WebhookSubscription s = subscribe(url, "offered");
            dispatcher(settings(2, Duration.ofMillis(20), publicOnly, Duration.ofSeconds(5)), Clock.systemUTC(), true);

            dns.answer("hooks.test", "127.0.0.1"); // the name is rebound to the hub's loopback
            offer("i1");

            WebhookDelivery failed = awaitStatus(s, WebhookDeliveryStatus.FAILED);
            assertThat(failed.attempts()).isEqualTo(2);
            assertThat(failed.lastError()).isEqualTo("refused-target");
            assertThat(receiver.received()).as("no connection to the rebound address").isZero();
        }
    }

    @Test
    void anAllowListedNameIsCalledOnTheAddressItResolvedToWithItsOwnHostHeader() throws Exception {
        try (Receiver receiver = Receiver.answering(204)) {
            dns.answer("receiver.internal.example", "127.0.0.1");
            WebhookSubscription s = subscribe(receiver.url("receiver.internal.example"), "offered");
            dispatcher(settings(1, Duration.ofMillis(20),
                    OutboundAddressPolicy.allowing("receiver.internal.example").withResolver(dns), Duration.ofSeconds(5)),
                    Clock.systemUTC(), true);

            offer("i1");

            Receiver.Request r = receiver.next(WAIT);
            assertThat(r).isNotNull();
            assertThat(r.header("Host")).isEqualTo("receiver.internal.example:" + receiver.port());
            assertSigned(r, s.secret());
            assertThat(awaitStatus(s, WebhookDeliveryStatus.DELIVERED).lastStatus()).isEqualTo(204);
        }
    }

    @Test
    void httpsIsCheckedAgainstTheUrlsHostWhileConnectingToTheCheckedAddress() throws Exception {
        SSLContext[] contexts = testTls();
        try (Receiver receiver = Receiver.https(contexts[0], 200)) {
            dns.answer("hooks.test", "127.0.0.1").answer("other.test", "127.0.0.1");
            WebhookSubscription good = subscribe(receiver.url("hooks.test"), "offered");
            WebhookSubscription wrongName = subscribe(receiver.url("other.test"), "offered");
            WebhookSubscription byAddress = subscribe(receiver.url("127.0.0.1"), "offered");
            // The first TLS handshakes of a JVM are slow on a loaded machine: a generous connect (+ handshake) timeout.
            dispatcher(settings(1, Duration.ofMillis(20), OutboundAddressPolicy.allowing("127.0.0.1").withResolver(dns),
                    Duration.ofSeconds(20), Duration.ofSeconds(20)), Clock.systemUTC(), true, contexts[1]);

            offer("i1");

            Duration wait = Duration.ofSeconds(60);
            WebhookDelivery delivered = awaitStatus(good, WebhookDeliveryStatus.DELIVERED, wait);
            assertThat(delivered.lastStatus()).isEqualTo(200);
            assertThat(awaitStatus(wrongName, WebhookDeliveryStatus.FAILED, wait).lastError()).isEqualTo("tls");
            assertThat(awaitStatus(byAddress, WebhookDeliveryStatus.FAILED, wait).lastError()).isEqualTo("tls");
            assertThat(receiver.received()).isEqualTo(1);
            assertThat(receiver.next(WAIT).header("Host")).isEqualTo("hooks.test:" + receiver.port());
        }
    }

    @Test
    void aRedirectIsNeverFollowed() throws Exception {
        try (Receiver target = Receiver.answering(200);
             Receiver redirecting = Receiver.answering(302).redirectingTo(target.url())) {
            WebhookSubscription s = subscribe(redirecting.url(), "offered");
            dispatcher(settings(1, Duration.ofMillis(20)), Clock.systemUTC(), true);

            offer("i1");

            WebhookDelivery failed = awaitStatus(s, WebhookDeliveryStatus.FAILED);
            assertThat(failed.lastError()).isEqualTo("http-302");
            assertThat(failed.lastStatus()).isEqualTo(302);
            assertThat(redirecting.received()).isEqualTo(1);
            assertThat(target.received()).isZero();
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsATimeout() throws Exception {
        try (Receiver receiver = Receiver.gated(200)) {
            WebhookSubscription s = subscribe(receiver.url(), "offered");
            dispatcher(settings(1, Duration.ofMillis(20), OutboundAddressPolicy.allowing("127.0.0.1"),
                    Duration.ofSeconds(1)), Clock.systemUTC(), true);

            offer("i1");

            assertThat(awaitStatus(s, WebhookDeliveryStatus.FAILED).lastError()).isEqualTo("timeout");
        }
    }

    /**
     * The receiver's TLS context (a self-signed certificate for {@code hooks.test}, in the test resources) and a
     * client context that trusts that certificate only.
     */
    private static SSLContext[] testTls() throws Exception {
        char[] password = "changeit".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = WebhookDispatcherTest.class.getResourceAsStream("hooks-test.p12")) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);

        Certificate certificate = keys.getCertificate("hooks");
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("hooks", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return new SSLContext[] {server, client};
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

            history = JdbcStore.open(db); // the hub starts again, two minutes later
            bus = TestEventBus.start(100, 100, Duration.ofMinutes(1), 10);
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
        history = JdbcStore.open(counting);
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
                Duration.ofSeconds(1), Duration.ZERO, 10, OutboundAddressPolicy.publicOnly()), Clock.systemUTC(),
                null);
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
