package io.musubi.connector.line.internal;

import io.musubi.spi.SecretSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The small part of the LINE Messaging API the connector uses, on the JDK's HttpClient: reply, push (with
 * {@code X-Line-Retry-Key}) and get content. Every request carries
 * {@code Authorization: Bearer <channel access token>}; the token is never logged. Base URLs are configurable so tests
 * point them at a local server. Answers are returned as they are; what they mean is {@link LineSender}'s business.
 */
final class LineApi implements AutoCloseable {

    static final String RETRY_KEY_HEADER = "X-Line-Retry-Key";
    private static final Pattern MESSAGE_ID = Pattern.compile("[0-9]{1,32}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer of the API: status, the headers that matter, and the body (an error's JSON). */
    record Answer(int status, Optional<Duration> retryAfter, String acceptedRequestId, String requestId, byte[] body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** LINE's error {@code message}, at most 200 characters (never used in logs beyond a category). */
        String errorMessage() {
            JsonNode json = json();
            String m = json == null ? "" : json.path("message").asText("");
            return m.length() > 200 ? m.substring(0, 200) : m;
        }

        /** The id of the first sent message, or empty. */
        String sentMessageId() {
            JsonNode json = json();
            return json == null ? "" : json.path("sentMessages").path(0).path("id").asText("");
        }

        private JsonNode json() {
            try {
                return body.length == 0 ? null : JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }
    }

    private final URI apiBase;
    private final URI dataBase;
    private final SecretSource token;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient http;

    LineApi(String apiBaseUrl, String dataApiBaseUrl, SecretSource token, Duration timeout) {
        this.apiBase = base(apiBaseUrl);
        this.dataBase = base(dataApiBaseUrl);
        this.token = token;
        this.timeout = timeout;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "musubi-line-http");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().connectTimeout(timeout).executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static URI base(String url) {
        URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("a LINE base URL must be http(s)");
        }
        return uri;
    }

    /** {@code POST /v2/bot/message/reply}. */
    Answer reply(byte[] json) throws IOException, InterruptedException {
        return post(apiBase, "/v2/bot/message/reply", json, null);
    }

    /** {@code POST /v2/bot/message/push} with the retry key. */
    Answer push(byte[] json, String retryKey) throws IOException, InterruptedException {
        return post(apiBase, "/v2/bot/message/push", json, retryKey);
    }

    /**
     * {@code GET /v2/bot/message/{messageId}/content} on the data API; the caller closes the body.
     *
     * @throws IllegalArgumentException for a message id that is not LINE's (a number)
     */
    HttpResponse<InputStream> content(String messageId) throws IOException, InterruptedException {
        if (!MESSAGE_ID.matcher(messageId).matches()) {
            throw new IllegalArgumentException("a LINE message id is a number");
        }
        HttpRequest request = authorized(HttpRequest.newBuilder(dataBase.resolve(dataBase.getPath()
                + "/v2/bot/message/" + messageId + "/content"))).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private Answer post(URI base, String path, byte[] json, String retryKey) throws IOException, InterruptedException {
        HttpRequest.Builder b = authorized(HttpRequest.newBuilder(base.resolve(base.getPath() + path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        if (retryKey != null) {
            b.header(RETRY_KEY_HEADER, retryKey);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), retryAfter(r.headers().firstValue("Retry-After").orElse(null)),
                r.headers().firstValue("x-line-accepted-request-id").orElse(""),
                r.headers().firstValue("x-line-request-id").orElse(""), r.body());
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) throws IOException {
        String t = token.text().orElseThrow(() -> new MissingTokenException(token.problem()));
        return b.timeout(timeout).header("Authorization", "Bearer " + t).header("User-Agent", "Musubi-LINE/0.1");
    }

    /** Seconds or an HTTP date; empty when absent or unreadable. */
    static Optional<Duration> retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException neither) {
                return Optional.empty();
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** The channel access token is not available (file missing, not owner-only, variable unset). */
    static final class MissingTokenException extends IOException {
        private static final long serialVersionUID = 1L;

        MissingTokenException(String problem) {
            super(problem);
        }
    }
}
