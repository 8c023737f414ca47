package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * Errors at the level of paths and methods, as the running distribution answers them: a path nothing serves, a route
 * the API does not have, a method a route does not take, a malformed id or parameter, an over-long field. Every one
 * is an RFC 9457 problem, never Jetty's HTML page (issue #9 items 8 and 14).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class ProblemErrorsIT extends MusubiTestSupport {

    @Test
    public void aPathOutsideTheApiIsAProblemNotJettysHtml() throws Exception {
        adminClient();
        HttpResponse<String> r = get("/no-such-page");
        assertProblem(r, 404);
        assertFalse(r.body(), r.body().toLowerCase(Locale.ROOT).contains("<html"));

        assertProblem(get("/api/v2/agents"), 404);
    }

    @Test
    public void unknownRoutesAndMethodsOfTheApiAreProblems() throws Exception {
        ApiClient admin = adminClient();
        assertProblem(admin.call("GET", "/no-such-resource", null), 404);
        HttpResponse<String> notAllowed = admin.call("DELETE", "/version", null);
        assertProblem(notAllowed, 405);
        assertTrue(notAllowed.headers().firstValue("Allow").orElse("").contains("GET"));
    }

    @Test
    public void malformedIdsParametersAndOverLongFieldsAre400NamingTheField() throws Exception {
        ApiClient admin = adminClient();
        HttpResponse<String> longId = admin.call("GET", "/agents/" + "a".repeat(65), null);
        assertProblem(longId, 400);
        assertTrue(longId.body(), detail(longId).startsWith("id: 1 to 64"));
        HttpResponse<String> limit = admin.call("GET", "/agents?limit=lots", null);
        assertProblem(limit, 400);
        assertTrue(limit.body(), detail(limit).startsWith("limit:"));

        HttpResponse<String> name = admin.call("PUT", "/agents/err-eve", "{\"name\":\"" + "n".repeat(200_000)
                + "\"}");
        assertProblem(name, 400);
        assertEquals("name: at most 128 characters, got 200000", detail(name));
        HttpResponse<String> spoof = admin.call("PUT", "/agents/err-eve", "{\"name\":\"Eve\\u202Etoor\"}");
        assertProblem(spoof, 400);
        assertProblem(admin.call("GET", "/agents/err-eve", null), 404);

        ApiClient vendor = admin.as(newKey(admin, "integration", null));
        HttpResponse<String> from = vendor.call("POST", "/interactions", "{\"from\":\"webchat:"
                + "v".repeat(100_000) + "\"}");
        assertProblem(from, 400);
        assertTrue(from.body(), detail(from).startsWith("from: at most 512 characters"));
    }

    /**
     * A URI Jetty cannot decode never reaches a servlet, so no error page of ours can answer it: Jetty does (docs/rest.md,
     * "Errors outside the API"), with a bare 400 that carries no stack trace and does not repeat the request.
     */
    @Test
    public void aRequestJettyCannotDecodeIsA400WithoutAStackTrace() throws Exception {
        adminClient();
        String raw = rawGet("/api/v1/agents/secret-%zz", "application/json");
        assertTrue(raw, raw.startsWith("HTTP/1.1 400 "));
        assertFalse(raw, raw.contains("Exception"));
        assertFalse(raw, raw.contains("at org."));
        assertFalse(raw, raw.contains("secret-"));
    }

    private static String detail(HttpResponse<String> r) throws Exception {
        JsonNode problem = ApiClient.JSON.readTree(r.body());
        return problem.path("detail").asText();
    }

    private static void assertProblem(HttpResponse<String> r, int status) {
        assertEquals(r.body(), status, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("") + " " + r.body(),
                r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(r.body(), r.body().contains("\"status\":" + status));
    }

    /** A GET sent as raw bytes: the JDK client refuses to send a URI that is not valid. */
    private static String rawGet(String target, String accept) throws Exception {
        try (Socket s = new Socket("127.0.0.1", Integer.parseInt(HTTP_PORT))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + accept
                    + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}
