package io.musubi.connector.twilio.internal;

import io.musubi.spi.SecretSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The few calls the connector makes to Twilio's REST API, on the JDK HttpClient, HTTP Basic authenticated with the
 * account SID and auth token, or an API key SID and secret:
 * <ul>
 *   <li>{@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json} (form-encoded To, From or MessagingServiceSid,
 *       Body, StatusCallback) to send;</li>
 *   <li>{@code GET /2010-04-01/Accounts/{AccountSid}/Messages.json?To=…&From=…&PageSize=…} to find a message an
 *       attempt of unknown outcome may have created;</li>
 *   <li>{@code GET} of an MMS media URL, with the credentials only while the URL is on the API's own origin (Twilio
 *       redirects media to a storage host, which gets no credentials).</li>
 * </ul>
 * The base URL is configurable so tests point it at a local server. Nothing here logs.
 */
final class TwilioApi implements AutoCloseable {

    /** Credentials are not available (the secret's problem says why). */
    static final class MissingCredentialsException extends Exception {

        private static final long serialVersionUID = 1L;

        MissingCredentialsException(String message) {
            super(message);
        }
    }

    /** An answer of the API, body read. */
    record Response(int status, String body, Optional<String> retryAfter) {

        @Override
        public String toString() {
            return "Response[" + status + ", " + body.length() + " chars]";
        }
    }

    private static final int MAX_REDIRECTS = 5;

    private final URI base;
    private final String accountSid;
    private final String apiKeySid;
    private final SecretSource authToken;
    private final SecretSource apiKeySecret;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient http;

    TwilioApi(String baseUrl, String accountSid, String apiKeySid, SecretSource authToken, SecretSource apiKeySecret,
              Duration timeout) {
        String b = baseUrl.strip();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.accountSid = accountSid;
        this.apiKeySid = apiKeySid == null ? "" : apiKeySid.strip();
        this.authToken = authToken;
        this.apiKeySecret = apiKeySecret;
        this.timeout = timeout;
        // Daemon threads of our own, closed with the connector: the JDK's default executor would outlive a bundle.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "musubi-twilio-http");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor).build();
    }

    URI base() {
        return base;
    }

    private URI messagesUri() {
        return URI.create(base + "/2010-04-01/Accounts/" + accountSid + "/Messages.json");
    }

    /** The Authorization header's value. */
    private String authorization() throws MissingCredentialsException {
        String user;
        byte[] password;
        if (!apiKeySid.isEmpty()) {
            user = apiKeySid;
            password = apiKeySecret.bytes().orElseThrow(() -> new MissingCredentialsException(apiKeySecret.problem()));
        } else {
            user = accountSid;
            password = authToken.bytes().orElseThrow(() -> new MissingCredentialsException(authToken.problem()));
        }
        byte[] userBytes = (user + ":").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[userBytes.length + password.length];
        System.arraycopy(userBytes, 0, all, 0, userBytes.length);
        System.arraycopy(password, 0, all, userBytes.length, password.length);
        return "Basic " + Base64.getEncoder().encodeToString(all);
    }

    /** Forgets the credentials read, so the next call reads them again (after Twilio refused them). */
    void forgetCredentials() {
        authToken.forget();
        apiKeySecret.forget();
    }

    /** Creates a message. */
    Response create(OutboundRequest request) throws IOException, InterruptedException, MissingCredentialsException {
        HttpRequest http = HttpRequest.newBuilder(messagesUri())
                .timeout(timeout)
                .header("Authorization", authorization())
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form(request.formFields()), StandardCharsets.UTF_8))
                .build();
        return read(this.http.send(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    /** The first page of messages to a number (and from one, if given), newest first. */
    Response list(String to, String from, int pageSize) throws IOException, InterruptedException,
            MissingCredentialsException {
        StringBuilder query = new StringBuilder("To=").append(URLEncoder.encode(to, StandardCharsets.UTF_8));
        if (from != null && !from.isEmpty()) {
            query.append("&From=").append(URLEncoder.encode(from, StandardCharsets.UTF_8));
        }
        query.append("&PageSize=").append(pageSize);
        HttpRequest http = HttpRequest.newBuilder(URI.create(messagesUri() + "?" + query))
                .timeout(timeout)
                .header("Authorization", authorization())
                .header("Accept", "application/json")
                .GET()
                .build();
        return read(this.http.send(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    /**
     * Opens a media URL. Redirects are followed by hand: the credentials go only to the API's own origin, never to the
     * storage host Twilio redirects to.
     *
     * @throws IllegalArgumentException when the URL is not on the API's origin (it is not fetched at all)
     */
    HttpResponse<InputStream> media(String url) throws IOException, InterruptedException,
            MissingCredentialsException {
        URI uri = URI.create(url);
        if (!sameOrigin(uri, base)) {
            throw new IllegalArgumentException("the media URL is not on the configured API's origin");
        }
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
            if (sameOrigin(uri, base)) {
                b.header("Authorization", authorization());
            }
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            int code = r.statusCode();
            Optional<String> location = r.headers().firstValue("Location");
            if (code >= 300 && code < 400 && code != 304 && location.isPresent() && hop < MAX_REDIRECTS) {
                r.body().close();
                URI next = uri.resolve(location.get());
                if (!"https".equalsIgnoreCase(next.getScheme()) && !sameOrigin(next, base)
                        && "https".equalsIgnoreCase(base.getScheme())) {
                    throw new IOException("media redirected to a plain-http URL");
                }
                uri = next;
                continue;
            }
            return r;
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static Response read(HttpResponse<String> r) {
        return new Response(r.statusCode(), r.body() == null ? "" : r.body(), r.headers().firstValue("Retry-After"));
    }

    static String form(List<Map.Entry<String, String>> fields) {
        StringJoiner j = new StringJoiner("&");
        for (Map.Entry<String, String> f : fields) {
            j.add(URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8));
        }
        return j.toString();
    }

    /** A Retry-After header's delay: seconds or an HTTP date; empty when absent or unreadable. */
    static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String v = header.get().strip();
        if (v.matches("[0-9]{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Twilio's RFC 2822 dates ({@code Thu, 21 Nov 2024 18:05:21 +0000}). */
    static Optional<Instant> date(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "TwilioApi[" + base + ", " + (apiKeySid.isEmpty() ? "auth token" : "API key").toLowerCase(Locale.ROOT)
                + "]";
    }
}
