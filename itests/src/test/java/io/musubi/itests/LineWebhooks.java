package io.musubi.itests;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the LINE Platform does to the hub, for the integration tests: webhook bodies shaped as LINE sends them,
 * signed ({@code X-Line-Signature}: Base64 of HMAC-SHA256 over the body, keyed with the channel secret), POSTed to
 * {@code /webhooks/line/<id>} and delivered again while the hub answers 503, as LINE's redelivery does.
 */
final class LineWebhooks {

    /** The bot's own user id, the {@code destination} of every body. */
    static final String BOT = "U8a6f2d1c4b7e9035d2c1a8f6e4b3d7c9";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;
    private final byte[] secret;

    LineWebhooks(String port, String connectorId, String channelSecret) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/webhooks/line/" + connectorId);
        this.secret = channelSecret.getBytes(StandardCharsets.UTF_8);
    }

    String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One POST with the given signature header (null: none) and extra headers; the answer. */
    HttpResponse<String> post(byte[] body, String signature, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header("X-Line-Signature", signature);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A large signed POST sent as a careful client sends it: the head with {@code Expect: 100-continue} first, the
     * body only after the hub's {@code 100 Continue}. The hub may refuse it from its head (413) without reading the
     * body; the status of its final answer. Written on a plain socket with a read timeout: the JDK client's
     * {@code expectContinue} once waited for ever on such an answer (JDK 17, seen in this test).
     */
    int postExpectingContinue(byte[] body, String signature) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + body.length
                    + "\r\nX-Line-Signature: " + signature + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            int status = readStatus(in);
            if (status == 100) {
                out.write(body);
                out.flush();
                status = readStatus(in);
            }
            return status;
        }
    }

    /** The status of the next response on the stream; its headers are skipped. */
    private static int readStatus(InputStream in) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        String line;
        do {
            line = readLine(in);
        } while (!line.isEmpty());
        return Integer.parseInt(parts[1]);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after \"" + sb + "\"");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** A signed POST; the answer's status. */
    int postSigned(byte[] body) throws IOException, InterruptedException {
        return post(body, sign(body)).statusCode();
    }

    /**
     * Delivers a signed body until the hub answers 200, as LINE redelivers after a 503 or a refused connection;
     * fails on any other answer.
     */
    void deliver(byte[] body) throws InterruptedException {
        String signature = sign(body);
        int[] last = {0};
        Await.until("the hub takes a LINE webhook (last answer " + last[0] + ")", Duration.ofSeconds(120),
                Duration.ofMillis(100), () -> {
                    try {
                        last[0] = post(body, signature).statusCode();
                    } catch (IOException refused) {
                        last[0] = -1;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                    if (last[0] != 200 && last[0] != 503 && last[0] != -1 && last[0] != 404) {
                        throw new AssertionError("the hub answered a LINE webhook with " + last[0]);
                    }
                    return last[0] == 200;
                });
    }

    /** A webhook body: {@code destination} and the events. */
    static byte[] body(ObjectNode... events) {
        ObjectNode root = ApiClient.JSON.createObjectNode().put("destination", BOT);
        ArrayNode array = root.putArray("events");
        for (ObjectNode e : events) {
            array.add(e);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A text message event from a user's one-to-one chat. */
    static ObjectNode text(String eventId, String userId, String text, String replyToken, long timestamp,
                           boolean redelivery) {
        ObjectNode e = base("message", eventId, userId, replyToken, timestamp, redelivery);
        e.putObject("message").put("type", "text").put("id", messageId(eventId)).put("text", text);
        return e;
    }

    /** An image message event whose content LINE keeps (fetched later from the content API). */
    static ObjectNode image(String eventId, String userId, String messageId, long timestamp) {
        ObjectNode e = base("message", eventId, userId, null, timestamp, false);
        ObjectNode m = e.putObject("message").put("type", "image").put("id", messageId);
        m.putObject("contentProvider").put("type", "line");
        return e;
    }

    /** A follow event (the user added the account as a friend). */
    static ObjectNode follow(String eventId, String userId, String replyToken, long timestamp) {
        ObjectNode e = base("follow", eventId, userId, replyToken, timestamp, false);
        e.putObject("follow").put("isUnblocked", false);
        return e;
    }

    /** An account-link event carrying the nonce the web site put in the linking URL. */
    static ObjectNode accountLink(String eventId, String userId, String replyToken, long timestamp, String nonce) {
        ObjectNode e = base("accountLink", eventId, userId, replyToken, timestamp, false);
        e.putObject("link").put("result", "ok").put("nonce", nonce);
        return e;
    }

    private static ObjectNode base(String type, String eventId, String userId, String replyToken, long timestamp,
                                   boolean redelivery) {
        ObjectNode e = ApiClient.JSON.createObjectNode();
        if (replyToken != null) {
            e.put("replyToken", replyToken);
        }
        e.put("type", type).put("mode", "active").put("timestamp", timestamp);
        e.putObject("source").put("type", "user").put("userId", userId);
        e.put("webhookEventId", eventId);
        e.putObject("deliveryContext").put("isRedelivery", redelivery);
        return e;
    }

    /** A LINE message id (a number) derived from the event id, so a redelivery carries the same one. */
    static String messageId(String eventId) {
        return Long.toString(100_000_000_000_000L + Math.floorMod(eventId.hashCode(), 899_999_999_999_999L));
    }

    /** A LINE user id ({@code U} and 32 hex digits) for a test. */
    static String userId(String seed) {
        String hex = java.util.UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "");
        return "U" + hex;
    }
}
