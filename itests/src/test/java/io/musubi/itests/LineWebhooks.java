package io.musubi.itests;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
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
        if (body.length > 262_144) {
            // As a careful client does with a large body: the hub may refuse it from its headers (413) without
            // reading it, and then closes the connection; waiting for 100-continue gets that answer instead of a
            // connection reset half-way through the upload.
            b.expectContinue(true);
        }
        if (signature != null) {
            b.header("X-Line-Signature", signature);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
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
