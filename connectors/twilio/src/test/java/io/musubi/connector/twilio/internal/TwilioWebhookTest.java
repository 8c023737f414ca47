package io.musubi.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;

import io.musubi.api.Health;
import io.musubi.connector.twilio.testing.FakeTwilioApi;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.SecretSource;
import io.musubi.spi.WebhookRejectedException;
import io.musubi.spi.WebhookRequest;
import io.musubi.spi.WebhookResponse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook handler on the fixtures' requests: authentication exactly over the URL Twilio called (the configured
 * public base URL, the path and query as received), the answers Twilio expects, status callbacks in order, media
 * queued after the events are durable.
 */
class TwilioWebhookTest {

    static final String ACCOUNT = TwilioMapperTest.ACCOUNT;
    static final String TOKEN = Fixtures.authToken();

    @TempDir
    Path state;

    private final ConnectorStatus status = new ConnectorStatus(Health.Status.UP, "ready");
    private final List<MediaJob> queued = new ArrayList<>();
    private final AtomicReference<Exception> queueFailure = new AtomicReference<>();
    private final Clock clock = Clock.fixed(Instant.parse("2024-11-22T10:00:00Z"), ZoneOffset.UTC);

    private OutboundLedger ledger() {
        return new OutboundLedger(state.resolve("ledger"), clock);
    }

    private TwilioWebhook handler(String publicBaseUrl, String token) {
        SecretSource secret = TwilioConnector.secret("authToken", "", "T", state,
                token == null ? Map.of() : Map.of("T", token), false);
        TwilioMapper mapper = new TwilioMapper(new TwilioMapper.Settings("twilio.test", "acme", "", ACCOUNT, "",
                List.of("+14155550100"), publicBaseUrl + "/webhooks/twilio/twilio.test"), new MemoryContentStore());
        return new TwilioWebhook(secret, () -> Optional.ofNullable(publicBaseUrl), mapper, ledger(), jobs -> {
            if (queueFailure.get() != null) {
                throw queueFailure.get();
            }
            queued.addAll(jobs);
        }, status, clock, 65536);
    }

    private TwilioWebhook hub;

    @org.junit.jupiter.api.BeforeEach
    void setUp() {
        hub = handler("https://hub.example.com", TOKEN);
    }

    private static WebhookRequest post(String path, String query, String contentType, byte[] body, String signature) {
        Map<String, List<String>> headers = new java.util.HashMap<>();
        headers.put("Content-Type", List.of(contentType));
        if (signature != null) {
            headers.put("x-twilio-signature", List.of(signature));
        }
        return new WebhookRequest("POST", path, query, headers, body);
    }

    private static WebhookRequest example(String file, String signature) {
        return post("/twilio/" + (file.startsWith("status") ? "status" : "sms"), "",
                "application/x-www-form-urlencoded", Fixtures.bytes("sms-webhook-examples/" + file), signature);
    }

    private static String signatureOf(String file) {
        return Fixtures.examples().stream().filter(f -> f.path("file").asText().equals(file)).findFirst().get()
                .path("signature").asText();
    }

    @Test
    void everyFixtureWebhookIsAuthenticAtTheConfiguredPublicUrl() {
        for (JsonNode f : Fixtures.examples()) {
            String file = f.path("file").asText();
            hub.authenticate(example(file, f.path("signature").asText()));
        }
        assertThat(status.count(ConnectorStatus.REJECTED)).isZero();
        // Twilio may have signed with or without the default port.
        handler("https://hub.example.com:443", TOKEN).authenticate(example("inbound-sms.txt", signatureOf("inbound-sms.txt")));
    }

    @Test
    void anIncomingSmsIsAnsweredWithEmptyTwiml() {
        WebhookRequest request = example("inbound-sms.txt", signatureOf("inbound-sms.txt"));
        hub.authenticate(request);
        List<InboundEvent> events = hub.toEvents(request);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(InteractionEventType.MESSAGE_IN);
            assertThat(e.occurredAt()).isEqualTo(clock.instant());
        });
        WebhookResponse answer = hub.accepted(request, events);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/xml");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
        assertThat(status.count(ConnectorStatus.RECEIVED)).isEqualTo(1);
        assertThat(queued).isEmpty();
    }

    @Test
    void anMmsQueuesItsMediaOnceTheEventsAreDurableAndA503WhenTheyCannotBe() {
        WebhookRequest request = example("inbound-mms.txt", signatureOf("inbound-mms.txt"));
        hub.authenticate(request);
        List<InboundEvent> events = hub.toEvents(request);
        assertThat(queued).as("nothing before the events are durable").isEmpty();
        assertThat(hub.accepted(request, events).status()).isEqualTo(200);
        assertThat(queued).extracting(MediaJob::key)
                .containsExactly("twilio.test/media/MM75d6c6457ff2671eed3e04cb4bc11a49/0");
        queueFailure.set(new IllegalStateException("broker away"));
        WebhookResponse answer = hub.accepted(request, events);
        assertThat(answer.status()).as("Twilio calls the fallback URL, the repeat is de-duplicated").isEqualTo(503);
    }

    @Test
    void missingSignaturesAre401AndWrongOnes403WithoutParsingTheBody() {
        expectRejected(hub, example("inbound-sms.txt", null), 401);
        expectRejected(hub, example("inbound-sms.txt", "  "), 401);
        String good = signatureOf("inbound-sms.txt");
        expectRejected(hub, example("inbound-sms.txt", good.substring(0, good.length() - 1)), 403);
        expectRejected(hub, example("inbound-sms.txt", signatureOf("inbound-mms.txt")), 403);
        // A genuine signature replayed with another body, or to another URL.
        byte[] changed = new String(Fixtures.bytes("sms-webhook-examples/inbound-sms.txt"), StandardCharsets.UTF_8)
                .replace("Order", "0rder").getBytes(StandardCharsets.UTF_8);
        expectRejected(hub, post("/twilio/sms", "", "application/x-www-form-urlencoded", changed, good), 403);
        expectRejected(hub, post("/twilio/sms", "messageId=o-1&interactionId=i-1",
                "application/x-www-form-urlencoded", Fixtures.bytes("sms-webhook-examples/inbound-sms.txt"), good), 403);
        // Behind a proxy that terminates TLS, the request's own scheme is never used: only the configured URL.
        expectRejected(handler("http://hub.example.com", TOKEN), example("inbound-sms.txt", good), 403);
        // Not a form Twilio could have sent.
        expectRejected(hub, post("/twilio/sms", "", "application/x-www-form-urlencoded",
                "Body=%E3%81".getBytes(StandardCharsets.UTF_8), good), 403);
        assertThat(status.count(ConnectorStatus.REJECTED)).isEqualTo(8);
        assertThat(status.status()).isEqualTo(Health.Status.UP);
    }

    @Test
    void withoutTheAuthTokenOrThePublicUrlEverythingIsRefusedAndHealthSaysWhy() {
        expectRejected(handler("https://hub.example.com", null), example("inbound-sms.txt", signatureOf("inbound-sms.txt")),
                403);
        assertThat(status.status()).isEqualTo(Health.Status.DOWN);
        assertThat(status.health().detail()).contains("auth token not available");
        expectRejected(handler(null, TOKEN), example("inbound-sms.txt", signatureOf("inbound-sms.txt")), 403);
    }

    private static void expectRejected(TwilioWebhook h, WebhookRequest request, int httpStatus) {
        assertThatThrownBy(() -> h.authenticate(request)).isInstanceOf(WebhookRejectedException.class)
                .satisfies(e -> assertThat(((WebhookRejectedException) e).httpStatus()).isEqualTo(httpStatus))
                .hasMessageNotContaining("Order").hasMessageNotContaining(TOKEN);
    }

    @Test
    void aJsonWebhookIsCheckedByItsBodyHash() {
        JsonNode t16 = Fixtures.vectors().stream().filter(c -> c.path("id").asText().equals("T16")).findFirst().get();
        JsonNode t17 = Fixtures.vectors().stream().filter(c -> c.path("id").asText().equals("T17")).findFirst().get();
        String query = t16.path("url").asText().substring(t16.path("url").asText().indexOf('?') + 1);
        WebhookRequest genuine = post("/twilio/events", query, "application/json",
                t16.path("bodyJson").asText().getBytes(StandardCharsets.UTF_8), t16.path("expectedSignature").asText());
        hub.authenticate(genuine);
        List<InboundEvent> events = hub.toEvents(genuine);
        assertThat(events).extracting(InboundEvent::eventId).containsExactly("SM5b1d9f3a7c2e4b6d8f0a1c3e5b7d9f20");
        WebhookResponse answer = hub.accepted(genuine, events);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEmpty();
        expectRejected(hub, post("/twilio/events", query, "application/json",
                t17.path("bodyJson").asText().getBytes(StandardCharsets.UTF_8), t17.path("expectedSignature").asText()), 403);
        expectRejected(hub, post("/twilio/events", "", "application/json",
                t16.path("bodyJson").asText().getBytes(StandardCharsets.UTF_8), t16.path("expectedSignature").asText()), 403);
    }

    private WebhookRequest statusCallback(String messageId, String status, String sid) {
        List<Map.Entry<String, String>> p = List.of(Map.entry("SmsSid", sid), Map.entry("SmsStatus", status),
                Map.entry("MessageStatus", status), Map.entry("To", "+819012345678"), Map.entry("MessageSid", sid),
                Map.entry("AccountSid", ACCOUNT), Map.entry("From", "+14155550100"), Map.entry("ApiVersion", "2010-04-01"));
        String query = "messageId=" + messageId + "&interactionId=i-42";
        String url = "https://hub.example.com/webhooks/twilio/twilio.test?" + query;
        StringBuilder form = new StringBuilder();
        p.forEach(e -> form.append(form.length() == 0 ? "" : "&").append(e.getKey()).append('=')
                .append(java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)));
        return post("/webhooks/twilio/twilio.test", query, "application/x-www-form-urlencoded",
                form.toString().getBytes(StandardCharsets.UTF_8), FakeTwilioApi.signature(TOKEN, url, p));
    }

    private List<String> deliver(WebhookRequest request) {
        hub.authenticate(request);
        List<InboundEvent> events = hub.toEvents(request);
        hub.accepted(request, events);
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.attributes().get(ConnectorAttributes.STATUS)));
        return out;
    }

    @Test
    void statusCallbacksAreRecordedInOrderAndARegressionIsDropped() {
        String sid = "SM" + "1".repeat(32);
        assertThat(deliver(statusCallback("o-1", "queued", sid))).containsExactly("queued");
        assertThat(deliver(statusCallback("o-1", "delivered", sid))).containsExactly("delivered");
        assertThat(deliver(statusCallback("o-1", "sent", sid))).as("late: after delivered").isEmpty();
        assertThat(deliver(statusCallback("o-1", "queued", sid))).isEmpty();
        assertThat(deliver(statusCallback("o-1", "delivered", sid))).as("a repeat: the hub drops it by its id")
                .containsExactly("delivered");
        assertThat(deliver(statusCallback("o-1", "read", sid))).containsExactly("read");
        assertThat(status.count(TwilioWebhook.STALE_STATUSES)).isEqualTo(2);
        assertThat(status.count(TwilioWebhook.STATUS_CALLBACKS)).isEqualTo(6);
        assertThat(ledger().get("o-1").orElseThrow().sid()).as("the callback names Twilio's id").isEqualTo(sid);
        assertThat(ledger().messageOf(sid)).contains("o-1");
        // A status callback's answer is the same empty TwiML.
        WebhookRequest r = statusCallback("o-2", "sent", "SM" + "2".repeat(32));
        hub.authenticate(r);
        assertThat(hub.accepted(r, hub.toEvents(r)).contentType()).startsWith("text/xml");
    }

    @Test
    void aStatusCallbackNamingNoneOfOurMessagesIsAcknowledgedAndIgnored() {
        WebhookRequest request = example("status-3-delivered.txt", signatureOf("status-3-delivered.txt"));
        hub.authenticate(request);
        assertThat(hub.toEvents(request)).isEmpty();
        assertThat(status.count(TwilioWebhook.IGNORED)).isEqualTo(1);
    }

    @Test
    void malformedBodiesAreCountedAndNeverQuoted() {
        String body = "MessageSid=SM0a1b2c3d4e5f60718293a4b5c6d7e8f9&From=whatsapp%3A%2B819011112222&Body=private";
        WebhookRequest request = post("/x", "", "application/x-www-form-urlencoded",
                body.getBytes(StandardCharsets.UTF_8), "unused");
        assertThatThrownBy(() -> hub.toEvents(request)).isInstanceOf(MalformedInputException.class)
                .hasMessageNotContaining("private").hasMessageNotContaining("8190");
        assertThatThrownBy(() -> hub.toEvents(post("/x", "", "text/plain", body.getBytes(StandardCharsets.UTF_8), "u")))
                .isInstanceOf(MalformedInputException.class).hasMessageStartingWith("Content-Type must be");
        assertThatThrownBy(() -> hub.toEvents(post("/x", "", "application/json", "{\"a\":".getBytes(StandardCharsets.UTF_8),
                "u"))).isInstanceOf(MalformedInputException.class).hasMessageStartingWith("the body is not JSON");
        assertThat(status.count(ConnectorStatus.MALFORMED)).isEqualTo(3);
    }

    @Test
    void getWebhooksAreRefused() {
        WebhookResponse answer = hub.verify(new WebhookRequest("GET", "/webhooks/twilio/twilio.test", "Body=hi",
                Map.of(), new byte[0]));
        assertThat(answer.status()).isEqualTo(405);
    }
}
