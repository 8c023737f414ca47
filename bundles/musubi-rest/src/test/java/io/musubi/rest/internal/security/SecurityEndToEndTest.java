package io.musubi.rest.internal.security;

import io.musubi.rest.RestApi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.musubi.store.ApiKey;
import io.musubi.store.IssuedApiKey;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.rest.internal.resources.ApiKeysResource;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.testkit.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The security filter in a real Jersey server (JDK HTTP server) with the musubi application's providers, the API key
 * resource on an H2 history store, and test resources of every access kind: 401, 403, 200, 429 and 413 as a client
 * sees them, problem+json bodies included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityEndToEndTest {

    private static final int BURST = 5;
    private static final long MAX_BODY = 1024;
    private static final Duration CACHE = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock(Instant.parse("2025-06-01T10:00:00Z"));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private JdbcStore history;
    private HttpServer server;
    private URI base;
    private String address;

    @BeforeAll
    void start() {
        history = JdbcStore.open(JdbcSettings.embedded(Path.of("target", "h2", "rest-security-" + UUID.randomUUID()))
                .withMaxPoolSize(4));
        JwtVerifier jwt = JwtVerifier.hmac(TestTokens.ISSUER, TestTokens.AUDIENCE, TestTokens.HMAC_SECRET,
                Duration.ofSeconds(60), clock);
        RequestGuard guard = new RequestGuard(new ApiKeyAuthenticator(history.apiKeys(), clock, CACHE), jwt,
                new RateLimiter(1, BURST, clock), MAX_BODY);

        MusubiApplication application = new MusubiApplication();
        ResourceConfig config = new ResourceConfig()
                .registerClasses(application.getClasses())
                .registerInstances(application.getSingletons())
                .addProperties(application.getProperties())
                .register(new GuardFilter(guard))
                .register(new ApiKeysResource(history.apiKeys()))
                .register(ProbeResource.class)
                .register(ClosedResource.class);
        server = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/" + RestApi.BASE + "/"),
                config, true);
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + RestApi.BASE + "/");
    }

    @BeforeEach
    void newClientAddress() {
        address = remote()[1];
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (history != null) {
            history.close();
        }
    }

    // ------------------------------------------------------------------ authentication

    @Test
    void protectedMethodWithoutCredentialsIs401WithABearerChallenge() throws Exception {
        HttpResponse<String> r = call("GET", "probe/admin", null, remote());

        assertProblem(r, 401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"musubi\"");
    }

    @Test
    void publicMethodNeedsNoCredentialsButSeesValidOnes() throws Exception {
        IssuedApiKey key = key("integration");

        HttpResponse<String> anonymous = call("GET", "probe/public", null, remote());
        HttpResponse<String> withKey = call("GET", "probe/public", null, "X-API-Key", key.key());

        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(json(anonymous).get("authenticated").asBoolean()).isFalse();
        assertThat(withKey.statusCode()).isEqualTo(200);
        assertThat(json(withKey).get("authenticated").asBoolean()).isTrue();
    }

    @Test
    void apiKeyWorksAsBearerOrXApiKeyAndSetsTheCaller() throws Exception {
        IssuedApiKey key = key("admin");

        HttpResponse<String> bearer = call("GET", "probe/admin", null, "Authorization", "Bearer " + key.key());
        HttpResponse<String> header = call("GET", "probe/admin", null, "X-API-Key", key.key());

        assertThat(bearer.statusCode()).isEqualTo(200);
        JsonNode caller = json(bearer);
        assertThat(caller.get("tenant").asText()).isEqualTo("acme");
        assertThat(caller.get("subject").asText()).isEqualTo(key.apiKey().id());
        assertThat(caller.get("roles").toString()).isEqualTo("[\"admin\"]");
        assertThat(caller.get("scheme").asText()).isEqualTo("Bearer");
        assertThat(caller.get("inRoleAdmin").asBoolean()).isTrue();
        assertThat(header.statusCode()).isEqualTo(200);
        assertThat(json(header).get("scheme").asText()).isEqualTo("X-API-Key");
    }

    @Test
    void wrongUnknownMalformedAndDoubledCredentialsAre401EvenOnPublicMethods() throws Exception {
        IssuedApiKey key = key("admin");
        String wrongSecret = key.key().substring(0, key.key().length() - 1) + (key.key().endsWith("A") ? "B" : "A");
        String unknown = ApiKey.format("0000000000000000", "A".repeat(43));

        HttpResponse<String> wrong = call("GET", "probe/admin", null, "X-API-Key", wrongSecret);
        HttpResponse<String> notThere = call("GET", "probe/admin", null, "X-API-Key", unknown);
        HttpResponse<String> malformed = call("GET", "probe/public", null, "X-API-Key", "msk_nonsense");
        HttpResponse<String> basic = call("GET", "probe/public", null, "Authorization", "Basic YWRtaW46YWRtaW4=");
        HttpResponse<String> both = call("GET", "probe/admin", null, "X-API-Key", key.key(), "Authorization",
                "Bearer " + key.key());

        for (HttpResponse<String> r : List.of(wrong, notThere, malformed, basic, both)) {
            assertProblem(r, 401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).contains(RequestGuard.CHALLENGE
                    + ", error=\"invalid_token\"");
        }
        assertThat(json(wrong).get("detail").asText()).isEqualTo(json(notThere).get("detail").asText());
    }

    @Test
    void jwtBearerTokensAuthenticateWhenValidOnly() throws Exception {
        String admin = TestTokens.hs256(TestTokens.claims(clock.instant()).build());
        String expired = TestTokens.hs256(TestTokens.claims(clock.instant())
                .expirationTime(java.util.Date.from(clock.instant().minusSeconds(3600))).build());
        String agent = TestTokens.hs256(TestTokens.claims(clock.instant()).subject("agent-7")
                .claim("roles", List.of("agent")).claim("agent_id", "alice").build());

        HttpResponse<String> ok = call("GET", "probe/admin", null, "Authorization", "Bearer " + admin);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("subject").asText()).isEqualTo("user-42");
        assertThat(json(ok).get("scheme").asText()).isEqualTo("Bearer");

        HttpResponse<String> old = call("GET", "probe/admin", null, "Authorization", "Bearer " + expired);
        assertProblem(old, 401);
        assertThat(json(old).get("detail").asText()).isEqualTo("bearer token expired");

        assertProblem(call("GET", "probe/admin", null, "Authorization", "Bearer " + agent), 403);
        HttpResponse<String> asAgent = call("GET", "probe/agents", null, "Authorization", "Bearer " + agent);
        assertThat(asAgent.statusCode()).isEqualTo(200);
        assertThat(json(asAgent).get("agentId").asText()).isEqualTo("alice");
    }

    // ------------------------------------------------------------------ authorisation

    @Test
    void roleNotAllowedIs403() throws Exception {
        IssuedApiKey agent = history.apiKeys().create("acme", "agent", Set.of("agent"), "alice");

        HttpResponse<String> r = call("GET", "probe/admin", null, "X-API-Key", agent.key());

        assertProblem(r, 403);
        assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
        HttpResponse<String> allowed = call("GET", "probe/agents", null, "X-API-Key", agent.key());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(json(allowed).get("agentId").asText()).isEqualTo("alice");
    }

    @Test
    void classLevelRolesApplyAndMethodLevelDeclarationsWin() throws Exception {
        IssuedApiKey supervisor = key("supervisor");
        IssuedApiKey admin = key("admin");

        assertThat(call("GET", "probe/supervisor", null, "X-API-Key", supervisor.key()).statusCode()).isEqualTo(200);
        assertProblem(call("GET", "probe/supervisor", null, "X-API-Key", admin.key()), 403);
        assertProblem(call("GET", "probe/admin", null, "X-API-Key", supervisor.key()), 403);
        assertThat(call("GET", "probe/public-override", null, remote()).statusCode()).isEqualTo(200);
    }

    @Test
    void methodWithoutAccessDeclarationIsRefusedToEveryone() throws Exception {
        IssuedApiKey admin = key("admin", "supervisor", "integration");

        HttpResponse<String> anonymous = call("GET", "closed", null, remote());
        HttpResponse<String> withAllRoles = call("GET", "closed", null, "X-API-Key", admin.key());

        assertProblem(anonymous, 403);
        assertProblem(withAllRoles, 403);
        assertThat(withAllRoles.body()).doesNotContain("leaked");
    }

    // ------------------------------------------------------------------ rate limit

    @Test
    void aCallerGetsItsBurstThen429WithRetryAfterUntilTheBucketRefills() throws Exception {
        IssuedApiKey key = key("admin");
        IssuedApiKey other = key("admin");
        for (int i = 0; i < BURST; i++) {
            assertThat(call("GET", "probe/admin", null, "X-API-Key", key.key()).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> limited = call("GET", "probe/admin", null, "X-API-Key", key.key());
        assertProblem(limited, 429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");
        assertThat(call("GET", "probe/admin", null, "X-API-Key", other.key()).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(1));
        assertThat(call("GET", "probe/admin", null, "X-API-Key", key.key()).statusCode()).isEqualTo(200);
        assertThat(call("GET", "probe/admin", null, "X-API-Key", key.key()).statusCode()).isEqualTo(429);
    }

    @Test
    void requestsWithoutValidCredentialsAreLimitedPerClientAddress() throws Exception {
        String[] attacker = remote();
        for (int i = 0; i < BURST; i++) {
            assertThat(call("GET", "probe/public", null, attacker).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> publicLimited = call("GET", "probe/public", null, attacker);
        HttpResponse<String> guessLimited = call("GET", "probe/admin", null, attacker[0], attacker[1], "X-API-Key",
                ApiKey.format("0000000000000001", "B".repeat(43)));

        assertProblem(publicLimited, 429);
        assertThat(publicLimited.headers().firstValue("Retry-After")).contains("1");
        assertProblem(guessLimited, 429);
        assertThat(call("GET", "probe/public", null, remote()).statusCode()).isEqualTo(200);
    }

    @Test
    void aFloodOf429sLogsOneLinePerCallerAndIntervalWithTheCountHeldBack() throws Exception {
        IssuedApiKey key = key("admin");
        for (int i = 0; i < BURST; i++) {
            assertThat(call("GET", "probe/admin", null, "X-API-Key", key.key()).statusCode()).isEqualTo(200);
        }
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 30; i++) {
                assertThat(call("GET", "probe/admin", null, "X-API-Key", key.key()).statusCode()).isEqualTo(429);
            }
            clock.advance(Duration.ofSeconds(60));
            for (int i = 0; i < BURST; i++) {
                call("GET", "probe/admin", null, "X-API-Key", key.key());
            }
            assertThat(call("GET", "probe/admin", null, "X-API-Key", key.key()).statusCode()).isEqualTo(429);
        } finally {
            System.setErr(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("429 for") && l.contains(key.apiKey().id())).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).doesNotContain("more 429s");
        assertThat(lines.get(1)).contains("(29 more 429s of this caller not logged in the last 60 s)");
    }

    // ------------------------------------------------------------------ body size

    @Test
    void bodyWithContentLengthOverTheLimitIs413() throws Exception {
        IssuedApiKey key = key("admin");

        HttpResponse<String> r = call("POST", "probe/upload", HttpRequest.BodyPublishers.ofByteArray(
                new byte[(int) MAX_BODY + 1]), "X-API-Key", key.key(), "Content-Type", "application/octet-stream");

        assertProblem(r, 413);
        assertThat(json(r).get("detail").asText()).contains("1024");
    }

    @Test
    void chunkedBodyOverTheLimitIs413AndUnderTheLimitPasses() throws Exception {
        IssuedApiKey key = key("admin");

        HttpResponse<String> over = call("POST", "probe/upload", chunked(new byte[(int) MAX_BODY * 3]),
                "X-API-Key", key.key(), "Content-Type", "application/octet-stream");
        HttpResponse<String> under = call("POST", "probe/upload", chunked(new byte[(int) MAX_BODY]),
                "X-API-Key", key.key(), "Content-Type", "application/octet-stream");

        assertProblem(over, 413);
        assertThat(under.statusCode()).isEqualTo(200);
        assertThat(json(under).get("bytes").asInt()).isEqualTo(MAX_BODY);
    }

    @Test
    void chunkedJsonBodyOverTheLimitIs413NotA400() throws Exception {
        IssuedApiKey key = key("admin");
        String big = "{\"a\":\"" + "x".repeat((int) MAX_BODY * 2) + "\"}";

        HttpResponse<String> r = call("POST", "probe/json", chunked(big.getBytes(StandardCharsets.UTF_8)),
                "X-API-Key", key.key(), "Content-Type", "application/json");

        assertProblem(r, 413);
    }

    // ------------------------------------------------------------------ /api-keys

    @Test
    void adminCreatesAKeyThatWorksAtOnceAndIsShownOnlyOnce() throws Exception {
        IssuedApiKey admin = key("admin");

        HttpResponse<String> created = call("POST", "api-keys",
                json("{\"name\":\"CRM\",\"roles\":[\"integration\"]}"), "X-API-Key", admin.key(),
                "Content-Type", "application/json");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json(created);
        String id = body.get("id").asText();
        String newKey = body.get("key").asText();
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .endsWith("/api/v1/api-keys/" + id));
        assertThat(newKey).startsWith("msk_" + id + "_");
        assertThat(body.get("roles").toString()).isEqualTo("[\"integration\"]");
        assertThat(history.apiKeys().find(id).orElseThrow().tenantId()).isEqualTo("acme");

        HttpResponse<String> withNewKey = call("GET", "probe/public", null, "X-API-Key", newKey);
        assertThat(json(withNewKey).get("authenticated").asBoolean()).isTrue();

        HttpResponse<String> listed = call("GET", "api-keys", null, "X-API-Key", admin.key());
        assertThat(listed.statusCode()).isEqualTo(200);
        String secret = newKey.substring(ApiKey.PREFIX.length() + 17);
        assertThat(listed.body()).contains(id).doesNotContain(secret)
                .doesNotContain(history.apiKeys().find(id).orElseThrow().secretHash())
                .doesNotContain("secretHash").doesNotContain("\"key\"");
        HttpResponse<String> one = call("GET", "api-keys/" + id, null, "X-API-Key", admin.key());
        assertThat(json(one).get("name").asText()).isEqualTo("CRM");
        assertThat(one.body()).doesNotContain(secret);
    }

    @Test
    void smuggledTenantAndOtherBadBodiesAre400ProblemsAndCreateNothing() throws Exception {
        int before = history.apiKeys().list("acme").size();
        String target = "evil-" + UUID.randomUUID().toString().substring(0, 8);

        HttpResponse<String> smuggled = createKey("{\"name\":\"x\",\"roles\":[\"admin\"],\"tenantId\":\"" + target
                + "\"}");
        HttpResponse<String> broken = createKey("{\"name\": \"x\", \"roles\": [\"adm");
        HttpResponse<String> wrongType = createKey("{\"name\":\"x\",\"roles\":\"admin\"}");
        HttpResponse<String> unknownRole = createKey("{\"name\":\"x\",\"roles\":[\"root\"]}");
        HttpResponse<String> agentWithoutId = createKey("{\"name\":\"x\",\"roles\":[\"agent\"]}");
        HttpResponse<String> agentIdWithoutRole = createKey(
                "{\"name\":\"x\",\"roles\":[\"admin\"],\"agentId\":\"alice\"}");
        HttpResponse<String> noName = createKey("{\"roles\":[\"admin\"]}");
        int admins = 7;

        assertProblem(smuggled, 400);
        assertThat(json(smuggled).get("detail").asText()).isEqualTo("unknown property 'tenantId'");
        assertProblem(broken, 400);
        assertThat(json(broken).get("detail").asText()).startsWith("request body is not valid JSON");
        assertProblem(wrongType, 400);
        assertThat(json(wrongType).get("detail").asText()).contains("roles");
        for (HttpResponse<String> r : List.of(unknownRole, agentWithoutId, agentIdWithoutRole, noName)) {
            assertProblem(r, 400);
        }
        assertThat(history.apiKeys().list(target)).isEmpty();
        assertThat(history.apiKeys().list("acme")).hasSize(before + admins);
    }

    @Test
    void keyNamesFollowTheSharedNameRule() throws Exception {
        int before = history.apiKeys().list("acme").size();

        HttpResponse<String> bidi = createKey("{\"name\":\"CRM \\u202Esync\",\"roles\":[\"admin\"]}");
        HttpResponse<String> separator = createKey("{\"name\":\"CRM\\u2028sync\",\"roles\":[\"admin\"]}");
        HttpResponse<String> tooLong = createKey("{\"name\":\"" + "n".repeat(129) + "\",\"roles\":[\"admin\"]}");

        assertProblem(bidi, 400);
        assertThat(json(bidi).get("detail").asText()).startsWith("name: must not contain");
        assertProblem(separator, 400);
        assertProblem(tooLong, 400);
        assertThat(json(tooLong).get("detail").asText()).isEqualTo("name: at most 128 characters, got 129");
        assertThat(history.apiKeys().list("acme")).hasSize(before + 3);
    }

    @Test
    void aMalformedKeyIdInThePathIs400() throws Exception {
        IssuedApiKey admin = key("admin");

        assertProblem(call("GET", "api-keys/" + "f".repeat(65), null, "X-API-Key", admin.key()), 400);
        assertProblem(call("DELETE", "api-keys/NOT-HEX", null, "X-API-Key", admin.key()), 400);
    }

    @Test
    void revocationIsTenantScopedAndTakesEffectWithinTheCacheTime() throws Exception {
        IssuedApiKey admin = key("admin");
        IssuedApiKey victim = key("integration");
        IssuedApiKey foreign = history.apiKeys().create("globex", "theirs", Set.of("admin"), null);
        assertThat(call("GET", "probe/public", null, "X-API-Key", victim.key()).statusCode()).isEqualTo(200);

        assertProblem(call("DELETE", "api-keys/" + foreign.apiKey().id(), null, "X-API-Key", admin.key()), 404);
        assertProblem(call("DELETE", "api-keys/0123456789abcdef", null, "X-API-Key", admin.key()), 404);
        assertThat(history.apiKeys().find(foreign.apiKey().id()).orElseThrow().isActive()).isTrue();
        assertProblem(call("GET", "api-keys/" + foreign.apiKey().id(), null, "X-API-Key", admin.key()), 404);

        HttpResponse<String> revoked = call("DELETE", "api-keys/" + victim.apiKey().id(), null, "X-API-Key",
                admin.key());
        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(history.apiKeys().find(victim.apiKey().id()).orElseThrow().isActive()).isFalse();

        clock.advance(CACHE);
        assertProblem(call("GET", "probe/public", null, "X-API-Key", victim.key()), 401);
    }

    @Test
    void onlyAdminsManageKeys() throws Exception {
        IssuedApiKey integration = key("integration", "supervisor");

        assertProblem(call("GET", "api-keys", null, "X-API-Key", integration.key()), 403);
        assertProblem(call("POST", "api-keys", json("{\"name\":\"x\",\"roles\":[\"admin\"]}"), "X-API-Key",
                integration.key(), "Content-Type", "application/json"), 403);
        assertProblem(call("GET", "api-keys", null, remote()), 401);
    }

    // ------------------------------------------------------------------ logs

    @Test
    void refusalsAreLoggedWithTheKeyIdButNeverTheSecretOrToken() throws Exception {
        IssuedApiKey key = key("admin");
        String wrong = key.key().substring(0, key.key().length() - 1) + (key.key().endsWith("A") ? "B" : "A");
        String token = TestTokens.hs256(TestTokens.claims(clock.instant()).audience("elsewhere").build());
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertProblem(call("GET", "probe/admin", null, "X-API-Key", wrong), 401);
            assertProblem(call("GET", "probe/admin", null, "Authorization", "Bearer " + token), 401);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("wrong secret for API key " + key.apiKey().id())
                .contains("token claims")
                .doesNotContain(wrong.substring(ApiKey.PREFIX.length() + 17))
                .doesNotContain(key.key().substring(ApiKey.PREFIX.length() + 17))
                .doesNotContain(token.split("\\.")[2]);
    }

    // ------------------------------------------------------------------ helpers

    /** {@code POST /api-keys} by a new admin key (each has its own rate bucket). */
    private HttpResponse<String> createKey(String body) throws Exception {
        return call("POST", "api-keys", json(body), "X-API-Key", key("admin").key(), "Content-Type",
                "application/json");
    }

    private IssuedApiKey key(String... roles) {
        return history.apiKeys().create("acme", "test key", Set.of(roles), null);
    }

    /**
     * A fresh client address (each test has one of its own, so its anonymous requests have their own rate bucket);
     * as headers, for requests that act as another client.
     */
    private static String[] remote() {
        return new String[] {GuardFilter.REMOTE, "192.0.2." + UUID.randomUUID()};
    }

    private HttpResponse<String> call(String method, String path, HttpRequest.BodyPublisher body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (headers.length > 0) {
            request.headers(headers);
        }
        if (!List.of(headers).contains(GuardFilter.REMOTE)) {
            request.header(GuardFilter.REMOTE, address);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    /** A body without a Content-Length: the client sends it chunked. */
    private static HttpRequest.BodyPublisher chunked(byte[] bytes) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertProblem(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = json(r);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
    }
}
