package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.api.InboundEventListener;
import io.musubi.connector.line.testing.FakeLineApi;
import io.musubi.model.InboundEvent;
import io.musubi.spi.ContentStore;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * LINE end to end on the distribution, against a local LINE API server: a signed LINE message becomes an
 * interaction offered on the agent's event stream, the agent accepts and replies over REST, and the reply reaches LINE
 * by the reply token; a customer linked across LINE and a phone number reaches the same agent on SMS (sticky routing,
 * on by default); an account-link event links the LINE user to the customer a nonce was issued for; an image's
 * content is fetched after the webhook was answered and kept under the reference its message carries; a
 * {@code bundle:update} of the connector under a steady stream of webhooks loses and duplicates nothing; forged,
 * missing, truncated, oversized and replayed webhooks are refused or de-duplicated.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class LineEndToEndIT extends MusubiTestSupport {

    private static final String ID = "line.e2e";
    private static final String SWAP_ID = "line.swap";
    private static final String QUEUE = "e2e-line";
    private static final String SECRET = "e2e-secret-" + UUID.randomUUID().toString().replace("-", "");
    private static final String TOKEN = "e2e-token-" + UUID.randomUUID().toString().replace("-", "");

    private static FakeLineApi line;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private FeaturesService features;

    private final LineWebhooks webhooks = new LineWebhooks(HTTP_PORT, ID, SECRET);
    private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    private ServiceRegistration<InboundEventListener> listener;
    private ApiClient admin;
    private ApiClient hanako;
    private ApiClient taro;
    private ApiClient vendor;

    @Before
    public void setUp() throws Exception {
        listener = bundleContext.registerService(InboundEventListener.class, e -> arrived(e), null);
        Await.until("hub healthy", Duration.ofSeconds(120), Duration.ofMillis(250),
                () -> statusOf("/api/v1/health") == 200);
        admin = adminClient();
        synchronized (LineEndToEndIT.class) {
            if (line == null) {
                line = FakeLineApi.start(TOKEN);
            }
        }
        LineContractIT.LineSetup.install(features);
        LineContractIT.LineSetup.configure(configurationAdmin, ID, "line-e2e", SECRET, TOKEN, line.baseUrl(), QUEUE);
        // A second instance whose conversations wait in a queue no agent serves (the webhook-only tests).
        int hold = admin.call("PUT", "/queues/" + ConnectorContractIT.HOLDING_QUEUE,
                "{\"name\":\"TCK conversations (never offered)\",\"requiredSkills\":{\"tck-never\":10}}").statusCode();
        assertTrue("holding queue defined: " + hold, hold == 200 || hold == 201);
        LineContractIT.LineSetup.configure(configurationAdmin, SWAP_ID, "line-swap", SECRET, TOKEN, line.baseUrl(),
                ConnectorContractIT.HOLDING_QUEUE);
        for (String agent : List.of("e2e-hanako", "e2e-taro")) {
            int s = admin.call("PUT", "/agents/" + agent, "{\"name\":\"" + agent + "\",\"capacities\":{\"LINE\":3,"
                    + "\"SMS\":3}}").statusCode();
            assertTrue("agent defined: " + s, s == 200 || s == 201);
        }
        // No "sticky" in the definition: last-agent routing is on by default for a new queue.
        int q = admin.call("PUT", "/queues/" + QUEUE, "{\"name\":\"LINE and SMS\",\"channels\":[\"LINE\",\"SMS\"],"
                + "\"members\":[\"e2e-hanako\",\"e2e-taro\"],\"wrapUpSeconds\":0}").statusCode();
        assertTrue("queue defined: " + q, q == 200 || q == 201);
        hanako = admin.as(newKey(admin, "agent", "e2e-hanako"));
        taro = admin.as(newKey(admin, "agent", "e2e-taro"));
        vendor = admin.as(newKey(admin, "integration", null));
        Await.until(ID + " and " + SWAP_ID + " registered", Duration.ofSeconds(90), Duration.ofMillis(250),
                () -> body("/api/v1/health").contains("\"id\":\"" + ID + "\"")
                        && body("/api/v1/health").contains("\"id\":\"" + SWAP_ID + "\""));
    }

    @After
    public void tearDown() throws Exception {
        listener.unregister();
        if (hanako != null && taro != null) {
            presence(hanako, "e2e-hanako", "OFFLINE");
            presence(taro, "e2e-taro", "OFFLINE");
        }
    }

    private void arrived(InboundEvent e) {
        if (ID.equals(e.source()) || SWAP_ID.equals(e.source())) {
            arrivals.computeIfAbsent(e.eventId(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    private int arrivals(String eventId) {
        AtomicInteger n = arrivals.get(eventId);
        return n == null ? 0 : n.get();
    }

    private static void presence(ApiClient agent, String id, String state) throws Exception {
        agent.expect(200, "PUT", "/agents/" + id + "/presence", "{\"state\":\"" + state + "\"}");
    }

    /** The id of the customer owning an address. */
    /**
     * The customer who owns {@code address}, once the event that made it known has committed (listeners are told
     * inside the event's transaction, so an arrival can be seen before its customer is readable).
     */
    private String customerOf(String address) throws Exception {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        Await.until("a customer owns " + address, Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
            try {
                found.set(vendor.expect(200, "GET", "/customers?address=" + address, null).path("items"));
                return found.get().size() > 0;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals("one customer owns " + address, 1, found.get().size());
        return found.get().get(0).path("id").asText();
    }

    private static String unique(String what) {
        return what + "-" + System.nanoTime();
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    @Test
    public void aSignedLineMessageIsOfferedAcceptedAndAnsweredWithTheReplyToken() throws Exception {
        presence(taro, "e2e-taro", "OFFLINE");
        String user = LineWebhooks.userId(unique("e2e-reply"));
        try (ApiClient.Events stream = hanako.events("?agentId=e2e-hanako", null)) {
            presence(hanako, "e2e-hanako", "AVAILABLE");
            String replyToken = line.issueReplyToken();
            String eventId = unique("e2e-msg");
            webhooks.deliver(LineWebhooks.body(LineWebhooks.text(eventId, user, "荷物がまだ届きません", replyToken,
                    now(), false)));

            await("the message arrived", Duration.ofSeconds(60), () -> arrivals(eventId) == 1);
            String customer = customerOf("line:" + user);
            ApiClient.Events.Event offer = stream.await("the LINE offer", Duration.ofSeconds(60),
                    e -> e.type().equals("offered") && customer.equals(e.data().path("customerId").asText()));
            String id = offer.data().path("interactionId").asText();
            assertEquals("CONNECTED", hanako.expect(200, "POST", "/interactions/" + id + "/accept", "{}")
                    .path("state").asText());
            String answer = "ご不便をおかけしています。確認いたします。" + System.nanoTime();
            hanako.expect(201, "POST", "/interactions/" + id + "/messages",
                    ApiClient.JSON.createObjectNode().put("text", answer).toString());

            await("the reply reached LINE", Duration.ofSeconds(60),
                    () -> line.sent().stream().anyMatch(s -> s.text().equals(answer)));
            FakeLineApi.Sent sent = line.sent().stream().filter(s -> s.text().equals(answer)).findFirst().get();
            assertEquals("by the reply token, while it was valid", "reply", sent.api());
            assertEquals(replyToken, sent.replyToken());
            Await.until("the delivery recorded on the message", Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
                try {
                    return admin.call("GET", "/interactions/" + id + "/events", null).body()
                            .contains("\"status\":\"sent\"");
                } catch (Exception e) {
                    return false;
                }
            });
            hanako.expect(200, "POST", "/interactions/" + id + "/end", "{}");
        }
        assertEquals("no request LINE would refuse", List.of(), line.violations());
    }

    @Test
    public void aCustomerLinkedAcrossLineAndPhoneIsOfferedToTheSameAgentOnSms() throws Exception {
        String user = LineWebhooks.userId(unique("e2e-sticky"));
        String phone = "tel:+8190" + String.format("%08d", Math.floorMod(System.nanoTime(), 100_000_000L));
        try (ApiClient.Events stream = admin.events("", null)) {
            presence(taro, "e2e-taro", "AVAILABLE");
            presence(hanako, "e2e-hanako", "AVAILABLE");

            String eventId = unique("e2e-sticky");
            webhooks.deliver(LineWebhooks.body(LineWebhooks.text(eventId, user, "見積もりをお願いします",
                    line.issueReplyToken(), now(), false)));
            await("the LINE message arrived", Duration.ofSeconds(60), () -> arrivals(eventId) == 1);
            String customer = customerOf("line:" + user);
            ApiClient.Events.Event offer = stream.await("the LINE offer", Duration.ofSeconds(60),
                    e -> e.type().equals("offered") && customer.equals(e.data().path("customerId").asText()));
            String lineInteraction = offer.data().path("interactionId").asText();
            String agent = offer.data().path("agentId").asText();
            ApiClient first = agent.equals("e2e-hanako") ? hanako : taro;
            first.expect(200, "POST", "/interactions/" + lineInteraction + "/accept", "{}");
            first.expect(201, "POST", "/interactions/" + lineInteraction + "/messages", "{\"text\":\"承知しました\"}");
            // The queue has no wrap-up time: wrap-up ends the interaction and frees the agent at once.
            first.expect(200, "POST", "/interactions/" + lineInteraction + "/wrap-up", "{\"disposition\":\"quoted\"}");

            // The customer's phone number joins their identity; the other agent has now been idle longer, so
            // longest-idle routing alone would pick them.
            vendor.expect(200, "POST", "/customers/" + customer + "/addresses",
                    ApiClient.JSON.createObjectNode().put("address", phone).toString());
            JsonNode sms = vendor.expect(201, "POST", "/interactions", ApiClient.JSON.createObjectNode()
                    .put("channel", "SMS").put("from", phone).put("queueId", QUEUE)
                    .put("text", "先ほどの見積もりの件です").toString());
            String smsInteraction = sms.path("id").asText();
            assertEquals("the SMS resolves to the same customer", customer, sms.path("customerId").asText());
            ApiClient.Events.Event smsOffer = stream.await("the SMS offer", Duration.ofSeconds(60),
                    e -> e.type().equals("offered") && smsInteraction.equals(e.data().path("interactionId").asText()));
            assertEquals("offered to the agent who handled the LINE chat", agent,
                    smsOffer.data().path("agentId").asText());
            assertEquals("true", smsOffer.data().path("data").path("sticky").asText());
            first.expect(200, "POST", "/interactions/" + smsInteraction + "/accept", "{}");
            first.expect(200, "POST", "/interactions/" + smsInteraction + "/end", "{}");
        }
    }

    @Test
    public void anAccountLinkEventLinksTheLineUserToTheCustomerTheNonceWasIssuedFor() throws Exception {
        String phone = "tel:+8180" + String.format("%08d", Math.floorMod(System.nanoTime(), 100_000_000L));
        // A customer the company knows (here from an SMS), who logs in on the company's site: it asks for a nonce.
        JsonNode known = vendor.expect(201, "POST", "/interactions", ApiClient.JSON.createObjectNode()
                .put("channel", "SMS").put("from", phone).put("queueId", ConnectorContractIT.HOLDING_QUEUE)
                .put("text", "会員登録しました").toString());
        String customer = known.path("customerId").asText();
        admin.expect(200, "POST", "/interactions/" + known.path("id").asText() + "/end", "{}");
        JsonNode nonce = vendor.expect(201, "POST", "/customers/" + customer + "/link-nonces", "{}");
        assertEquals(customer, nonce.path("customerId").asText());

        String user = LineWebhooks.userId(unique("e2e-link"));
        String follow = unique("e2e-follow");
        webhooks.deliver(LineWebhooks.body(LineWebhooks.follow(follow, user, line.issueReplyToken(), now())));
        await("the follow arrived", Duration.ofSeconds(60), () -> arrivals(follow) == 1);
        assertNotEquals("a follow makes the LINE user known as a customer of its own", customer,
                customerOf("line:" + user));

        String link = unique("e2e-link");
        webhooks.deliver(LineWebhooks.body(LineWebhooks.accountLink(link, user, line.issueReplyToken(), now(),
                nonce.path("nonce").asText())));
        Await.until("the LINE user belongs to the known customer", Duration.ofSeconds(60), Duration.ofMillis(250),
                () -> {
            try {
                JsonNode found = vendor.expect(200, "GET", "/customers?address=line:" + user, null).path("items");
                return found.size() == 1 && customer.equals(found.get(0).path("id").asText());
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode linked = vendor.expect(200, "GET", "/customers/" + customer, null);
        assertTrue(linked.path("addresses").toString(), linked.path("addresses").toString().contains("line:" + user));

        // The nonce was used: another LINE user presenting it links nothing.
        String other = LineWebhooks.userId(unique("e2e-intruder"));
        String again = unique("e2e-link-again");
        webhooks.deliver(LineWebhooks.body(LineWebhooks.accountLink(again, other, line.issueReplyToken(), now(),
                nonce.path("nonce").asText())));
        await("the second use arrived", Duration.ofSeconds(60), () -> arrivals(again) == 1);
        // Every event makes its sender known: once the intruder is, it is a customer of its own.
        assertNotEquals("the used nonce linked nothing", customer, customerOf("line:" + other));
    }

    @Test
    public void anImageIsFetchedAfterTheAnswerAndKeptUnderTheReferenceItsMessageCarries() throws Exception {
        LineWebhooks webhooks = new LineWebhooks(HTTP_PORT, SWAP_ID, SECRET);
        String user = LineWebhooks.userId(unique("e2e-image"));
        String eventId = unique("e2e-image");
        String messageId = LineWebhooks.messageId(eventId);
        byte[] jpeg = ("JPEG bytes of " + eventId).getBytes(StandardCharsets.UTF_8);
        line.putContent(messageId, jpeg, "image/jpeg");
        line.preparing(messageId, 1); // not ready at the first try: fetched again
        AtomicReference<InboundEvent> mapped = new AtomicReference<>();
        ServiceRegistration<InboundEventListener> watch = bundleContext.registerService(InboundEventListener.class,
                e -> {
                    if (eventId.equals(e.eventId())) {
                        mapped.set(e);
                    }
                }, null);
        try {
            webhooks.deliver(LineWebhooks.body(LineWebhooks.image(eventId, user, messageId, now())));
            await("the image message arrived", Duration.ofSeconds(60), () -> mapped.get() != null);
        } finally {
            watch.unregister();
        }
        String ref = mapped.get().content().attachments().get(0).ref();
        ContentStore store = bundleContext.getService(bundleContext.getServiceReference(ContentStore.class));
        await("the content stored under " + ref, Duration.ofSeconds(60),
                () -> store.find("default", ref).isPresent());
        assertEquals("image/jpeg", store.find("default", ref).get().mediaType());
        try (java.io.InputStream in = store.open("default", ref).orElseThrow()) {
            assertEquals(new String(jpeg, StandardCharsets.UTF_8), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("fetched twice: once not ready, once stored", 2,
                line.count("/v2/bot/message/" + messageId + "/content"));
    }

    @Test
    public void forgedMissingTruncatedOversizedAndReplayedWebhooksAreRefusedOrDeduplicated() throws Exception {
        LineWebhooks webhooks = new LineWebhooks(HTTP_PORT, SWAP_ID, SECRET);
        String user = LineWebhooks.userId(unique("e2e-security"));
        String marker = "forged-body-marker-" + UUID.randomUUID();
        byte[] forged = LineWebhooks.body(LineWebhooks.text(unique("e2e-forged"), user, marker, null, now(), false));
        HttpResponse<String> missing = webhooks.post(forged, null);
        assertEquals(401, missing.statusCode());
        assertEquals("application/problem+json", missing.headers().firstValue("Content-Type").orElse(""));
        String good = webhooks.sign(forged);
        assertEquals(403, webhooks.post(forged, new LineWebhooks(HTTP_PORT, SWAP_ID, "another-secret").sign(forged))
                .statusCode());
        assertEquals(403, webhooks.post(forged, good.substring(0, 20)).statusCode());
        assertEquals(403, webhooks.post(forged, good.substring(0, 41)).statusCode());
        byte[] tampered = new String(forged, StandardCharsets.UTF_8).replace(marker, marker + "!")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(403, webhooks.post(tampered, good).statusCode());

        // The console's Verify: a signed body without events is answered 200.
        assertEquals(200, webhooks.postSigned(LineWebhooks.body()));

        byte[] oversized = new byte[1_048_577];
        java.util.Arrays.fill(oversized, (byte) ' ');
        assertEquals(413, webhooks.postExpectingContinue(oversized, webhooks.sign(oversized)));

        // A valid request replayed (or redelivered): answered 200, processed once. Camel headers are only text.
        String eventId = unique("e2e-replay");
        byte[] valid = LineWebhooks.body(LineWebhooks.text(eventId, user, "再送テスト", null, now(), false));
        String signature = webhooks.sign(valid);
        assertEquals(200, webhooks.post(valid, signature, "CamelFileName", "../../evil", "camelHttpUri",
                "http://127.0.0.1:1/").statusCode());
        assertEquals(200, webhooks.post(valid, signature).statusCode());
        String barrier = unique("e2e-barrier");
        webhooks.deliver(LineWebhooks.body(LineWebhooks.text(barrier, user, "after", null, now(), false)));
        await("the barrier arrived", Duration.ofSeconds(60), () -> arrivals(barrier) == 1);
        assertEquals("the replay was de-duplicated", 1, arrivals(eventId));
        assertEquals("nothing of the forged requests was processed", 0, arrivals.keySet().stream()
                .filter(k -> k.startsWith("e2e-forged")).count());

        for (Path log : logFiles()) {
            assertFalse("a refused body is never logged: " + log,
                    Files.readString(log, StandardCharsets.ISO_8859_1).contains(marker));
        }
    }

    private static List<Path> logFiles() throws Exception {
        Path dir = Path.of(System.getProperty("karaf.log", Path.of(System.getProperty("karaf.data"), "log").toString()));
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(files::add);
        }
        return files;
    }

    @Test
    public void updatingTheConnectorWhileSignedWebhooksArriveLosesAndDuplicatesNothing() throws Exception {
        // The instance of its own, whose conversations wait in a queue no agent serves.
        LineWebhooks swapHooks = new LineWebhooks(HTTP_PORT, SWAP_ID, SECRET);
        int total = 150;
        int swapAt = 50;
        String prefix = unique("swap") + "-";
        List<String> users = List.of(LineWebhooks.userId(prefix + "a"), LineWebhooks.userId(prefix + "b"),
                LineWebhooks.userId(prefix + "c"));
        CountDownLatch swapPoint = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                for (int i = 1; i <= total; i++) {
                    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                    swapHooks.deliver(LineWebhooks.body(LineWebhooks.text(prefix + i, users.get(i % users.size()),
                            "message " + i, null, now(), false)));
                    if (i == swapAt) {
                        swapPoint.countDown();
                    }
                    long left = due - System.nanoTime();
                    if (left > 0) {
                        TimeUnit.NANOSECONDS.sleep(left); // a steady rate: one webhook every 20 ms at most
                    }
                }
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "line-webhook-sender");
        sender.start();
        assertTrue(swapPoint.await(120, TimeUnit.SECONDS));

        Bundle b = bundle("io.musubi.connector-line");
        Version before = b.getVersion();
        b.update(new ByteArrayInputStream(ConnectorContractIT.withBundleVersion(ConnectorContractIT.read(
                b.getLocation()), before.getMajor() + "." + before.getMinor() + "." + before.getMicro() + ".swap"
                + System.nanoTime())));
        FrameworkWiring wiring = bundleContext.getBundle(0).adapt(FrameworkWiring.class);
        CountDownLatch refreshed = new CountDownLatch(1);
        wiring.refreshBundles(List.of(b), e -> refreshed.countDown());
        assertTrue(refreshed.await(60, TimeUnit.SECONDS));

        sender.join(TimeUnit.SECONDS.toMillis(240));
        assertEquals("the sender delivered every webhook", null, failed.get());
        await(total + " events arrived", Duration.ofSeconds(120),
                () -> arrivals.keySet().stream().filter(k -> k.startsWith(prefix)).count() >= total);
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 1; i <= total; i++) {
            expected.add(prefix + i);
        }
        TreeSet<String> got = new TreeSet<>();
        List<String> duplicated = new ArrayList<>();
        arrivals.forEach((k, n) -> {
            if (k.startsWith(prefix)) {
                got.add(k);
                if (n.get() != 1) {
                    duplicated.add(k + " x" + n.get());
                }
            }
        });
        assertEquals("exactly the events sent", expected, got);
        assertEquals("every event exactly once", List.of(), duplicated);
        assertNotEquals("the bundle runs the new version", before, bundle("io.musubi.connector-line").getVersion());
    }
}
