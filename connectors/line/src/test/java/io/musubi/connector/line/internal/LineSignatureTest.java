package io.musubi.connector.line.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.bot.parser.LineSignatureValidator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * X-Line-Signature validation against every vector of the fixtures (computed with LINE's SDK 9.14.0), and against the
 * SDK itself as an independent party.
 */
class LineSignatureTest {

    static Stream<Arguments> vectors() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode c : Fixtures.vectors().path("cases")) {
            cases.add(Arguments.of(c.path("id").asText(), c.path("channelSecret").asText(),
                    Base64.getDecoder().decode(c.path("bodyBase64").asText()), c.path("signature").asText(),
                    c.path("valid").asBoolean(), c.path("note").asText()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: valid={4}")
    @MethodSource("vectors")
    void agreesWithEveryVector(String id, String secret, byte[] body, String signature, boolean valid, String note) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        assertThat(LineSignature.isValid(key, body, signature)).as(id + ": " + note).isEqualTo(valid);
        assertThat(sdkSays(key, body, signature)).as(id + " (LINE SDK)").isEqualTo(valid);
    }

    @Test
    void thereAreVectorsForEveryEdgeCaseOfTheReadme() {
        assertThat(vectors().count()).isGreaterThanOrEqualTo(17);
    }

    @Test
    void signsAsTheSdkDoesAndAcceptsItsOwnSignatureWithoutPadding() {
        byte[] key = Fixtures.utf8(Fixtures.SECRET);
        byte[] body = Fixtures.body("message-text.json");
        String ours = LineSignature.sign(key, body);
        assertThat(ours).isEqualTo(Base64.getEncoder().encodeToString(new LineSignatureValidator(key)
                .generateSignature(body)));
        assertThat(ours).isEqualTo(Fixtures.signature("message-text.json"));
        assertThat(LineSignature.isValid(key, body, ours.replace("=", ""))).isTrue();
    }

    @Test
    void aMissingOrUndecodableHeaderIsInvalidNeverAnException() {
        byte[] key = Fixtures.utf8(Fixtures.SECRET);
        byte[] body = Fixtures.body("follow.json");
        assertThat(LineSignature.isValid(key, body, null)).isFalse();
        assertThat(LineSignature.isValid(key, body, "")).isFalse();
        assertThat(LineSignature.isValid(key, body, "a b c")).isFalse();
        assertThat(LineSignature.isValid(key, body, "A")).isFalse();
        assertThat(LineSignature.isValid(key, body, "-_-_")).isFalse();
    }

    /** The SDK's verdict; it throws on undecodable Base64, which counts as invalid. */
    private static boolean sdkSays(byte[] key, byte[] body, String signature) {
        try {
            return new LineSignatureValidator(key).validateSignature(body, signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
