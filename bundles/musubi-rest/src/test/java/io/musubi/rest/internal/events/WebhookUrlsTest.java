package io.musubi.rest.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookUrlsTest {

    @Test
    void httpsIsAcceptedAndAnythingElseNeedsTheLoopbackFlag() {
        assertThat(WebhookUrls.problem("https://crm.example.com:8443/hooks?x=1", false)).isNull();
        assertThat(WebhookUrls.problem("HTTPS://crm.example.com/", false)).isNull();
        assertThat(WebhookUrls.problem("http://127.0.0.1:8080/h", true)).isNull();
        assertThat(WebhookUrls.problem("http://127.9.9.9/h", true)).isNull();
        assertThat(WebhookUrls.problem("http://[::1]:8080/h", true)).isNull();
        assertThat(WebhookUrls.problem("http://localhost/h", true)).isNull();
        assertThat(WebhookUrls.problem("http://127.0.0.1:8080/h", false)).contains("not enabled");
        assertThat(WebhookUrls.problem("http://10.0.0.1/h", true)).isEqualTo("url: https is required");
        assertThat(WebhookUrls.problem("http://127.0.0.1.example.com/h", true)).isEqualTo("url: https is required");
        assertThat(WebhookUrls.problem("ws://crm.example.com/h", true)).isEqualTo("url: https is required");
    }

    @Test
    void malformedOrRiskyUrlsAreRefused() {
        assertThat(WebhookUrls.problem(null, true)).isEqualTo("url is required");
        assertThat(WebhookUrls.problem("https://crm.example.com/a b", true)).isEqualTo("url: not a valid URL");
        assertThat(WebhookUrls.problem("https:///nohost", true)).startsWith("url: an absolute URL");
        assertThat(WebhookUrls.problem("https://u:p@crm.example.com/", true)).isEqualTo("url: must not carry credentials");
        assertThat(WebhookUrls.problem("https://crm.example.com/#x", true)).isEqualTo("url: must not have a fragment");
        assertThat(WebhookUrls.problem("https://crm.example.com/" + "a".repeat(2100), true)).startsWith("url: at most");
    }

    @Test
    void signatureIsHexHmacOfTimestampDotBodyAndSecretsAreRandom() {
        String secret = "whsec_test";
        String sig = WebhookSignature.header(secret, 1_700_000_000L, "{\"a\":1}");

        assertThat(sig).matches("v1=[0-9a-f]{64}");
        assertThat(WebhookSignature.header(secret, 1_700_000_001L, "{\"a\":1}")).isNotEqualTo(sig);
        assertThat(WebhookSignature.newSecret()).startsWith("whsec_").isNotEqualTo(WebhookSignature.newSecret());
    }
}
