package io.musubi.connector.line.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the LINE Platform's Messaging API in tests (JDK HttpServer on loopback): reply, push, get content and
 * the loading indicator, checking every request as LINE documents it and answering as LINE does.
 * <ul>
 *   <li>every request: {@code Authorization: Bearer <token>} (else 401); POSTs: {@code Content-Type:
 *       application/json} and a body of the documented shape;</li>
 *   <li>reply: a token this server issued, usable once (else 400 "Invalid reply token"); no {@code X-Line-Retry-Key}
 *       (LINE refuses it there with 400);</li>
 *   <li>push: {@code X-Line-Retry-Key} a hex UUID; a key already accepted answers 409 with
 *       {@code x-line-accepted-request-id};</li>
 *   <li>failures on demand ({@link #failNext}), content that is still being prepared ({@link #preparing}), and
 *       {@link #stop()} / {@link #restart()} on the same port for an outage.</li>
 * </ul>
 * Anything a request gets wrong is also kept in {@link #violations()}, so a test can assert there was none. Shared
 * with the Pax Exam tests, so it uses only the JDK and Jackson.
 */
public final class FakeLineApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern CHAT = Pattern.compile("[UCR][0-9a-f]{32}");
    private static final Pattern CONTENT = Pattern.compile("/v2/bot/message/([0-9]{1,32})/content");

    /** A message LINE accepted: how it came (reply or push), to whom, its text and its retry key. */
    public record Sent(String api, String to, String replyToken, String text, String retryKey) {
    }

    /** One request as received (the body is kept as text: it is test data). */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                    return h.getValue().get(0);
                }
            }
            return null;
        }
    }

    private record Failure(int status, String retryAfter, String message) {
    }

    private record Content(byte[] bytes, String contentType) {
    }

    private final String accessToken;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Set<String> replyTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, String> acceptedRetryKeys = new ConcurrentHashMap<>();
    private final Map<String, Content> contents = new ConcurrentHashMap<>();
    private final Map<String, Integer> preparing = new ConcurrentHashMap<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    private final AtomicLong ids = new AtomicLong(461230966842064897L);
    private final List<Consumer<Request>> checks = new CopyOnWriteArrayList<>();
    private volatile int port;
    private volatile boolean refuseTokens;
    private HttpServer server;
    private ExecutorService executor;

    private FakeLineApi(String accessToken) {
        this.accessToken = accessToken;
    }

    /** Starts on a free loopback port. */
    public static FakeLineApi start(String accessToken) throws IOException {
        FakeLineApi api = new FakeLineApi(accessToken);
        api.listen(0);
        return api;
    }

    private synchronized void listen(int onPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    /** The base URL for both the API and the data API. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The API goes away: connections are refused until {@link #restart()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** The API is back, on the same port. */
    public synchronized void restart() throws IOException {
        if (server == null) {
            listen(port);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** LINE refuses the channel access token (revoked): every request answers 401 until told otherwise. */
    public void refuseTokens(boolean refuse) {
        refuseTokens = refuse;
    }

    /** A reply token LINE would have put in a webhook event. */
    public String issueReplyToken() {
        String token = java.util.UUID.randomUUID().toString().replace("-", "");
        replyTokens.add(token);
        return token;
    }

    /** A reply token is used up (LINE took a reply with it). */
    public void spendReplyToken(String token) {
        replyTokens.remove(token);
    }

    /** Accepts a given reply token (one put in a fixture). */
    public void acceptReplyToken(String token) {
        replyTokens.add(token);
    }

    /** The next {@code times} requests of any kind answer {@code status} (429, 500, ...). */
    public void failNext(int status, int times, String retryAfter) {
        synchronized (failures) {
            for (int i = 0; i < times; i++) {
                failures.add(new Failure(status, retryAfter, status == 429 ? "Too many requests" : "Internal error"));
            }
        }
    }

    /** The next request answers {@code status} with LINE's error {@code message}. */
    public void failNextWith(int status, String message) {
        synchronized (failures) {
            failures.add(new Failure(status, null, message));
        }
    }

    /** Content of a message, served by the data API. */
    public void putContent(String messageId, byte[] bytes, String contentType) {
        contents.put(messageId, new Content(bytes, contentType));
    }

    /** The content is still being prepared for the next {@code times} requests (202). */
    public void preparing(String messageId, int times) {
        preparing.put(messageId, times);
    }

    /** An extra check of every request (e.g. parsing bodies with LINE's own SDK models); throw to refuse it. */
    public void addCheck(Consumer<Request> check) {
        checks.add(check);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Requests to a path (e.g. {@code /v2/bot/message/push}). */
    public long count(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw;
            try (InputStream in = ex.getRequestBody()) {
                raw = in.readAllBytes();
            }
            String path = ex.getRequestURI().getPath();
            Request request = new Request(ex.getRequestMethod(), path, Map.copyOf(ex.getRequestHeaders()),
                    new String(raw, StandardCharsets.UTF_8));
            requests.add(request);
            String auth = request.header("Authorization");
            if (!("Bearer " + accessToken).equals(auth) || refuseTokens) {
                if (auth == null || !auth.startsWith("Bearer ")) {
                    violation(path + ": Authorization is not 'Bearer <channel access token>'");
                }
                answer(ex, 401, error("Authentication failed. Confirm that the access token in the authorization "
                        + "header is valid."), null);
                return;
            }
            Failure failure;
            synchronized (failures) {
                failure = failures.poll();
            }
            if (failure != null) {
                answer(ex, failure.status(), error(failure.message()), failure.retryAfter());
                return;
            }
            for (Consumer<Request> check : checks) {
                try {
                    check.accept(request);
                } catch (RuntimeException e) {
                    violation(path + ": " + e.getMessage());
                    answer(ex, 400, error("The request body has 1 error(s)"), null);
                    return;
                }
            }
            Matcher content = CONTENT.matcher(path);
            if ("GET".equals(request.method()) && content.matches()) {
                content(ex, content.group(1));
                return;
            }
            if (!"POST".equals(request.method())) {
                answer(ex, 404, error("Not found"), null);
                return;
            }
            String type = request.header("Content-Type");
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                violation(path + ": Content-Type is not application/json");
                answer(ex, 415, error("Unsupported media type"), null);
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(raw);
            } catch (IOException e) {
                violation(path + ": body is not JSON");
                answer(ex, 400, error("The request body could not be parsed as JSON"), null);
                return;
            }
            switch (path) {
                case "/v2/bot/message/reply" -> reply(ex, request, body);
                case "/v2/bot/message/push" -> push(ex, request, body);
                case "/v2/bot/chat/loading/start" -> loading(ex, body);
                default -> answer(ex, 404, error("Not found"), null);
            }
        } catch (RuntimeException e) {
            violation("server error: " + e);
            answer(ex, 500, error("Internal error"), null);
        }
    }

    private void reply(HttpExchange ex, Request request, JsonNode body) throws IOException {
        if (request.header("X-Line-Retry-Key") != null) {
            violation("reply: X-Line-Retry-Key sent to an endpoint that does not take it");
            answer(ex, 400, error("The retry key is not supported by this API"), null);
            return;
        }
        List<String> problems = new ArrayList<>();
        allowedFields(body, Set.of("replyToken", "messages", "notificationDisabled"), problems);
        String token = body.path("replyToken").textValue();
        if (token == null || token.isEmpty()) {
            problems.add("replyToken is missing");
        }
        List<String> texts = texts(body.path("messages"), problems);
        if (!problems.isEmpty()) {
            problems.forEach(p -> violation("reply: " + p));
            answer(ex, 400, error("The request body has " + problems.size() + " error(s)"), null);
            return;
        }
        if (!replyTokens.remove(token)) {
            answer(ex, 400, error("Invalid reply token"), null);
            return;
        }
        for (String text : texts) {
            sent.add(new Sent("reply", null, token, text, null));
        }
        answer(ex, 200, sentMessages(texts.size()), null);
    }

    private void push(HttpExchange ex, Request request, JsonNode body) throws IOException {
        List<String> problems = new ArrayList<>();
        String key = request.header("X-Line-Retry-Key");
        if (key == null) {
            problems.add("X-Line-Retry-Key is missing (a push without it can never be retried safely)");
        } else if (!UUID.matcher(key).matches()) {
            problems.add("X-Line-Retry-Key is not a hex UUID");
        }
        allowedFields(body, Set.of("to", "messages", "notificationDisabled", "customAggregationUnits"), problems);
        String to = body.path("to").textValue();
        if (to == null || !CHAT.matcher(to).matches()) {
            problems.add("to is not a user, group or room id");
        }
        List<String> texts = texts(body.path("messages"), problems);
        if (!problems.isEmpty()) {
            problems.forEach(p -> violation("push: " + p));
            answer(ex, 400, error("The request body has " + problems.size() + " error(s)"), null);
            return;
        }
        String requestId = java.util.UUID.randomUUID().toString();
        String earlier = acceptedRetryKeys.putIfAbsent(key, requestId);
        if (earlier != null) {
            ex.getResponseHeaders().add("x-line-accepted-request-id", earlier);
            answer(ex, 409, error("The retry key is already accepted"), null);
            return;
        }
        for (String text : texts) {
            sent.add(new Sent("push", to, null, text, key));
        }
        answer(ex, 200, sentMessages(texts.size()), null);
    }

    private void loading(HttpExchange ex, JsonNode body) throws IOException {
        String chat = body.path("chatId").textValue();
        int seconds = body.path("loadingSeconds").asInt(20);
        if (chat == null || !CHAT.matcher(chat).matches() || seconds < 5 || seconds > 60 || seconds % 5 != 0) {
            violation("loading: chatId or loadingSeconds out of range");
            answer(ex, 400, error("The request body has 1 error(s)"), null);
            return;
        }
        answer(ex, 202, "{}".getBytes(StandardCharsets.UTF_8), null);
    }

    private void content(HttpExchange ex, String messageId) throws IOException {
        boolean[] notReady = {false};
        preparing.computeIfPresent(messageId, (k, n) -> {
            notReady[0] = true;
            return n <= 1 ? null : n - 1;
        });
        if (notReady[0]) {
            answer(ex, 202, new byte[0], null);
            return;
        }
        Content c = contents.get(messageId);
        if (c == null) {
            answer(ex, 404, error("Not found"), null);
            return;
        }
        ex.getResponseHeaders().add("Content-Type", c.contentType());
        ex.sendResponseHeaders(200, c.bytes().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(c.bytes());
        }
    }

    private static void allowedFields(JsonNode body, Set<String> allowed, List<String> problems) {
        if (!body.isObject()) {
            problems.add("body is not an object");
            return;
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                problems.add("unknown field " + f);
            }
        }
    }

    private static List<String> texts(JsonNode messages, List<String> problems) {
        List<String> texts = new ArrayList<>();
        if (!messages.isArray() || messages.isEmpty() || messages.size() > 5) {
            problems.add("messages must hold 1 to 5 message objects");
            return texts;
        }
        for (JsonNode m : messages) {
            if (!"text".equals(m.path("type").textValue())) {
                problems.add("only text messages are expected from the hub");
                continue;
            }
            String text = m.path("text").textValue();
            if (text == null || text.isEmpty() || text.length() > 5000) {
                problems.add("text must be 1 to 5000 characters");
                continue;
            }
            texts.add(text);
        }
        return texts;
    }

    private byte[] sentMessages(int n) {
        ObjectNode o = JSON.createObjectNode();
        var array = o.putArray("sentMessages");
        for (int i = 0; i < n; i++) {
            array.addObject().put("id", Long.toString(ids.incrementAndGet())).put("quoteToken", "q" + ids.get());
        }
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] error(String message) {
        return JSON.createObjectNode().put("message", message).toString().getBytes(StandardCharsets.UTF_8);
    }

    private void violation(String what) {
        violations.add(what);
    }

    private static void answer(HttpExchange ex, int status, byte[] body, String retryAfter) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("x-line-request-id", java.util.UUID.randomUUID().toString());
        if (retryAfter != null) {
            ex.getResponseHeaders().add("Retry-After", retryAfter);
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
