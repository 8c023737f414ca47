package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * The pages and the web chat in the assembled distribution: the desktop, supervisor and widget pages are served with
 * their security headers; a visitor gets a token (its key generated owner-only), chats, the line becomes a queued
 * WEBCHAT interaction, an agent's reply from the REST API comes back on the visitor's stream through the connector's
 * egress queue; a published entry point's menu is readable without credentials. The browser itself is tested by
 * BrowserIT.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class WebIT extends MusubiTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String BASE = "http://127.0.0.1:" + HTTP_PORT;

    private static HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void thePagesAreServedWithTheirSecurityHeaders() throws Exception {
        await("the desktop page", Duration.ofSeconds(90), () -> statusOf("/desktop/") == 200);
        HttpResponse<String> desktop = get("/desktop/");
        assertTrue(desktop.body(), desktop.body().contains("desktop.js"));
        String csp = desktop.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp, csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'")
                && !csp.contains("unsafe-inline"));
        assertEquals("nosniff", desktop.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals(302, get("/supervisor").statusCode());
        assertEquals(200, get("/supervisor/").statusCode());
        assertTrue(get("/widget/").headers().firstValue("Content-Security-Policy").orElse("")
                .endsWith("frame-ancestors 'self'"));
        HttpResponse<String> loader = get("/widget/embed.js");
        assertEquals("cross-origin", loader.headers().firstValue("Cross-Origin-Resource-Policy").orElse(""));
        assertTrue(loader.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertEquals(200, get("/shared/sse.js").statusCode());
        assertEquals(404, get("/desktop/no-such-file.js").statusCode());
        assertEquals(405, send("POST", "/desktop/index.html", null, "{}").statusCode());
    }

    @Test
    public void aVisitorChatsWithAnAgentThroughTheWebChatConnector() throws Exception {
        ApiClient admin = adminClient();
        admin.expect(201, "PUT", "/agents/web-alice", "{\"name\":\"Alice\"}");
        await("the web chat endpoint", Duration.ofSeconds(90),
                () -> statusOf("/webchat/web/stream") == 401);
        Path key = Path.of(System.getProperty("karaf.etc"), "musubi", "webchat-web.key");
        assertTrue("token key generated", Files.isRegularFile(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));

        JsonNode session = ApiClient.JSON.readTree(send("POST", "/webchat/web/session", null, "{}").body());
        String token = session.path("token").asText();
        String visitor = session.path("visitorId").asText();
        assertTrue(session.toString(), visitor.startsWith("v-"));
        assertEquals(401, send("POST", "/webchat/web/messages", token + "x",
                "{\"text\":\"hi\",\"clientId\":\"line-0001\"}").statusCode());

        try (ApiClient.Events stream = admin.stream(URI.create(BASE + "/webchat/web/stream"), token, null)) {
            HttpResponse<String> posted = send("POST", "/webchat/web/messages", token,
                    "{\"text\":\"在庫はありますか？\",\"clientId\":\"line-0001\"}");
            assertEquals(posted.body(), 202, posted.statusCode());
            stream.await("the visitor's own line", Duration.ofSeconds(20),
                    e -> e.type().equals("message") && e.data().path("direction").asText().equals("in"));

            String[] id = new String[1];
            await("the chat queued as an interaction", Duration.ofSeconds(30), () -> {
                try {
                    JsonNode found = admin.expect(200, "GET", "/customers?address=webchat:" + visitor, null).path("items");
                    if (found.size() == 0) {
                        return false;
                    }
                    JsonNode journey = admin.expect(200, "GET", "/customers/" + found.get(0).path("id").asText()
                            + "/journey?type=QUEUED", null);
                    if (journey.path("items").size() == 0) {
                        return false;
                    }
                    id[0] = journey.path("items").get(0).path("interactionId").asText();
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            JsonNode interaction = admin.expect(200, "GET", "/interactions/" + id[0], null);
            assertEquals("WEBCHAT", interaction.path("channel").asText());
            assertEquals("the instance's queue (none configured: the tenant's default)", "default",
                    interaction.path("queueId").asText());

            admin.expect(200, "PUT", "/agents/web-alice/presence", "{\"state\":\"AVAILABLE\"}");
            admin.expect(200, "POST", "/interactions/" + id[0] + "/transfer", "{\"agentId\":\"web-alice\"}");
            await("offered to web-alice", Duration.ofSeconds(20), () -> {
                try {
                    return admin.expect(200, "GET", "/agents/web-alice", null).path("offered").toString()
                            .contains(id[0]);
                } catch (Exception e) {
                    return false;
                }
            });
            admin.expect(200, "POST", "/interactions/" + id[0] + "/accept", "{\"agentId\":\"web-alice\"}");
            admin.expect(201, "POST", "/interactions/" + id[0] + "/messages", "{\"text\":\"はい、ございます。\"}");
            ApiClient.Events.Event reply = stream.await("the agent's reply", Duration.ofSeconds(30),
                    e -> e.type().equals("message") && e.data().path("direction").asText().equals("out"));
            assertEquals("はい、ございます。", reply.data().path("text").asText());
            admin.expect(200, "POST", "/interactions/" + id[0] + "/end", "{}");
        }
    }

    @Test
    public void aPublishedEntryPointIsReadableWithoutCredentials() throws Exception {
        ApiClient admin = adminClient();
        admin.expect(201, "PUT", "/queues/web-menu", "{\"name\":\"Menu\"}");
        admin.expect(201, "PUT", "/channel-menu/entry-points/web-site", "{\"name\":\"Site\",\"published\":true,"
                + "\"options\":[{\"channel\":\"LINE\",\"queueId\":\"web-menu\",\"label\":\"LINE\","
                + "\"reach\":{\"kind\":\"LINE\",\"value\":\"https://lin.ee/abc\"}}]}");
        HttpResponse<String> menu = send("GET", "/api/v1/public/channel-menu/default/web-site", null, null);
        assertEquals(menu.body(), 200, menu.statusCode());
        assertTrue(menu.body(), menu.body().contains("\"open\":true"));
        HttpResponse<String> qr = send("GET", "/api/v1/public/channel-menu/default/web-site/options/0/qr.svg", null, null);
        assertEquals(200, qr.statusCode());
        assertTrue(qr.body().startsWith("<svg"));
        assertEquals(404, send("GET", "/api/v1/public/channel-menu/default/no-such", null, null).statusCode());
    }
}
