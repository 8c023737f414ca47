package io.musubi.connector.webchat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.IngressUnavailableException;
import io.musubi.spi.LiveSignal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The visitor endpoints' decisions: tokens, limits, the durable hand-off, the transcript. */
class WebchatApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    private final List<InboundEvent> submitted = new CopyOnWriteArrayList<>();
    private volatile boolean hubDown;
    private Visitors visitors;
    private WebchatApi api;
    private final ConnectorStatus status = new ConnectorStatus();

    @BeforeEach
    void setUp() throws Exception {
        Clock clock = Clock.systemUTC();
        visitors = new Visitors(Path.of("target", "api-" + UUID.randomUUID()), Duration.ofHours(1), clock, JSON, 10);
        IngressGateway ingress = events -> {
            if (hubDown) {
                throw new IngressUnavailableException("broker unreachable", Duration.ofSeconds(2), null);
            }
            submitted.addAll(events);
        };
        api = new WebchatApi("web", new VisitorTokens(VisitorTokensTest.KEY, "acme/web", clock, Duration.ofMinutes(30)),
                visitors, new WebchatMapper("web", "acme", "support", "", 100), ingress,
                new RtcServers(new String[] {"stun:stun.example.jp"}, null, Duration.ofHours(1), clock, JSON), status,
                clock, JSON, 100, 3, 1);
    }

    private static WebchatApi.Request post(String token, String json) {
        return new WebchatApi.Request(token == null ? null : "Bearer " + token, "192.0.2.1", "https://shop.example.jp/",
                json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode body(WebchatApi.Reply r) throws Exception {
        return JSON.readTree(r.body());
    }

    private String newToken() throws Exception {
        WebchatApi.Reply r = api.session(post(null, null));
        assertThat(r.status()).isEqualTo(201);
        return body(r).path("token").asText();
    }

    @Test
    void aVisitorGetsATokenAndRenewsItWhileItIsValid() throws Exception {
        WebchatApi.Reply created = api.session(post(null, null));
        JsonNode s = body(created);
        assertThat(s.path("visitorId").asText()).matches(VisitorTokens.VISITOR_ID.pattern());
        assertThat(s.path("rtc").path("iceServers").get(0).path("urls").get(0).asText()).isEqualTo("stun:stun.example.jp");
        assertThat(created.headers()).containsEntry("Cache-Control", "no-store");
        WebchatApi.Reply renewed = api.session(post(s.path("token").asText(), null));
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(body(renewed).path("visitorId").asText()).isEqualTo(s.path("visitorId").asText());
        WebchatApi.Reply forged = api.session(post(s.path("token").asText() + "x", null));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void newSessionsAreLimitedPerClientAddress() {
        for (int i = 0; i < 3; i++) {
            assertThat(api.session(post(null, null)).status()).isEqualTo(201);
        }
        WebchatApi.Reply refused = api.session(post(null, null));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers()).containsKey("Retry-After");
        assertThat(api.session(new WebchatApi.Request(null, "192.0.2.2", null, new byte[0])).status())
                .as("another address").isEqualTo(201);
    }

    @Test
    void aLineIsDurableInTheHubBeforeItIsInTheTranscript() throws Exception {
        String token = newToken();
        String visitor = body(api.session(post(token, null))).path("visitorId").asText();
        WebchatApi.Reply r = api.message(post(token, "{\"text\":\"在庫はありますか？\",\"clientId\":\"line-0001\"}"));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(submitted).hasSize(1);
        assertThat(submitted.get(0).channel()).isEqualTo(Channel.WEBCHAT);
        assertThat(submitted.get(0).attributes()).containsEntry("webchat.page", "https://shop.example.jp/");
        assertThat(visitors.transcript(visitor)).extracting(Visitors.Entry::text).containsExactly("在庫はありますか？");
        assertThat(status.count(ConnectorStatus.RECEIVED)).isEqualTo(1);

        hubDown = true;
        WebchatApi.Reply down = api.message(post(token, "{\"text\":\"まだですか\",\"clientId\":\"line-0002\"}"));
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.headers()).containsEntry("Retry-After", "2");
        assertThat(visitors.transcript(visitor)).as("a refused line is stored nowhere").hasSize(1);
    }

    @Test
    void badPostsAre400NamingTheFieldAndStoreNothing() throws Exception {
        String token = newToken();
        String visitor = body(api.session(post(token, null))).path("visitorId").asText();
        String[][] cases = {
            {"{\"text\":\"hi\"}", "clientId: required"},
            {"{\"text\":5,\"clientId\":\"line-0001\"}", "text: must be a string"},
            {"{\"text\":\"" + "x".repeat(101) + "\",\"clientId\":\"line-0001\"}", "text: at most 100 characters"},
            {"{\"text\":\"hi\",\"clientId\":\"line-0001\",\"tenantId\":\"other\"}", "tenantId: unknown property"},
            {"[1,2]", "JSON object"},
            {"not json", "not JSON"},
            {"", "JSON body is required"},
        };
        for (String[] c : cases) {
            WebchatApi.Reply r = api.message(post(token, c[0]));
            assertThat(r.status()).as(c[1]).isEqualTo(400);
            assertThat(body(r).path("detail").asText()).contains(c[1]);
        }
        assertThat(submitted).isEmpty();
        assertThat(visitors.transcript(visitor)).isEmpty();
        assertThat(api.message(post(null, "{\"text\":\"hi\",\"clientId\":\"line-0001\"}")).status()).isEqualTo(401);
    }

    @Test
    void aCallIsAVideoInteractionAndSignalsReachTheHubsSubscribers() throws Exception {
        String token = newToken();
        String visitor = body(api.session(post(token, null))).path("visitorId").asText();
        assertThat(api.call(post(token, "{\"callId\":\"call-0001\"}")).status()).isEqualTo(202);
        assertThat(submitted).extracting(InboundEvent::channel).containsExactly(Channel.VIDEO);

        List<LiveSignal> agentSide = new CopyOnWriteArrayList<>();
        visitors.subscribe(visitor, agentSide::add);
        WebchatApi.Reply sent = api.signal(post(token,
                "{\"type\":\"rtc.answer\",\"interactionId\":\"i-1\",\"data\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}"));
        assertThat(sent.status()).isEqualTo(202);
        assertThat(body(sent).path("delivered").asInt()).isEqualTo(1);
        assertThat(agentSide).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo("rtc.answer");
            assertThat(s.interactionId()).isEqualTo("i-1");
            assertThat(s.data()).contains("v=0");
        });
        WebchatApi.Reply notAllowed = api.signal(post(token, "{\"type\":\"rtc.config\",\"data\":{}}"));
        assertThat(notAllowed.status()).isEqualTo(400);
        assertThat(body(notAllowed).path("detail").asText()).startsWith("type: one of");
        assertThat(agentSide).hasSize(1);
    }
}
