package io.musubi.connector.webchat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RtcServersTest {

    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1767222000L), ZoneOffset.UTC);

    @Test
    void turnCredentialsFollowCoturnsSharedSecretScheme() {
        // Expected value from: printf '%s' '1767225600:agent-v-AAAAAAAAAAAAAAAAAAAAAA'
        //   | openssl dgst -sha1 -hmac 'coturn-shared-secret-for-tests' -binary | base64
        RtcServers rtc = new RtcServers(new String[] {"stun:stun.example.jp:3478", " turn:turn.example.jp:3478 "},
                "coturn-shared-secret-for-tests".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1), CLOCK,
                new ObjectMapper());
        ObjectNode config = rtc.configuration("agent-v-AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(config.path("iceServers").get(0).path("urls").get(0).asText()).isEqualTo("stun:stun.example.jp:3478");
        assertThat(config.path("iceServers").get(0).has("credential")).isFalse();
        assertThat(config.path("iceServers").get(1).path("urls").get(0).asText()).isEqualTo("turn:turn.example.jp:3478");
        assertThat(config.path("iceServers").get(1).path("username").asText())
                .isEqualTo("1767225600:agent-v-AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(config.path("iceServers").get(1).path("credential").asText()).isEqualTo("aE4EZT0KqF9A+gPU31r5+c2hXUU=");
        assertThat(rtc.describe()).doesNotContain("coturn-shared-secret");
    }

    @Test
    void withoutServersThePeersUseHostCandidatesAndBadUrlsAreRefused() {
        RtcServers none = new RtcServers(new String[0], null, Duration.ofHours(1), CLOCK, new ObjectMapper());
        assertThat(none.configuration("v").path("iceServers")).isEmpty();
        assertThat(none.describe()).contains("host candidates");
        assertThatThrownBy(() -> new RtcServers(new String[] {"https://turn.example.jp"}, null, Duration.ofHours(1),
                CLOCK, new ObjectMapper())).hasMessageContaining("iceServers");
    }
}
