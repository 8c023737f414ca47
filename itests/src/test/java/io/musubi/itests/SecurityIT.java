package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * The API's security against the running distribution: missing, forged and expired credentials, {@code alg=none},
 * a token of one tenant reading another tenant's objects, role escalation, mass assignment of the tenant, oversized
 * bodies and the rate limit. Every refusal is problem+json.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class SecurityIT extends MusubiTestSupport {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Test
    public void missingForgedExpiredAndUnsignedCredentialsAre401() throws Exception {
        adminClient();
        ApiClient anonymous = new ApiClient(HTTP_PORT, null);
        HttpResponse<String> none = anonymous.call("GET", "/agents", null);
        assertProblem(none, 401);
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

        assertProblem(anonymous.as("msk_forged_0123456789abcdef0123456789abcdef").call("GET", "/agents", null), 401);

        long now = Instant.now().getEpochSecond();
        String valid = jwt("HS256", claims("beta", "admin", now + 300, now - 10, JWT_AUDIENCE), JWT_SECRET);
        assertEquals(200, anonymous.as(valid).call("GET", "/agents", null).statusCode());

        assertProblem(anonymous.as(jwt("HS256", claims("beta", "admin", now - 600, now - 900, JWT_AUDIENCE),
                JWT_SECRET)).call("GET", "/agents", null), 401);
        assertProblem(anonymous.as(jwt("HS256", claims("beta", "admin", now + 300, now - 10, "someone-else"),
                JWT_SECRET)).call("GET", "/agents", null), 401);
        assertProblem(anonymous.as(jwt("HS256", claims("beta", "admin", now + 300, now - 10, JWT_AUDIENCE),
                "a-forged-secret-that-is-long-enough-0123456789")).call("GET", "/agents", null), 401);
        String unsigned = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + B64.encodeToString(claims("beta", "admin", now + 300, now - 10, JWT_AUDIENCE)
                .getBytes(StandardCharsets.UTF_8)) + ".";
        assertProblem(anonymous.as(unsigned).call("GET", "/agents", null), 401);
    }

    @Test
    public void anotherTenantsObjectsAreNotFound() throws Exception {
        ApiClient admin = adminClient();
        ApiClient vendor = admin.as(newKey(admin, "integration", null));
        String id = vendor.expect(201, "POST", "/interactions", "{\"from\":\"webchat:sec-visitor-1\",\"text\":\"hi\"}")
                .path("id").asText();
        String customer = vendor.expect(200, "GET", "/customers?address=webchat:sec-visitor-1", null).path("items")
                .get(0).path("id").asText();

        long now = Instant.now().getEpochSecond();
        ApiClient beta = admin.as(jwt("HS256", claims("beta", "admin", now + 300, now - 10, JWT_AUDIENCE),
                JWT_SECRET));
        assertProblem(beta.call("GET", "/interactions/" + id, null), 404);
        assertProblem(beta.call("POST", "/interactions/" + id + "/notes", "{\"text\":\"x\"}"), 404);
        assertProblem(beta.call("GET", "/customers/" + customer + "/journey", null), 404);
        assertProblem(beta.call("GET", "/queues/default", null), 404);
        assertEquals("{\"items\":[]}", beta.call("GET", "/customers?address=webchat:sec-visitor-1", null).body());
    }

    @Test
    public void rolesCannotBeEscalatedNorTheTenantAssigned() throws Exception {
        ApiClient admin = adminClient();
        admin.expect(201, "PUT", "/agents/sec-bob", "{\"name\":\"Bob\"}");
        admin.expect(201, "PUT", "/agents/sec-carol", "{\"name\":\"Carol\"}");
        ApiClient bob = admin.as(newKey(admin, "agent", "sec-bob"));
        ApiClient vendor = admin.as(newKey(admin, "integration", null));

        assertProblem(bob.call("PUT", "/agents/sec-bob", "{\"name\":\"Bob the admin\"}"), 403);
        assertProblem(bob.call("POST", "/api-keys", "{\"name\":\"x\",\"roles\":[\"admin\"]}"), 403);
        assertProblem(bob.call("PUT", "/agents/sec-carol/presence", "{\"state\":\"OFFLINE\"}"), 404);
        assertEquals(200, bob.call("PUT", "/agents/sec-bob/presence", "{\"state\":\"AVAILABLE\"}").statusCode());
        assertProblem(vendor.call("DELETE", "/agents/sec-carol", null), 403);

        assertProblem(admin.call("POST", "/api-keys", "{\"name\":\"x\",\"roles\":[\"admin\"],\"tenantId\":\"beta\"}"),
                400);
        assertProblem(admin.call("PUT", "/agents/sec-dave", "{\"name\":\"Dave\",\"tenantId\":\"beta\"}"), 400);
        assertProblem(vendor.call("POST", "/interactions",
                "{\"from\":\"webchat:v\",\"attributes\":{\"musubi.source\":\"line.main\"}}"), 400);
    }

    @Test
    public void oversizedBodiesAre413AndTheRateLimitAnswers429() throws Exception {
        ApiClient admin = adminClient();
        ApiClient vendor = admin.as(newKey(admin, "integration", null));
        String huge = "{\"from\":\"webchat:big\",\"text\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        assertProblem(vendor.call("POST", "/interactions", huge), 413);

        HttpResponse<String> limited = null;
        for (int i = 0; i < 500 && limited == null; i++) {
            HttpResponse<String> r = vendor.call("GET", "/queues", null);
            if (r.statusCode() == 429) {
                limited = r;
            }
        }
        assertTrue("429 within 500 requests", limited != null);
        assertProblem(limited, 429);
        assertTrue(Integer.parseInt(limited.headers().firstValue("Retry-After").orElse("0")) >= 1);
    }

    private static void assertProblem(HttpResponse<String> r, int status) {
        assertEquals(r.body(), status, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(r.body(), r.body().contains("\"status\":" + status));
    }

    private static String claims(String tenant, String role, long exp, long nbf, String audience) {
        return "{\"iss\":\"" + JWT_ISSUER + "\",\"aud\":\"" + audience + "\",\"sub\":\"sec-user\",\"tenant\":\""
                + tenant + "\",\"roles\":[\"" + role + "\"],\"exp\":" + exp + ",\"nbf\":" + nbf + ",\"iat\":" + nbf
                + "}";
    }

    private static String jwt(String alg, String claims, String secret) throws Exception {
        String signingInput = B64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}")
                .getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
    }
}
