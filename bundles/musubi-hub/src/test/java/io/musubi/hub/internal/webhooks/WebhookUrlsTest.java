package io.musubi.hub.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.api.OutboundAddressPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookUrlsTest {

    /** Loopback allow-listed (so the scheme rules can be seen on their own), names from the test DNS. */
    private static final OutboundAddressPolicy LOOPBACK_ALLOWED = OutboundAddressPolicy
            .allowing("127.0.0.0/8, ::1").withResolver(new TestDns());
    private static final OutboundAddressPolicy PUBLIC_ONLY = OutboundAddressPolicy.publicOnly()
            .withResolver(new TestDns().answer("rebind.example.com", TestDns.PUBLIC, "10.0.0.7")
                    .answer("metadata.example.com", "169.254.169.254"));

    private static String problem(String url, boolean allowHttpLoopback) {
        return WebhookUrls.problem(url, allowHttpLoopback, LOOPBACK_ALLOWED);
    }

    @Test
    void httpsIsAcceptedAndAnythingElseNeedsTheLoopbackFlag() {
        assertThat(problem("https://crm.example.com:8443/hooks?x=1", false)).isNull();
        assertThat(problem("HTTPS://crm.example.com/", false)).isNull();
        assertThat(problem("http://127.0.0.1:8080/h", true)).isNull();
        assertThat(problem("http://127.9.9.9/h", true)).isNull();
        assertThat(problem("http://[::1]:8080/h", true)).isNull();
        assertThat(problem("http://localhost/h", true)).isNull();
        assertThat(problem("http://127.0.0.1:8080/h", false)).contains("not enabled");
        assertThat(problem("http://10.0.0.1/h", true)).isEqualTo("url: https is required");
        assertThat(problem("http://127.0.0.1.example.com/h", true)).isEqualTo("url: https is required");
        assertThat(problem("ws://crm.example.com/h", true)).isEqualTo("url: https is required");
    }

    @Test
    void malformedOrRiskyUrlsAreRefused() {
        assertThat(problem(null, true)).isEqualTo("url is required");
        assertThat(problem("https://crm.example.com/a b", true)).isEqualTo("url: not a valid URL");
        assertThat(problem("https:///nohost", true)).startsWith("url: an absolute URL");
        assertThat(problem("https://u:p@crm.example.com/", true)).isEqualTo("url: must not carry credentials");
        assertThat(problem("https://crm.example.com/#x", true)).isEqualTo("url: must not have a fragment");
        assertThat(problem("https://crm.example.com/" + "a".repeat(2100), true)).startsWith("url: at most");
    }

    @Test
    void internalAndUnresolvableTargetsAreRefusedWithOneAnswer() {
        for (String url : List.of("https://127.0.0.1:9", "https://[::1]/", "http://169.254.169.254/",
                "https://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "https://10.0.0.1/",
                "https://localhost./", "https://localhost/", "https://[::ffff:127.0.0.1]/", "https://[::ffff:a00:1]/",
                "https://0.0.0.0/", "https://100.64.0.1/", "https://172.16.0.1/", "https://192.168.1.1/",
                "https://[fd00::1]/", "https://[fe80::1]/", "https://[64:ff9b::7f00:1]/", "https://224.0.0.1/",
                "https://rebind.example.com/", "https://metadata.example.com/", "https://no-such-host.example/")) {
            String problem = WebhookUrls.problem(url, true, PUBLIC_ONLY);
            assertThat(problem).as(url).isEqualTo(url.startsWith("http:") ? "url: https is required"
                    : WebhookUrls.TARGET_NOT_ALLOWED);
        }
        assertThat(WebhookUrls.problem("https://crm.example.com/hooks", false, PUBLIC_ONLY)).isNull();
        assertThat(WebhookUrls.problem("https://8.8.8.8/hooks", false, PUBLIC_ONLY)).isNull();
        assertThat(WebhookUrls.problem("https://[2606:4700:4700::1111]/hooks", false, PUBLIC_ONLY)).isNull();
    }

    @Test
    void httpToLoopbackNeedsTheFlagAndTheAllowList() {
        assertThat(WebhookUrls.problem("http://127.0.0.1:8080/h", true, PUBLIC_ONLY))
                .isEqualTo(WebhookUrls.TARGET_NOT_ALLOWED);
        assertThat(WebhookUrls.problem("http://127.0.0.1:8080/h", true, LOOPBACK_ALLOWED)).isNull();
        assertThat(WebhookUrls.problem("http://127.0.0.1:8080/h", false, LOOPBACK_ALLOWED)).contains("not enabled");
        assertThat(WebhookUrls.problem("http://127.0.0.2:8080/h", true,
                OutboundAddressPolicy.allowing("127.0.0.1"))).isEqualTo(WebhookUrls.TARGET_NOT_ALLOWED);
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
