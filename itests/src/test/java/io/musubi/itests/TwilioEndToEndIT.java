package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.musubi.connector.twilio.testing.FakeTwilioApi;
import io.musubi.spi.ContentStore;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * SMS end to end on the distribution, against a local Twilio that checks every API request as Twilio documents it and
 * signs its webhooks as Twilio does, with the hub behind a reverse proxy whose public URL Twilio signs: a signed
 * incoming SMS becomes an interaction offered to an agent on the event stream; the agent accepts and replies over REST;
 * the reply reaches Twilio from our number with a status callback; Twilio's callbacks (sent, delivered, then a late
 * sent) are recorded on the message in order; a Twilio retry of the SMS changes nothing; an MMS's media is stored by
 * reference; forged, missing, replayed, oversized and GET webhooks are refused without processing or logging them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class TwilioEndToEndIT extends MusubiTestSupport {

    static final String ID = "twilio.e2e";
    private static final String QUEUE = "e2e-sms";
    private static final String AGENT = "e2e-sms-agent";
    private static final int MAX_WEBHOOK_BYTES = 16_384;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private FeaturesService features;

    private FakeTwilioApi twilio;
    private ApiClient admin;
    private ApiClient agent;

    @Before
    public void setUp() throws Exception {
        Await.until("hub healthy", Duration.ofSeconds(120), Duration.ofMillis(250),
                () -> statusOf("/api/v1/health") == 200);
        admin = adminClient();
        twilio = TwilioSetup.twilio();
        TwilioSetup.install(features);
        TwilioSetup.configure(configurationAdmin, ID, QUEUE, Map.of("maxWebhookBytes", MAX_WEBHOOK_BYTES));
        int a = admin.call("PUT", "/agents/" + AGENT, "{\"name\":\"SMS agent\",\"capacities\":{\"SMS\":3}}").statusCode();
        assertTrue("agent defined: " + a, a == 200 || a == 201);
        int q = admin.call("PUT", "/queues/" + QUEUE, "{\"name\":\"SMS\",\"channels\":[\"SMS\"],\"members\":[\""
                + AGENT + "\"],\"wrapUpSeconds\":0}").statusCode();
        assertTrue("queue defined: " + q, q == 200 || q == 201);
        agent = admin.as(newKey(admin, "agent", AGENT));
        Await.until(ID + " UP", Duration.ofSeconds(90), Duration.ofMillis(250),
                () -> body("/api/v1/health").contains("\"id\":\"" + ID + "\""));
    }

    @After
    public void tearDown() throws Exception {
        if (agent != null) {
            agent.expect(200, "PUT", "/agents/" + AGENT + "/presence", "{\"state\":\"OFFLINE\"}");
        }
    }

    private JsonNode events(String interactionId) throws Exception {
        return admin.expect(200, "GET", "/interactions/" + interactionId + "/events", null).path("items");
    }

    /** The statuses recorded on a message, in the order of the interaction's events. */
    private List<String> statuses(String interactionId, String messageId) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events(interactionId)) {
            if (e.path("type").asText().equals("message_status")
                    && messageId.equals(e.path("attributes").path("messageId").asText())) {
                out.add(e.path("attributes").path("status").asText());
            }
        }
        return out;
    }

    private long count(String interactionId, String type) throws Exception {
        long n = 0;
        for (JsonNode e : events(interactionId)) {
            if (e.path("type").asText().equals(type)) {
                n++;
            }
        }
        return n;
    }

    /** A customer's address, encoded for a query ('+' would read as a space). */
    static String tel(String number) {
        return java.net.URLEncoder.encode("tel:" + number, StandardCharsets.UTF_8);
    }

    private String customerOf(String address) throws Exception {
        JsonNode found = admin.expect(200, "GET", "/customers?address=" + address, null).path("items");
        assertEquals("one customer owns " + address, 1, found.size());
        return found.get(0).path("id").asText();
    }

    @Test
    public void aSignedSmsIsOfferedAnsweredAndItsDeliveryRecordedInOrder() throws Exception {
        String customer = TwilioSetup.customerNumber();
        String sid = TwilioSetup.messageSid();
        try (ApiClient.Events stream = agent.events("?agentId=" + AGENT, null)) {
            agent.expect(200, "PUT", "/agents/" + AGENT + "/presence", "{\"state\":\"AVAILABLE\"}");
            FakeTwilioApi.Delivery answer = twilio.deliverInbound(TwilioSetup.webhook(ID), sid, customer,
                    TwilioSetup.OUR_NUMBER, "明日の予約を15時に変更できますか？", List.of(), List.of());
            assertEquals(200, answer.status());
            assertTrue(answer.contentType(), answer.contentType().startsWith("text/xml"));
            assertTrue(answer.body(), answer.body().endsWith("<Response/>"));

            Await.until("the customer", Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
                try {
                    return admin.expect(200, "GET", "/customers?address=" + tel(customer), null).path("items").size() == 1;
                } catch (Exception e) {
                    return false;
                }
            });
            String customerId = customerOf(tel(customer));
            ApiClient.Events.Event offer = stream.await("the SMS offer", Duration.ofSeconds(60),
                    e -> e.type().equals("offered") && customerId.equals(e.data().path("customerId").asText()));
            String id = offer.data().path("interactionId").asText();
            assertEquals("CONNECTED", agent.expect(200, "POST", "/interactions/" + id + "/accept", "{}")
                    .path("state").asText());

            String text = "はい、15時に変更しました。" + System.nanoTime();
            JsonNode posted = agent.expect(201, "POST", "/interactions/" + id + "/messages",
                    ApiClient.JSON.createObjectNode().put("text", text).toString());
            await("the reply reached Twilio", Duration.ofSeconds(60),
                    () -> twilio.sent().stream().anyMatch(s -> s.body().equals(text)));
            FakeTwilioApi.Sent sent = twilio.sent().stream().filter(s -> s.body().equals(text)).findFirst().get();
            assertEquals(customer, sent.to());
            assertEquals("from the number the customer wrote to", TwilioSetup.OUR_NUMBER, sent.from());
            assertTrue(sent.statusCallback(), sent.statusCallback().startsWith(TwilioSetup.webhook(ID)
                    + "?messageId="));
            String messageId = messageIdOf(sent.statusCallback());
            assertTrue(posted.toString(), posted.toString().contains(messageId));

            awaitStatuses(id, messageId, List.of("queued"));
            assertEquals(200, twilio.sendStatus(sent.sid(), "sent", null).status());
            awaitStatuses(id, messageId, List.of("queued", "sent"));
            assertEquals(200, twilio.sendStatus(sent.sid(), "delivered", null).status());
            awaitStatuses(id, messageId, List.of("queued", "sent", "delivered"));
            // Twilio's callbacks can come late and twice: neither changes the record.
            assertEquals(200, twilio.sendStatus(sent.sid(), "sent", null).status());
            assertEquals(200, twilio.sendStatus(sent.sid(), "delivered", null).status());
            // Twilio retries the SMS (its request timed out at its end): the same MessageSid, nothing new.
            assertEquals(200, twilio.deliverInbound(TwilioSetup.webhook(ID), sid, customer, TwilioSetup.OUR_NUMBER,
                    "明日の予約を15時に変更できますか？", List.of(), List.of()).status());
            // A later message of the same conversation is processed after those (one conversation, in order).
            String later = TwilioSetup.messageSid();
            twilio.deliverInbound(TwilioSetup.webhook(ID), later, customer, TwilioSetup.OUR_NUMBER, "ありがとう",
                    List.of(), List.of());
            Await.until("the later message joined", Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
                try {
                    return count(id, "message_in") == 2;
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals(List.of("queued", "sent", "delivered"), statuses(id, messageId));
            assertEquals("one reply sent", 1, twilio.sent().stream().filter(s -> s.body().equals(text)).count());
            agent.expect(200, "POST", "/interactions/" + id + "/end", "{}");
        }
        assertEquals("no request Twilio would refuse", List.of(), twilio.violations());
    }

    private static String messageIdOf(String callback) {
        String query = URI.create(callback).getRawQuery();
        for (String pair : query.split("&")) {
            if (pair.startsWith("messageId=")) {
                return pair.substring("messageId=".length());
            }
        }
        throw new AssertionError("no messageId in " + callback);
    }

    private void awaitStatuses(String interactionId, String messageId, List<String> expected) throws Exception {
        Await.until("statuses " + expected, Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
            try {
                return statuses(interactionId, messageId).equals(expected);
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    public void anMmsIsTakenAndItsMediaStoredByReference() throws Exception {
        String customer = TwilioSetup.customerNumber();
        String sid = twilio.newMessageSid(true);
        byte[] photo = ("JPEG " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        String mediaUrl = twilio.addMedia(sid, photo, "image/jpeg");
        assertEquals(200, twilio.deliverInbound(TwilioSetup.webhook(ID), sid, customer, TwilioSetup.OUR_NUMBER,
                "破損した商品の写真です", List.of(mediaUrl), List.of("image/jpeg")).status());
        Await.until("the customer", Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
            try {
                return admin.expect(200, "GET", "/customers?address=" + tel(customer), null).path("items").size() == 1;
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode journey = admin.expect(200, "GET", "/customers/" + customerOf(tel(customer)) + "/journey", null);
        JsonNode attachment = null;
        for (JsonNode e : journey.path("items")) {
            if (e.path("type").asText().equals("message_in")) {
                attachment = e.path("content").path("attachments").get(0);
            }
        }
        assertTrue("the message carries its media: " + journey, attachment != null && attachment.isObject());
        assertEquals("image/jpeg", attachment.path("mediaType").asText());
        String ref = attachment.path("ref").asText();
        ServiceReference<ContentStore> csRef = bundleContext.getServiceReference(ContentStore.class);
        ContentStore store = bundleContext.getService(csRef);
        try {
            await("the media stored", Duration.ofSeconds(60), () -> store.find("default", ref).isPresent());
            Optional<InputStream> in = store.open("default", ref);
            try (InputStream s = in.orElseThrow()) {
                assertTrue(java.util.Arrays.equals(photo, s.readAllBytes()));
            }
        } finally {
            bundleContext.ungetService(csRef);
        }
        assertEquals(List.of(), twilio.violations());
    }

    @Test
    public void forgedMissingReplayedOversizedAndGetWebhooksAreRefusedWithoutProcessingOrLogging() throws Exception {
        String customer = TwilioSetup.customerNumber();
        String secretText = "秘密の本文 " + System.nanoTime();
        List<Map.Entry<String, String>> params = List.of(Map.entry("MessageSid", TwilioSetup.messageSid()),
                Map.entry("AccountSid", twilio.accountSid()), Map.entry("From", customer),
                Map.entry("To", TwilioSetup.OUR_NUMBER), Map.entry("Body", secretText), Map.entry("NumMedia", "0"));
        String url = TwilioSetup.webhook(ID);
        String token = TwilioSetup.token();

        assertEquals("missing", 401, twilio.postSigned(url, params, null).status());
        assertEquals("forged", 403, twilio.postSigned(url, params, FakeTwilioApi.signature("not-the-token", url, params))
                .status());
        String genuine = FakeTwilioApi.signature(token, url, params);
        assertEquals("truncated", 403, twilio.postSigned(url, params, genuine.substring(0, 20)).status());
        List<Map.Entry<String, String>> other = new ArrayList<>(params);
        other.set(4, Map.entry("Body", secretText + "!"));
        assertEquals("replayed on another body", 403, twilio.postSigned(url, other, genuine).status());
        String local = TwilioSetup.local(url);
        assertEquals("signed for the hub's local URL, not the public one Twilio calls", 403,
                twilio.postSigned(url, params, FakeTwilioApi.signature(token, local, params)).status());
        assertEquals("replayed to a status callback URL", 403,
                twilio.postSigned(url + "?messageId=o-x&interactionId=i-x", params, genuine).status());

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String big = "Body=" + "x".repeat(MAX_WEBHOOK_BYTES) + "&From=" + customer;
        HttpResponse<String> tooLarge = http.send(HttpRequest.newBuilder(URI.create(local))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", genuine)
                .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("oversized", 413, tooLarge.statusCode());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(local + "?Body=x")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("GET webhooks", 405, get.statusCode());

        // A request that passes every check still goes through (the same parameters, genuinely signed).
        assertEquals(200, twilio.postSigned(url, params, genuine).status());
        Await.until("the genuine one arrived", Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
            try {
                return admin.expect(200, "GET", "/customers?address=" + tel(customer), null).path("items").size() == 1;
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode journey = admin.expect(200, "GET", "/customers/" + customerOf(tel(customer)) + "/journey", null);
        long messages = 0;
        for (JsonNode e : journey.path("items")) {
            if (e.path("type").asText().equals("message_in")) {
                messages++;
            }
        }
        assertEquals("only the genuine request was processed", 1, messages);
        for (Path log : logFiles()) {
            String content = Files.readString(log, StandardCharsets.UTF_8);
            assertFalse("message text in " + log, content.contains(secretText));
            assertFalse("customer number in " + log, content.contains(customer));
            assertFalse("auth token in " + log, content.contains(token));
        }
        String counts = body("/api/v1/health");
        assertTrue(counts, counts.contains("\"twilio/" + ID + ".unauthenticated\""));
        assertTrue(counts, counts.contains("\"twilio/" + ID + ".forbidden\""));
        assertTrue(counts, counts.contains("\"twilio/" + ID + ".too-large\""));
    }

    static List<Path> logFiles() throws Exception {
        Path dir = Path.of(System.getProperty("karaf.log", Path.of(System.getProperty("karaf.data"), "log").toString()));
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(files::add);
        }
        assertFalse("the Karaf log is there", files.isEmpty());
        return files;
    }
}
