package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.connector.line.testing.FakeLineApi;
import io.musubi.connector.twilio.testing.FakeTwilioApi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Design point ① across two real connectors (issue #12, end to end): a customer writes on LINE, an agent handles
 * it; the customer's phone number is linked to them; their signed SMS through the Twilio connector is offered to the
 * same agent (sticky routing, on by default for a new queue) although the other agent has been idle longer, and the
 * agent's reply reaches Twilio. Instances, agents and the queue are this class's own.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class LineThenSmsIT extends MusubiTestSupport {

    private static final String LINE_ID = "line.sticky";
    private static final String TWILIO_ID = "twilio.sticky";
    private static final String QUEUE = "sticky-line-sms";
    private static final List<String> AGENTS = List.of("sticky-hanako", "sticky-taro");
    private static final String SECRET = "sticky-secret-" + UUID.randomUUID().toString().replace("-", "");
    private static final String TOKEN = "sticky-token-" + UUID.randomUUID().toString().replace("-", "");

    private static FakeLineApi line;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private FeaturesService features;

    private FakeTwilioApi twilio;
    private ApiClient admin;
    private ApiClient vendor;
    private final Map<String, ApiClient> agents = new java.util.HashMap<>();

    @Before
    public void setUp() throws Exception {
        Await.until("hub healthy", Duration.ofSeconds(120), Duration.ofMillis(250),
                () -> statusOf("/api/v1/health") == 200);
        admin = adminClient();
        synchronized (LineThenSmsIT.class) {
            if (line == null) {
                line = FakeLineApi.start(TOKEN);
            }
        }
        LineContractIT.LineSetup.install(features);
        LineContractIT.LineSetup.configure(configurationAdmin, LINE_ID, "line-sticky", SECRET, TOKEN, line.baseUrl(),
                QUEUE);
        twilio = TwilioSetup.twilio();
        TwilioSetup.install(features);
        TwilioSetup.configure(configurationAdmin, TWILIO_ID, QUEUE, Map.of());
        for (String agent : AGENTS) {
            int s = admin.call("PUT", "/agents/" + agent, "{\"name\":\"" + agent + "\",\"capacities\":{\"LINE\":3,"
                    + "\"SMS\":3}}").statusCode();
            assertTrue("agent defined: " + s, s == 200 || s == 201);
            agents.put(agent, admin.as(newKey(admin, "agent", agent)));
        }
        // No "sticky" in the definition: last-agent routing is on by default for a new queue.
        int q = admin.call("PUT", "/queues/" + QUEUE, "{\"name\":\"LINE and SMS\",\"channels\":[\"LINE\",\"SMS\"],"
                + "\"members\":[\"" + AGENTS.get(0) + "\",\"" + AGENTS.get(1) + "\"],\"wrapUpSeconds\":0}").statusCode();
        assertTrue("queue defined: " + q, q == 200 || q == 201);
        vendor = admin.as(newKey(admin, "integration", null));
        Await.until(LINE_ID + " and " + TWILIO_ID + " registered", Duration.ofSeconds(90), Duration.ofMillis(250),
                () -> body("/api/v1/health").contains("\"id\":\"" + LINE_ID + "\"")
                        && body("/api/v1/health").contains("\"id\":\"" + TWILIO_ID + "\""));
    }

    @After
    public void tearDown() throws Exception {
        for (Map.Entry<String, ApiClient> a : agents.entrySet()) {
            presence(a.getValue(), a.getKey(), "OFFLINE");
        }
    }

    private static void presence(ApiClient agent, String id, String state) throws Exception {
        agent.expect(200, "PUT", "/agents/" + id + "/presence", "{\"state\":\"" + state + "\"}");
    }

    /** The id of the customer owning an address, once there is one. */
    private String customerOf(String address) throws Exception {
        String query = java.net.URLEncoder.encode(address, java.nio.charset.StandardCharsets.UTF_8);
        JsonNode[] found = {null};
        Await.until("a customer owns " + address, Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
            try {
                found[0] = vendor.expect(200, "GET", "/customers?address=" + query, null).path("items");
                return found[0].size() == 1;
            } catch (Exception e) {
                return false;
            }
        });
        return found[0].get(0).path("id").asText();
    }

    @Test
    public void aCustomerWhoWroteOnLineIsOfferedToTheSameAgentWhenTheySendAnSms() throws Exception {
        String user = LineWebhooks.userId("sticky-" + System.nanoTime());
        String number = TwilioSetup.customerNumber();
        try (ApiClient.Events stream = admin.events("", null)) {
            for (Map.Entry<String, ApiClient> a : agents.entrySet()) {
                presence(a.getValue(), a.getKey(), "AVAILABLE");
            }
            new LineWebhooks(HTTP_PORT, LINE_ID, SECRET).deliver(LineWebhooks.body(LineWebhooks.text(
                    "sticky-" + System.nanoTime(), user, "見積もりをお願いします", line.issueReplyToken(),
                    System.currentTimeMillis(), false)));
            String customer = customerOf("line:" + user);
            ApiClient.Events.Event offer = stream.await("the LINE offer", Duration.ofSeconds(60),
                    e -> e.type().equals("offered") && customer.equals(e.data().path("customerId").asText()));
            String lineInteraction = offer.data().path("interactionId").asText();
            String agentId = offer.data().path("agentId").asText();
            ApiClient first = agents.get(agentId);
            first.expect(200, "POST", "/interactions/" + lineInteraction + "/accept", "{}");
            first.expect(201, "POST", "/interactions/" + lineInteraction + "/messages", "{\"text\":\"承知しました\"}");
            // No wrap-up time: wrap-up ends the interaction and frees the agent at once; the other agent has now
            // been idle longer, so longest-idle routing alone would pick them.
            first.expect(200, "POST", "/interactions/" + lineInteraction + "/wrap-up", "{\"disposition\":\"quoted\"}");

            vendor.expect(200, "POST", "/customers/" + customer + "/addresses",
                    ApiClient.JSON.createObjectNode().put("address", "tel:" + number).toString());
            assertEquals(200, twilio.deliverInbound(TwilioSetup.webhook(TWILIO_ID), TwilioSetup.messageSid(), number,
                    TwilioSetup.OUR_NUMBER, "先ほどの見積もりの件です", List.of(), List.of()).status());

            ApiClient.Events.Event smsOffer = stream.await("the SMS offer", Duration.ofSeconds(60),
                    e -> e.type().equals("offered") && customer.equals(e.data().path("customerId").asText())
                            && !lineInteraction.equals(e.data().path("interactionId").asText()));
            String smsInteraction = smsOffer.data().path("interactionId").asText();
            assertNotEquals(lineInteraction, smsInteraction);
            assertEquals("offered to the agent who handled the LINE chat", agentId,
                    smsOffer.data().path("agentId").asText());
            assertEquals("true", smsOffer.data().path("data").path("sticky").asText());

            first.expect(200, "POST", "/interactions/" + smsInteraction + "/accept", "{}");
            String text = "お見積もりをお送りします " + System.nanoTime();
            first.expect(201, "POST", "/interactions/" + smsInteraction + "/messages",
                    ApiClient.JSON.createObjectNode().put("text", text).toString());
            await("the SMS reply reached Twilio", Duration.ofSeconds(60),
                    () -> twilio.sent().stream().anyMatch(s -> s.body().equals(text) && s.to().equals(number)));
            first.expect(200, "POST", "/interactions/" + smsInteraction + "/end", "{}");
        }
    }
}
