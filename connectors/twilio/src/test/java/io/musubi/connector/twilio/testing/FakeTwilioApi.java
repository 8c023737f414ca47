package io.musubi.connector.twilio.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local stand-in for Twilio, on the JDK's HTTP server, that checks every request as Twilio documents it and plays
 * Twilio's side of the webhooks. Shared by the connector's unit tests and the Pax Exam tests (test-jar).
 *
 * <p>The REST API ({@code /2010-04-01/Accounts/{AccountSid}/...}):
 * <ul>
 *   <li>every request: HTTP Basic with the account SID and auth token (or an API key SID and secret), else 401 with
 *       Twilio's error 20003; the account SID of the path is the account's;</li>
 *   <li>{@code POST Messages.json}: {@code application/x-www-form-urlencoded}; {@code To} (E.164, 21211/21604),
 *       exactly one of {@code From} (E.164) and {@code MessagingServiceSid} (21603/21703), {@code Body} (21602, at most
 *       1600 characters: 21617), {@code StatusCallback} an absolute http(s) URL (21609), no other field; answers 201
 *       with a Message resource ({@code queued}, or {@code accepted} through a Messaging Service);</li>
 *   <li>{@code GET Messages.json?To=&From=&PageSize=}: the matching messages, newest first, in Twilio's page shape;</li>
 *   <li>{@code GET .../Messages/{MM}/Media/{ME}}: a 307 to a second server (another origin, as Twilio's storage) that
 *       serves the bytes and must receive no credentials.</li>
 * </ul>
 * Every departure from the rules is kept in {@link #violations()}. Failures on demand: {@link #failNext} (429 with
 * Retry-After, 500, ...), {@link #createThenFail} (the message is created but the answer is a 500 or comes too late:
 * an attempt of unknown outcome).
 *
 * <p>As Twilio: {@link #deliverInbound} posts a signed incoming SMS/MMS webhook and {@link #sendStatus} a signed status
 * callback to the message's StatusCallback URL, with its own implementation of the signature (independent of the
 * connector's).
 */
public final class FakeTwilioApi implements AutoCloseable {

    /** A message the fake accepted. */
    public record Sent(String sid, String to, String from, String messagingServiceSid, String body,
                       String statusCallback, Instant createdAt) {
    }

    /** A webhook the fake delivered to the hub: what it answered. */
    public record Delivery(int status, String contentType, String body) {
    }

    private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");
    private static final Pattern MEDIA = Pattern.compile(
            "/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)/Media/([^/]+)");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Set<String> CREATE_FIELDS = Set.of("To", "From", "MessagingServiceSid", "Body",
            "StatusCallback");
    /** Twilio's dates: {@code Thu, 21 Nov 2024 18:05:21 +0000}. */
    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z",
            java.util.Locale.US).withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String accountSid;
    private final String authToken;
    private final Map<String, String> apiKeys = new ConcurrentHashMap<>();
    private final HttpServer api;
    private final HttpServer storage;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-twilio");
        t.setDaemon(true);
        return t;
    });
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Deque<int[]> failures = new ArrayDeque<>();
    private final Deque<Long> createThenFail = new ArrayDeque<>();
    private final Map<String, byte[]> media = new ConcurrentHashMap<>();
    private final Map<String, String> mediaTypes = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile int createRequests;
    private volatile int listRequests;
    private volatile int mediaRequests;
    private volatile UnaryOperator<String> publicToLocal = UnaryOperator.identity();
    private volatile boolean down;
    private volatile boolean refuseCredentials;

    private FakeTwilioApi(String accountSid, String authToken) throws IOException {
        this.accountSid = accountSid;
        this.authToken = authToken;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.api = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        this.storage = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        api.setExecutor(executor);
        storage.setExecutor(executor);
        api.createContext("/", this::handleApi);
        storage.createContext("/", this::handleStorage);
        api.start();
        storage.start();
    }

    /** Starts a fake account on loopback ports of its own. */
    public static FakeTwilioApi start(String accountSid, String authToken) throws IOException {
        return new FakeTwilioApi(accountSid, authToken);
    }

    /** A new account SID ({@code AC} + 32 hex digits). */
    public static String newAccountSid() {
        return "AC" + hex(new SecureRandom(), 16);
    }

    /** Also accepts an API key's credentials. */
    public FakeTwilioApi withApiKey(String sid, String secret) {
        apiKeys.put(sid, secret);
        return this;
    }

    /**
     * How the fake reaches a URL the hub published (a StatusCallback on the public base URL): for a test where the
     * public URL is a reverse proxy's, map it to the hub's local address. The signature is still over the public URL.
     */
    public FakeTwilioApi reachPublicUrlsVia(UnaryOperator<String> publicToLocal) {
        this.publicToLocal = publicToLocal;
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + api.getAddress().getPort();
    }

    public String accountSid() {
        return accountSid;
    }

    /** The messages created, in order. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** Requests that broke Twilio's rules. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    public int createRequests() {
        return createRequests;
    }

    public int listRequests() {
        return listRequests;
    }

    public int mediaRequests() {
        return mediaRequests;
    }

    /** The next {@code times} create requests answer {@code status} (429 with Retry-After {@code retryAfter} s). */
    public synchronized FakeTwilioApi failNext(int status, int times, int retryAfterSeconds) {
        for (int i = 0; i < times; i++) {
            failures.add(new int[] {status, retryAfterSeconds});
        }
        return this;
    }

    /** While down, every API request answers 503 (Twilio away); the connector retries with back-off. */
    public FakeTwilioApi down(boolean down) {
        this.down = down;
        return this;
    }

    /**
     * While set, every API request answers 401 with Twilio's error 20003, as after the account's auth token was
     * rotated or the API key revoked in the Console (the connector's credentials are refused; not a violation).
     */
    public FakeTwilioApi refuseCredentials(boolean refuse) {
        this.refuseCredentials = refuse;
        return this;
    }

    /** The next create request is refused with {@code status} and Twilio's error {@code code} (e.g. 400, 21610). */
    public synchronized FakeTwilioApi refuseNext(int status, int code) {
        failures.add(new int[] {status, 0, code});
        return this;
    }

    /**
     * The next create request creates the message, then answers 500 ({@code delayMillis} 0) or answers only after
     * {@code delayMillis} (longer than the client waits: a timeout).
     */
    public synchronized FakeTwilioApi createThenFail(long delayMillis) {
        createThenFail.add(delayMillis);
        return this;
    }

    /** Stores media and returns its URL on the API, as Twilio puts it in {@code MediaUrl<n>}. */
    public String addMedia(String messageSid, byte[] bytes, String contentType) {
        String mediaSid = "ME" + hex(random, 16);
        media.put(mediaSid, bytes);
        mediaTypes.put(mediaSid, contentType);
        return baseUrl() + "/2010-04-01/Accounts/" + accountSid + "/Messages/" + messageSid + "/Media/" + mediaSid;
    }

    /** A new message SID ({@code SM} + 32 hex digits; {@code MM} for MMS). */
    public String newMessageSid(boolean mms) {
        return (mms ? "MM" : "SM") + hex(random, 16);
    }

    // ---- the REST API ----

    private void handleApi(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            Matcher messages = MESSAGES.matcher(path);
            Matcher mediaPath = MEDIA.matcher(path);
            if (down) {
                error(ex, 503, 20503, "Service Unavailable");
                return;
            }
            if (refuseCredentials || !authenticated(ex)) {
                error(ex, 401, 20003, "Authenticate");
                return;
            }
            if (messages.matches()) {
                if (!messages.group(1).equals(accountSid)) {
                    violation("request for another account's messages");
                    error(ex, 404, 20404, "The requested resource was not found");
                } else if (ex.getRequestMethod().equals("POST")) {
                    create(ex);
                } else if (ex.getRequestMethod().equals("GET")) {
                    list(ex);
                } else {
                    violation(ex.getRequestMethod() + " on Messages.json");
                    error(ex, 405, 20004, "Method not allowed");
                }
            } else if (mediaPath.matches() && ex.getRequestMethod().equals("GET")) {
                mediaRequests++;
                String sid = mediaPath.group(3);
                if (!mediaPath.group(1).equals(accountSid) || !media.containsKey(sid)) {
                    error(ex, 404, 20404, "The requested resource was not found");
                    return;
                }
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + storage.getAddress().getPort()
                        + "/storage/" + sid + "?expires=" + Instant.now().plusSeconds(300).getEpochSecond());
                ex.sendResponseHeaders(307, -1);
            } else {
                violation("unknown request " + ex.getRequestMethod() + " " + path);
                error(ex, 404, 20404, "The requested resource was not found");
            }
        } catch (RuntimeException e) {
            violation("fake failed: " + e);
        }
    }

    private void handleStorage(HttpExchange ex) throws IOException {
        try (ex) {
            if (ex.getRequestHeaders().containsKey("Authorization")) {
                violation("credentials sent to the media storage host");
            }
            String path = ex.getRequestURI().getPath();
            String sid = path.startsWith("/storage/") ? path.substring("/storage/".length()) : "";
            byte[] bytes = media.get(sid);
            if (bytes == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.getResponseHeaders().add("Content-Type", mediaTypes.get(sid));
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    private boolean authenticated(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Basic ")) {
            violation("request without HTTP Basic authentication");
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            violation("malformed HTTP Basic header");
            return false;
        }
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        String password = colon < 0 ? "" : decoded.substring(colon + 1);
        if (user.equals(accountSid) && password.equals(authToken)) {
            return true;
        }
        if (password.equals(apiKeys.get(user))) {
            return true;
        }
        violation("wrong credentials");
        return false;
    }

    private void create(HttpExchange ex) throws IOException {
        createRequests++;
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            violation("create without a form-encoded body: " + type);
        }
        List<Map.Entry<String, String>> fields = parseForm(new String(readAll(ex.getRequestBody()),
                StandardCharsets.UTF_8));
        Map<String, String> f = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : fields) {
            if (!CREATE_FIELDS.contains(e.getKey())) {
                violation("unexpected create field " + e.getKey());
            }
            if (f.put(e.getKey(), e.getValue()) != null) {
                violation("repeated create field " + e.getKey());
            }
        }
        int[] failure;
        Long late;
        synchronized (this) {
            failure = failures.poll();
            late = failure == null ? createThenFail.poll() : null;
        }
        if (failure != null) {
            if (failure[1] > 0) {
                ex.getResponseHeaders().add("Retry-After", Integer.toString(failure[1]));
            }
            int code = failure.length > 2 ? failure[2] : failure[0] == 429 ? 20429 : 20500;
            error(ex, failure[0], code, failure[0] == 429 ? "Too Many Requests"
                    : failure[0] >= 500 ? "Internal Server Error" : "Refused (error " + code + ")");
            return;
        }
        String to = f.getOrDefault("To", "");
        String from = f.getOrDefault("From", "");
        String service = f.getOrDefault("MessagingServiceSid", "");
        String body = f.getOrDefault("Body", "");
        String callback = f.getOrDefault("StatusCallback", "");
        if (to.isEmpty()) {
            error(ex, 400, 21604, "A 'To' phone number is required.");
            return;
        }
        if (!E164.matcher(to).matches()) {
            error(ex, 400, 21211, "The 'To' number " + to + " is not a valid phone number.");
            return;
        }
        if (from.isEmpty() == service.isEmpty()) {
            violation("create needs exactly one of From and MessagingServiceSid");
            error(ex, 400, 21603, "The 'From' phone number is required.");
            return;
        }
        if (!from.isEmpty() && !E164.matcher(from).matches()) {
            error(ex, 400, 21212, "The 'From' number " + from + " is not a valid phone number.");
            return;
        }
        if (!service.isEmpty() && !service.matches("MG[0-9a-f]{32}")) {
            error(ex, 400, 21703, "The Messaging Service Sid is invalid.");
            return;
        }
        if (body.isEmpty()) {
            error(ex, 400, 21602, "Message body is required.");
            return;
        }
        if (body.codePointCount(0, body.length()) > 1600) {
            error(ex, 400, 21617, "The concatenated message body exceeds the 1600 character limit.");
            return;
        }
        if (!callback.isEmpty()) {
            URI uri;
            try {
                uri = new URI(callback);
            } catch (Exception e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null || !(callback.startsWith("https://")
                    || callback.startsWith("http://"))) {
                violation("StatusCallback is not an absolute http(s) URL");
                error(ex, 400, 21609, "Invalid StatusCallback");
                return;
            }
        }
        String sid = newMessageSid(false);
        Instant now = Instant.now();
        Sent message = new Sent(sid, to, from, service, body, callback, now);
        sent.add(message);
        if (late != null) {
            if (late > 0) {
                try {
                    Thread.sleep(late); // the client gives up first: an attempt of unknown outcome
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            error(ex, 500, 20500, "Internal Server Error");
            return;
        }
        respond(ex, 201, resource(message, service.isEmpty() ? "queued" : "accepted"));
    }

    private void list(HttpExchange ex) throws IOException {
        listRequests++;
        Map<String, String> q = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        for (Map.Entry<String, String> e : parseForm(raw == null ? "" : raw)) {
            q.put(e.getKey(), e.getValue());
            if (!Set.of("To", "From", "PageSize", "DateSent", "DateSent<", "DateSent>", "Page", "PageToken")
                    .contains(e.getKey())) {
                violation("unknown list parameter " + e.getKey());
            }
        }
        int pageSize = 50;
        if (q.containsKey("PageSize")) {
            try {
                pageSize = Integer.parseInt(q.get("PageSize"));
            } catch (NumberFormatException e) {
                pageSize = -1;
            }
            if (pageSize < 1 || pageSize > 1000) {
                error(ex, 400, 20001, "PageSize must be from 1 to 1000");
                return;
            }
        }
        ObjectNode page = JSON.createObjectNode();
        ArrayNode items = page.putArray("messages");
        List<Sent> all = new ArrayList<>(sent);
        int n = 0;
        for (int i = all.size() - 1; i >= 0 && n < pageSize; i--) {
            Sent s = all.get(i);
            if (q.containsKey("To") && !q.get("To").equals(s.to())) {
                continue;
            }
            if (q.containsKey("From") && !q.get("From").equals(s.from())) {
                continue;
            }
            items.add(resource(s, s.messagingServiceSid().isEmpty() ? "queued" : "accepted"));
            n++;
        }
        String uri = "/2010-04-01/Accounts/" + accountSid + "/Messages.json";
        page.put("end", Math.max(0, n - 1)).put("first_page_uri", uri + "?PageSize=" + pageSize)
                .putNull("next_page_uri").put("page", 0).put("page_size", pageSize).putNull("previous_page_uri")
                .put("start", 0).put("uri", uri + "?PageSize=" + pageSize);
        respond(ex, 200, page);
    }

    private ObjectNode resource(Sent s, String status) {
        ObjectNode m = JSON.createObjectNode();
        String uri = "/2010-04-01/Accounts/" + accountSid + "/Messages/" + s.sid();
        m.put("account_sid", accountSid).put("api_version", "2010-04-01").put("body", s.body())
                .put("date_created", RFC_2822.format(s.createdAt())).putNull("date_sent")
                .put("date_updated", RFC_2822.format(s.createdAt())).put("direction", "outbound-api")
                .putNull("error_code").putNull("error_message");
        if (s.from().isEmpty()) {
            m.putNull("from");
        } else {
            m.put("from", s.from());
        }
        if (s.messagingServiceSid().isEmpty()) {
            m.putNull("messaging_service_sid");
        } else {
            m.put("messaging_service_sid", s.messagingServiceSid());
        }
        m.put("num_media", "0").put("num_segments", "1").putNull("price").put("price_unit", "USD")
                .put("sid", s.sid()).put("status", status).put("to", s.to()).put("uri", uri + ".json");
        m.putObject("subresource_uris").put("media", uri + "/Media.json");
        return m;
    }

    private void error(HttpExchange ex, int status, int code, String message) throws IOException {
        ObjectNode e = JSON.createObjectNode();
        e.put("code", code).put("message", message).put("more_info", "https://www.twilio.com/docs/errors/" + code)
                .put("status", status);
        respond(ex, status, e);
    }

    private static void respond(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void violation(String what) {
        violations.add(what);
    }

    // ---- Twilio's side of the webhooks ----

    /**
     * Twilio's incoming-message webhook: posts the form parameters of an SMS (MMS with media URLs) from
     * {@code from} to {@code to} to {@code publicUrl} (reached through {@link #reachPublicUrlsVia}), signed over
     * {@code publicUrl}.
     */
    public Delivery deliverInbound(String publicUrl, String messageSid, String from, String to, String body,
                                   List<String> mediaUrls, List<String> mediaTypes) throws IOException,
            InterruptedException {
        List<Map.Entry<String, String>> p = new ArrayList<>();
        p.add(Map.entry("ToCountry", "US"));
        p.add(Map.entry("ToState", "CA"));
        p.add(Map.entry("SmsMessageSid", messageSid));
        p.add(Map.entry("NumMedia", Integer.toString(mediaUrls.size())));
        p.add(Map.entry("SmsSid", messageSid));
        p.add(Map.entry("SmsStatus", "received"));
        p.add(Map.entry("Body", body));
        for (int i = 0; i < mediaUrls.size(); i++) {
            p.add(Map.entry("MediaContentType" + i, mediaTypes.get(i)));
            p.add(Map.entry("MediaUrl" + i, mediaUrls.get(i)));
        }
        p.add(Map.entry("FromCountry", "JP"));
        p.add(Map.entry("To", to));
        p.add(Map.entry("NumSegments", "1"));
        p.add(Map.entry("MessageSid", messageSid));
        p.add(Map.entry("AccountSid", accountSid));
        p.add(Map.entry("From", from));
        p.add(Map.entry("ApiVersion", "2010-04-01"));
        return post(publicUrl, p);
    }

    /** Twilio's status callback of a message the fake created, to its StatusCallback URL. */
    public Delivery sendStatus(String sid, String status, String errorCode) throws IOException, InterruptedException {
        Sent s = sent.stream().filter(m -> m.sid().equals(sid)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no message " + sid));
        if (s.statusCallback().isEmpty()) {
            throw new IllegalStateException("message " + sid + " has no StatusCallback");
        }
        List<Map.Entry<String, String>> p = new ArrayList<>();
        if (errorCode != null) {
            p.add(Map.entry("ErrorCode", errorCode));
        }
        p.add(Map.entry("SmsSid", sid));
        p.add(Map.entry("SmsStatus", status));
        p.add(Map.entry("MessageStatus", status));
        p.add(Map.entry("To", s.to()));
        if (!s.messagingServiceSid().isEmpty()) {
            p.add(Map.entry("MessagingServiceSid", s.messagingServiceSid()));
        }
        p.add(Map.entry("MessageSid", sid));
        p.add(Map.entry("AccountSid", accountSid));
        if (!s.from().isEmpty()) {
            p.add(Map.entry("From", s.from()));
        }
        p.add(Map.entry("ApiVersion", "2010-04-01"));
        return post(s.statusCallback(), p);
    }

    /** Posts form parameters to a public URL, signed as Twilio signs. */
    public Delivery post(String publicUrl, List<Map.Entry<String, String>> params) throws IOException,
            InterruptedException {
        return postSigned(publicUrl, params, signature(authToken, publicUrl, params));
    }

    /** Posts form parameters with a given signature header (null: none). */
    public Delivery postSigned(String publicUrl, List<Map.Entry<String, String>> params, String signature)
            throws IOException, InterruptedException {
        StringBuilder form = new StringBuilder();
        for (Map.Entry<String, String> e : params) {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(publicToLocal.apply(publicUrl)))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("User-Agent", "TwilioProxy/1.1")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString(), StandardCharsets.UTF_8));
        if (signature != null) {
            b.header("X-Twilio-Signature", signature);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Delivery(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    /**
     * The signature Twilio puts in {@code X-Twilio-Signature}: Base64 HMAC-SHA1 of the URL followed by each parameter
     * name and value, sorted by name (a repeated name's values sorted too). Written here independently of the
     * connector's validator.
     */
    public static String signature(String authToken, String url, List<Map.Entry<String, String>> params) {
        TreeMap<String, TreeSet<String>> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : params) {
            sorted.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(e.getValue());
        }
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, TreeSet<String>> e : sorted.entrySet()) {
            for (String v : e.getValue()) {
                data.append(e.getKey()).append(v);
            }
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map.Entry<String, String>> parseForm(String form) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            out.add(Map.entry(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static String hex(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        api.stop(0);
        storage.stop(0);
        executor.shutdownNow();
    }
}
