package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * Tenant isolation in routing (DESIGN §5.1), against the running distribution and over the API only: tenants
 * {@code default} (the bootstrap admin key) and {@code beta} (an admin token, then API keys it creates) each define a
 * queue requiring the same skill and an agent having it. A tenant's interactions are offered to its own agent only:
 * while only the other tenant's agent is available an interaction waits, and it is offered to its tenant's agent as
 * soon as that one logs in (seen on the agent's event stream and on the interaction).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class TenantRoutingIT extends MusubiTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);
    // the skill no agent of the other test classes has: only this test's two agents qualify for these queues
    private static final String QUEUE = """
            {"name":"Tenant routing","channels":["CUSTOM"],"requiredSkills":{"tenant-routing":1}}""";
    private static final String AGENT = """
            {"name":"%s","skills":{"tenant-routing":5},"capacities":{"CUSTOM":2}}""";

    @Test
    public void eachTenantsInteractionsAreOfferedOnlyToItsOwnAgents() throws Exception {
        ApiClient defaultAdmin = adminClient();
        long now = Instant.now().getEpochSecond();
        ApiClient betaAdmin = defaultAdmin.as(adminToken("beta", now));

        defaultAdmin.expect(201, "PUT", "/queues/tr-line", QUEUE);
        defaultAdmin.expect(201, "PUT", "/agents/tr-dora", AGENT.formatted("Dora"));
        betaAdmin.expect(201, "PUT", "/queues/tr-line", QUEUE);
        betaAdmin.expect(201, "PUT", "/agents/tr-bert", AGENT.formatted("Bert"));
        ApiClient dora = defaultAdmin.as(newKey(defaultAdmin, "agent", "tr-dora"));
        ApiClient defaultVendor = defaultAdmin.as(newKey(defaultAdmin, "integration", null));
        ApiClient bert = betaAdmin.as(newKey(betaAdmin, "agent", "tr-bert"));
        ApiClient betaVendor = betaAdmin.as(newKey(betaAdmin, "integration", null));

        endWhatWaitsInTheDefaultQueue(defaultAdmin);
        try (ApiClient.Events bertStream = bert.events("?agentId=tr-bert", null);
             ApiClient.Events doraStream = dora.events("?agentId=tr-dora", null)) {
            // only beta's agent is available: default's interaction waits for default's agents
            bert.expect(200, "PUT", "/agents/tr-bert/presence", "{\"state\":\"AVAILABLE\"}");
            JsonNode d1 = defaultVendor.expect(201, "POST", "/interactions",
                    "{\"from\":\"webchat:tr-visitor-d1\",\"queueId\":\"tr-line\",\"text\":\"hello\"}");
            String d1Id = d1.path("id").asText();
            assertWaiting(d1);
            assertWaiting(defaultVendor.expect(200, "GET", "/interactions/" + d1Id, null));
            JsonNode bertNow = bert.expect(200, "GET", "/agents/tr-bert", null);
            assertTrue(bertNow.toString(), bertNow.path("offered").isEmpty());
            assertEquals(404, bert.call("POST", "/interactions/" + d1Id + "/accept", "{}").statusCode());

            // beta's interaction goes to beta's agent
            JsonNode b1 = betaVendor.expect(201, "POST", "/interactions",
                    "{\"from\":\"webchat:tr-visitor-b1\",\"queueId\":\"tr-line\",\"text\":\"konnichiwa\"}");
            String b1Id = b1.path("id").asText();
            assertOfferedTo("tr-bert", b1);
            ApiClient.Events.Event offerB1 = bertStream.await("offer of " + b1Id, WAIT,
                    e -> e.type().equals("offered") && b1Id.equals(e.data().path("interactionId").asText()));
            assertEquals("tr-bert", offerB1.data().path("agentId").asText());

            // default's agent logs in: the waiting interaction is offered to it, and to nobody else
            dora.expect(200, "PUT", "/agents/tr-dora/presence", "{\"state\":\"AVAILABLE\"}");
            ApiClient.Events.Event offerD1 = doraStream.await("offer of " + d1Id, WAIT,
                    e -> e.type().equals("offered") && d1Id.equals(e.data().path("interactionId").asText()));
            assertEquals("tr-dora", offerD1.data().path("agentId").asText());
            assertOfferedTo("tr-dora", defaultVendor.expect(200, "GET", "/interactions/" + d1Id, null));

            // a second interaction of each tenant, both agents free: each goes to its own tenant's agent
            String d2Id = defaultVendor.expect(201, "POST", "/interactions",
                    "{\"from\":\"webchat:tr-visitor-d2\",\"queueId\":\"tr-line\",\"text\":\"again\"}")
                    .path("id").asText();
            String b2Id = betaVendor.expect(201, "POST", "/interactions",
                    "{\"from\":\"webchat:tr-visitor-b2\",\"queueId\":\"tr-line\",\"text\":\"mata\"}")
                    .path("id").asText();
            assertOfferedTo("tr-dora", defaultVendor.expect(200, "GET", "/interactions/" + d2Id, null));
            assertOfferedTo("tr-bert", betaVendor.expect(200, "GET", "/interactions/" + b2Id, null));

            // each agent accepts its own offers, which it can see
            assertEquals("CONNECTED", dora.expect(200, "POST", "/interactions/" + d1Id + "/accept", "{}")
                    .path("state").asText());
            assertEquals("CONNECTED", bert.expect(200, "POST", "/interactions/" + b1Id + "/accept", "{}")
                    .path("state").asText());
            assertEquals(404, dora.call("GET", "/interactions/" + b1Id, null).statusCode());
            assertEquals(404, bert.call("GET", "/interactions/" + d1Id, null).statusCode());
        }
    }

    private static void assertWaiting(JsonNode interaction) {
        assertEquals(interaction.toString(), "QUEUED", interaction.path("state").asText());
        assertTrue(interaction.toString(), interaction.path("agentId").isMissingNode()
                || interaction.path("agentId").isNull() || interaction.path("agentId").asText().isEmpty());
    }

    private static void assertOfferedTo(String agent, JsonNode interaction) {
        assertEquals(interaction.toString(), "OFFERED", interaction.path("state").asText());
        assertEquals(interaction.toString(), agent, interaction.path("agentId").asText());
    }

    /** An admin JWT of a tenant, signed with the hub's itest secret: how a second tenant gets its first admin. */
    private static String adminToken(String tenant, long now) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String claims = "{\"iss\":\"" + JWT_ISSUER + "\",\"aud\":\"" + JWT_AUDIENCE + "\",\"sub\":\"tr-admin\","
                + "\"tenant\":\"" + tenant + "\",\"roles\":[\"admin\"],\"exp\":" + (now + 600) + ",\"nbf\":"
                + (now - 10) + "}";
        String signingInput = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
    }
}
