package io.musubi.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.twilio.security.RequestValidator;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The validator against every signature vector of the fixtures, and against Twilio's own Java SDK
 * ({@code RequestValidator} 10.9.2) as an independent party.
 */
class TwilioSignatureTest {

    /** The vectors where the official Java and Node SDKs disagree (fixtures README), and why. */
    private static final Set<String> JAVA_SDK_CANNOT = Set.of(
            "T10", // repeated parameter names: the Java SDK's Map keeps one value per name
            "T15"); // percent-encoded query plus :443: the Java SDK decodes the query when it drops the port

    private static boolean ours(JsonNode c) {
        byte[] token = c.path("authToken").asText().getBytes(StandardCharsets.UTF_8);
        String url = c.path("url").asText();
        String signature = c.path("expectedSignature").asText();
        if ("application/json".equals(c.path("contentType").asText())) {
            String query = URI.create(url).getRawQuery();
            String hash = null;
            for (String pair : query.split("&")) {
                if (pair.startsWith(TwilioSignature.BODY_SHA256 + "=")) {
                    hash = pair.substring(pair.indexOf('=') + 1);
                }
            }
            return TwilioSignature.isValidJson(token, url, hash,
                    c.path("bodyJson").asText().getBytes(StandardCharsets.UTF_8), signature);
        }
        return TwilioSignature.isValid(token, url, Fixtures.params(c), signature);
    }

    /**
     * The truth of a vector: what Twilio signed. The official Node SDK expresses every case (arrays for repeated
     * names, no query decoding), and the fixtures' independent Python recomputation agrees with it.
     */
    private static boolean twilio(JsonNode c) {
        return Fixtures.json("signature-vectors.json").path("crossChecks").path("nodeSdk").path("results")
                .path(c.path("id").asText()).asBoolean();
    }

    @Test
    void everyVectorIsJudgedAsTwilioSignedIt() {
        List<JsonNode> vectors = Fixtures.vectors();
        assertThat(vectors).hasSize(18);
        for (JsonNode c : vectors) {
            assertThat(ours(c)).as(c.path("id").asText() + ": " + c.path("note").asText()).isEqualTo(twilio(c));
        }
    }

    @Test
    void weAgreeWithTwilioJavaSdkExceptWhereItCannotExpressTheRequest() throws Exception {
        for (JsonNode c : Fixtures.vectors()) {
            String id = c.path("id").asText();
            RequestValidator sdk = new RequestValidator(c.path("authToken").asText());
            boolean sdkSays;
            if ("application/json".equals(c.path("contentType").asText())) {
                sdkSays = sdk.validate(c.path("url").asText(), c.path("bodyJson").asText(),
                        c.path("expectedSignature").asText());
            } else {
                Map<String, String> params = new HashMap<>();
                Fixtures.params(c).forEach(p -> params.put(p.getKey(), p.getValue()));
                sdkSays = sdk.validate(c.path("url").asText(), params, c.path("expectedSignature").asText());
            }
            assertThat(sdkSays).as(id + ": the recorded SDK verdict").isEqualTo(c.path("validByTwilioSDK").asBoolean());
            if (JAVA_SDK_CANNOT.contains(id)) {
                assertThat(ours(c)).as(id + ": Twilio signed it, the Java SDK cannot tell").isTrue();
                assertThat(sdkSays).as(id).isFalse();
            } else {
                assertThat(ours(c)).as(id + " agrees with the Java SDK").isEqualTo(sdkSays);
            }
        }
    }

    @Test
    void everyExampleWebhookBodyIsAuthentic() throws Exception {
        String token = Fixtures.authToken();
        for (JsonNode f : Fixtures.examples()) {
            byte[] body = Fixtures.bytes("sms-webhook-examples/" + f.path("file").asText());
            FormBody form = FormBody.parse(body);
            assertThat(TwilioSignature.isValid(token.getBytes(StandardCharsets.UTF_8), f.path("url").asText(),
                    form.pairs(), f.path("signature").asText())).as(f.path("file").asText()).isTrue();
            // Another URL (a status callback's body posted to the message webhook) is not.
            assertThat(TwilioSignature.isValid(token.getBytes(StandardCharsets.UTF_8), f.path("url").asText() + "x",
                    form.pairs(), f.path("signature").asText())).isFalse();
        }
    }

    /** Random requests signed by us verify in Twilio's SDK, and a changed byte anywhere does not. */
    @Test
    void ourSignaturesVerifyInTwilioSdkAndTamperingIsCaught() {
        Random random = new Random(20241122);
        String[] urls = {"https://hub.example.com/webhooks/twilio/t1", "https://hub.example.com:8443/x/webhooks/twilio/t1",
            "http://127.0.0.1:18181/webhooks/twilio/t1?messageId=o-1&interactionId=i-2"};
        String alphabet = "abcXYZ019 +&=%/?#_-.~こんにちは予約🙏\u00e9\"'<>";
        for (int round = 0; round < 300; round++) {
            String token = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
            String url = urls[random.nextInt(urls.length)];
            Map<String, String> params = new TreeMap<>();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                params.put(word(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 1 + random.nextInt(12)),
                        word(random, alphabet, random.nextInt(20)));
            }
            List<Map.Entry<String, String>> pairs = new ArrayList<>(params.entrySet());
            java.util.Collections.shuffle(pairs, random);
            String signature = TwilioSignature.sign(token.getBytes(StandardCharsets.UTF_8), url, pairs);
            assertThat(new RequestValidator(token).validate(url, params, signature)).as("round " + round).isTrue();
            assertThat(TwilioSignature.isValid(token.getBytes(StandardCharsets.UTF_8), url, pairs, signature)).isTrue();
            assertThat(TwilioSignature.isValid(token.getBytes(StandardCharsets.UTF_8), url + "&", pairs, signature))
                    .isFalse();
            if (!pairs.isEmpty()) {
                List<Map.Entry<String, String>> changed = new ArrayList<>(pairs);
                Map.Entry<String, String> first = changed.get(0);
                changed.set(0, Map.entry(first.getKey(), first.getValue() + "x"));
                assertThat(TwilioSignature.isValid(token.getBytes(StandardCharsets.UTF_8), url, changed, signature))
                        .isFalse();
            }
            assertThat(TwilioSignature.isValid((token + "0").getBytes(StandardCharsets.UTF_8), url, pairs, signature))
                    .isFalse();
        }
    }

    private static String word(Random random, String alphabet, int length) {
        int[] cps = alphabet.codePoints().toArray();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.appendCodePoint(cps[random.nextInt(cps.length)]);
        }
        return b.toString();
    }

    @Test
    void candidatesToggleThePortAsTheSdksDo() {
        assertThat(TwilioSignature.candidates("https://h.example/p?q=1"))
                .containsExactly("https://h.example/p?q=1", "https://h.example:443/p?q=1");
        assertThat(TwilioSignature.candidates("http://h.example/p"))
                .containsExactly("http://h.example/p", "http://h.example:80/p");
        assertThat(TwilioSignature.candidates("https://h.example:443/p"))
                .containsExactly("https://h.example:443/p", "https://h.example/p");
        assertThat(TwilioSignature.candidates("https://h.example:8443/p?u=%E5%B1%B1"))
                .containsExactly("https://h.example:8443/p?u=%E5%B1%B1", "https://h.example/p?u=%E5%B1%B1");
        assertThat(TwilioSignature.candidates("http://[::1]:8080/w"))
                .containsExactly("http://[::1]:8080/w", "http://[::1]/w");
        assertThat(TwilioSignature.candidates("https://h.example"))
                .containsExactly("https://h.example", "https://h.example:443");
    }

    @Test
    void aJsonBodyMustMatchItsHashAndTheHashMustBeInTheSignedUrl() {
        JsonNode t16 = Fixtures.vectors().stream().filter(c -> c.path("id").asText().equals("T16")).findFirst().get();
        byte[] token = t16.path("authToken").asText().getBytes(StandardCharsets.UTF_8);
        byte[] body = t16.path("bodyJson").asText().getBytes(StandardCharsets.UTF_8);
        String url = t16.path("url").asText();
        String hash = TwilioSignature.sha256Hex(body);
        String signature = t16.path("expectedSignature").asText();
        assertThat(TwilioSignature.isValidJson(token, url, hash, body, signature)).isTrue();
        assertThat(TwilioSignature.isValidJson(token, url, hash.toUpperCase(), body, signature)).isTrue();
        assertThat(TwilioSignature.isValidJson(token, url, null, body, signature)).as("no bodySHA256").isFalse();
        byte[] other = (t16.path("bodyJson").asText() + " ").getBytes(StandardCharsets.UTF_8);
        assertThat(TwilioSignature.isValidJson(token, url, hash, other, signature)).as("changed body").isFalse();
    }
}
