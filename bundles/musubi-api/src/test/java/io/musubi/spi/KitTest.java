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

    @Test
    void aProblemAnswerIsProblemJsonWithItsStatusTitleAndDetailEscaped() {
        WebhookResponse r = WebhookResponse.problem(503, "Service Unavailable",
                "media fetches could not be queued, retry later");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"about:blank\","
                + "\"title\":\"Service Unavailable\",\"status\":503,"
                + "\"detail\":\"media fetches could not be queued, retry later\"}");
        assertThat(new String(WebhookResponse.problem(400, "Bad \"Request\"", "a\\b\n").body(),
                StandardCharsets.UTF_8)).contains("\"title\":\"Bad \\\"Request\\\"\"", "\"detail\":\"a\\\\b\\u000a\"");
    }

    @Test
    void aWebhookWithoutSignatureIs401AndWithoutKey403WithHealthDownAndBothCounted() {
        ConnectorStatus status = new ConnectorStatus();
        WebhookRequest unsigned = new WebhookRequest("POST", "/webhooks/x/x.1", "", Map.of("X-Sig", List.of("  ")),
                new byte[0]);
        assertThatThrownBy(() -> WebhookSignature.presented(unsigned, "X-Sig", status))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.httpStatus()).isEqualTo(401))
                .hasMessage("no X-Sig header");
        WebhookRequest signed = new WebhookRequest("POST", "/webhooks/x/x.1", "", Map.of("x-sig", List.of(" s1g ")),
                new byte[0]);
        assertThat(WebhookSignature.presented(signed, "X-Sig", status)).isEqualTo("s1g");

        SecretSource none = SecretSource.of("channelSecret", "", "UNSET", java.nio.file.Path.of("."),
                Map.<String, String>of()::get);
        assertThatThrownBy(() -> WebhookSignature.key(none, "channel secret", status))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.httpStatus()).isEqualTo(403))
                .hasMessage("the channel secret is not available");
        assertThat(status.health().status()).isEqualTo(Health.Status.DOWN);
        assertThat(status.health().detail())
                .isEqualTo("channel secret not available: environment variable UNSET is not set");
        assertThat(status.count(ConnectorStatus.REJECTED)).isEqualTo(2);
        SecretSource set = SecretSource.of("authToken", "", "T", java.nio.file.Path.of("."), Map.of("T", "k3y")::get);
        assertThat(WebhookSignature.key(set, "auth token", status)).isEqualTo("k3y".getBytes(StandardCharsets.UTF_8));
    }
}
