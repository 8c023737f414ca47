package io.musubi.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.api.Health;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class KitTest {

    @Test
    void webhookHeadersAreLookedUpInAnyCaseAndTheBodyNeverPrinted() {
        WebhookRequest r = new WebhookRequest("POST", "/webhooks/line/line.main", "a=1",
                Map.of("X-Line-Signature", List.of("sig=="), "content-type", List.of("application/json; charset=UTF-8")),
                "{\"secret\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.header("x-line-signature")).contains("sig==");
        assertThat(r.header("X-LINE-SIGNATURE")).contains("sig==");
        assertThat(r.header("X-Missing")).isEmpty();
        assertThat(r.mediaType()).isEqualTo("application/json");
        assertThat(r.toString()).doesNotContain("secret").doesNotContain("sig==");
    }

    @Test
    void formAndQueryParametersAreDecodedAsUtf8KeepingTheFirstOfARepeatedName() {
        WebhookRequest r = new WebhookRequest("POST", "/webhooks/twilio/sms", "m=o-1&m=o-2&x",
                Map.of("Content-Type", List.of("application/x-www-form-urlencoded")),
                "Body=%E3%81%93%E3%82%93%E3%81%AB%E3%81%A1%E3%81%AF+world&From=%2B819012345678&Empty="
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(r.formParameters()).containsExactly(Map.entry("Body", "こんにちは world"),
                Map.entry("From", "+819012345678"), Map.entry("Empty", ""));
        assertThat(r.queryParameters()).containsExactly(Map.entry("m", "o-1"), Map.entry("x", ""));
    }

    @Test
    void rejectionsMapMissingTo401AndBadTo403() {
        assertThat(WebhookRejectedException.missingSignature("no signature").httpStatus()).isEqualTo(401);
        assertThat(WebhookRejectedException.badSignature("bad signature").httpStatus()).isEqualTo(403);
    }

    @Test
    void backoffDoublesWithJitterUpToTheMaximumAndResets() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(800));
        long[] upper = {100, 200, 400, 800, 800};
        for (long u : upper) {
            long d = b.nextDelay().toMillis();
            assertThat(d).isBetween(u / 2, u);
        }
        assertThat(b.attempts()).isEqualTo(5);
        b.reset();
        assertThat(b.attempts()).isZero();
        assertThat(b.nextDelay().toMillis()).isBetween(50L, 100L);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectorStatusReportsItsStateAndCounters() {
        ConnectorStatus s = new ConnectorStatus();
        assertThat(s.health().status()).isEqualTo(Health.Status.DOWN);
        s.up("connected");
        s.increment(ConnectorStatus.RECEIVED);
        s.increment(ConnectorStatus.RECEIVED);
        s.increment(ConnectorStatus.MALFORMED);
        Health h = s.health();
        assertThat(h.status()).isEqualTo(Health.Status.UP);
        assertThat(h.detail()).isEqualTo("connected");
        assertThat(h.details()).containsEntry("received", "2").containsEntry("malformed", "1");
        s.degraded("reconnecting (attempt 3)");
        assertThat(s.health().status()).isEqualTo(Health.Status.DEGRADED);
    }

    @Test
    void deliveryStatusWireNamesAreLowerCase() {
        assertThat(DeliveryStatus.UNDELIVERED.wireName()).isEqualTo("undelivered");
        assertThat(DeliveryStatus.ofWireName(" Delivered ")).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void liveSignalsCheckTheirTypeAndSizeAndNeverPrintTheirData() {
        LiveSignal s = new LiveSignal("rtc.offer", null, "{\"sdp\":\"v=0 secret-ish\"}");
        assertThat(s.interactionId()).isEmpty();
        assertThat(s.concerns("i-1")).isTrue();
        LiveSignal tied = s.forInteraction("i-1");
        assertThat(tied.concerns("i-1")).isTrue();
        assertThat(tied.concerns("i-2")).isFalse();
        assertThat(tied.toString()).doesNotContain("v=0");
        assertThat(new LiveSignal("typing", "", " ").data()).isEqualTo("{}");
        assertThatThrownBy(() -> new LiveSignal("RTC", "", "{}")).hasMessageContaining("signal type");
        assertThatThrownBy(() -> new LiveSignal("typing", "a b", "{}")).hasMessageContaining("interactionId");
        assertThatThrownBy(() -> new LiveSignal("typing", "", "x".repeat(LiveSignal.MAX_DATA + 1)))
                .hasMessageContaining("longer than");
    }
}
