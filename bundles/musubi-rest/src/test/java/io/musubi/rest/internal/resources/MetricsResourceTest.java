package io.musubi.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.api.MetricWriter;
import io.musubi.rest.Role;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The metrics endpoint: the operator tenant's caller gets every source's samples in the text format (a failing source
 * left out and counted); a caller of another tenant is refused, since the metrics cover every tenant. (The roles —
 * {@code metrics} and {@code admin} only — are the security filter's: {@code MetricsIT} checks them on the
 * distribution.)
 */
class MetricsResourceTest {

    @Test
    void theOperatorTenantReadsEverySourceAndAFailingSourceIsLeftOutAndCounted() throws Exception {
        MetricsResource metrics = new MetricsResource("default");
        metrics.addSource(out -> out.gauge("musubi_test_depth", "a depth", Map.of("queue", "q\"1"), 7));
        metrics.addSource(out -> {
            throw new IllegalStateException("broken source");
        });
        metrics.addSource((MetricWriter out) -> out.counter("musubi_test_events_total", "events", Map.of(), 3));
        try (ResourceServer server = ResourceServer.start(metrics)) {
            HttpResponse<String> r = server.send("GET", "metrics", ResourceServer.caller("default", null,
                    Role.METRICS), null);

            assertThat(r.statusCode()).isEqualTo(200);
            // the exposition format's media type (Jersey may order its parameters differently)
            assertThat(r.headers().firstValue("Content-Type").orElse("").replace(" ", "").split(";"))
                    .containsExactlyInAnyOrder("text/plain", "version=0.0.4", "charset=utf-8");
            assertThat(r.body()).isEqualTo("""
                    # HELP musubi_metrics_source_failures Metric sources that failed in this scrape (see the log)
                    # TYPE musubi_metrics_source_failures gauge
                    musubi_metrics_source_failures 1
                    # HELP musubi_test_depth a depth
                    # TYPE musubi_test_depth gauge
                    musubi_test_depth{queue="q\\"1"} 7
                    # HELP musubi_test_events_total events
                    # TYPE musubi_test_events_total counter
                    musubi_test_events_total 3
                    """);
        }
    }

    @Test
    void anotherTenantsCallerIsRefusedWithAProblem() throws Exception {
        MetricsResource metrics = new MetricsResource("default");
        metrics.addSource(out -> out.gauge("musubi_acd_queue_waiting", "", Map.of("tenant", "default"), 1));
        try (ResourceServer server = ResourceServer.start(metrics)) {
            HttpResponse<String> r = server.send("GET", "metrics", ResourceServer.caller("acme", null, Role.ADMIN),
                    null);

            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(r.body()).doesNotContain("musubi_acd_queue_waiting");
        }
    }
}
