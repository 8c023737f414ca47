package io.musubi.rest.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.api.HistogramSnapshot;
import io.musubi.api.LatencyHistogram;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void eachMetricHasOneHelpAndTypeLineBeforeItsSamplesAndSourcesShareMetrics() {
        PrometheusText out = new PrometheusText();
        out.counter("musubi_ingress_events_total", "Events by outcome", Map.of("outcome", "processed"), 3);
        out.gauge("musubi_acd_queue_waiting", "Waiting", Map.of("tenant", "acme", "queue", "support"), 2);
        // a second source writes another series of the same metric
        out.counter("musubi_ingress_events_total", "ignored: the first help stands", Map.of("outcome", "duplicate"), 1);

        String text = out.text();

        assertThat(text).isEqualTo("""
                # HELP musubi_acd_queue_waiting Waiting
                # TYPE musubi_acd_queue_waiting gauge
                musubi_acd_queue_waiting{queue="support",tenant="acme"} 2
                # HELP musubi_ingress_events_total Events by outcome
                # TYPE musubi_ingress_events_total counter
                musubi_ingress_events_total{outcome="processed"} 3
                musubi_ingress_events_total{outcome="duplicate"} 1
                """);
        Map<String, Exposition.Metric> parsed = Exposition.parse(text);
        assertThat(parsed.get("musubi_ingress_events_total").type()).isEqualTo("counter");
        assertThat(parsed.get("musubi_ingress_events_total").samples()).hasSize(2);
    }

    @Test
    void labelValuesAndHelpAreEscapedAsTheFormatSays() {
        PrometheusText out = new PrometheusText();
        String nasty = "a\\b \"quoted\"\nline2 {x=\"y\"} 日本";
        out.gauge("musubi_test", "help with \\ and\nnewline \"quotes stay\"", Map.of("queue", nasty), 1);

        String text = out.text();

        assertThat(text).contains("# HELP musubi_test help with \\\\ and\\nnewline \"quotes stay\"\n");
        assertThat(text).contains("musubi_test{queue=\"a\\\\b \\\"quoted\\\"\\nline2 {x=\\\"y\\\"} 日本\"} 1\n");
        assertThat(text.lines()).hasSize(3); // no raw line feed leaked into a line
        Exposition.Metric m = Exposition.parse(text).get("musubi_test");
        assertThat(m.help()).isEqualTo("help with \\ and\nnewline \"quotes stay\"");
        assertThat(m.samples().get(0).labels()).containsEntry("queue", nasty);
    }

    @Test
    void histogramBucketsAreCumulativeWithInfEqualToTheCount() {
        LatencyHistogram latency = new LatencyHistogram(0.01, 0.1, 1);
        latency.recordMillis(5);
        latency.recordMillis(50);
        latency.recordMillis(60);
        latency.recordMillis(5_000);
        PrometheusText out = new PrometheusText();
        out.histogram("musubi_acd_offer_latency_seconds", "Arrival to offer", Map.of("channel", "LINE"),
                latency.snapshot());

        String text = out.text();

        assertThat(text).startsWith("""
                # HELP musubi_acd_offer_latency_seconds Arrival to offer
                # TYPE musubi_acd_offer_latency_seconds histogram
                musubi_acd_offer_latency_seconds_bucket{channel="LINE",le="0.01"} 1
                musubi_acd_offer_latency_seconds_bucket{channel="LINE",le="0.1"} 3
                musubi_acd_offer_latency_seconds_bucket{channel="LINE",le="1"} 3
                musubi_acd_offer_latency_seconds_bucket{channel="LINE",le="+Inf"} 4
                musubi_acd_offer_latency_seconds_sum{channel="LINE"} """);
        assertThat(text).endsWith("musubi_acd_offer_latency_seconds_count{channel=\"LINE\"} 4\n");
        List<Exposition.Sample> samples = Exposition.parse(text).get("musubi_acd_offer_latency_seconds").samples();
        double previous = 0;
        for (Exposition.Sample s : samples.subList(0, 4)) {
            assertThat(s.name()).endsWith("_bucket");
            assertThat(s.value()).isGreaterThanOrEqualTo(previous);
            previous = s.value();
        }
        assertThat(samples.get(3).labels()).containsEntry("le", "+Inf");
        assertThat(samples.get(3).value()).isEqualTo(samples.get(5).value()); // +Inf = _count
        assertThat(samples.get(4).name()).endsWith("_sum");
        assertThat(samples.get(4).value()).isCloseTo(5.115, org.assertj.core.data.Offset.offset(0.06));
    }

    @Test
    void valuesAreWrittenSoPrometheusReadsThem() {
        assertThat(PrometheusText.number(3)).isEqualTo("3");
        assertThat(PrometheusText.number(0.25)).isEqualTo("0.25");
        assertThat(PrometheusText.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PrometheusText.number(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusText.number(1e20)).isEqualTo("1.0E20");
    }

    @Test
    void badNamesLabelsTypesAndRepeatedSeriesAreRefusedAndLeaveTheOutputValid() {
        PrometheusText out = new PrometheusText();
        out.gauge("musubi_ok", "ok", Map.of("a", "1"), 1);
        HistogramSnapshot empty = new LatencyHistogram(0.1).snapshot();

        assertThatThrownBy(() -> out.gauge("musubi-bad", "", Map.of(), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> out.gauge("musubi_x", "", Map.of("bad-label", "v"), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> out.gauge("musubi_x", "", Map.of("__reserved", "v"), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> out.counter("musubi_requests", "", Map.of(), 1))
                .hasMessageContaining("_total");
        assertThatThrownBy(() -> out.counter("musubi_ok_total", "", Map.of(), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> out.gauge("musubi_ok", "", Map.of("a", "1"), 2)).hasMessageContaining("already");
        assertThatThrownBy(() -> out.histogram("musubi_h", "", Map.of("le", "1"), empty))
                .isInstanceOf(IllegalArgumentException.class);
        out.histogram("musubi_h", "", Map.of(), empty);
        assertThatThrownBy(() -> out.gauge("musubi_h_count", "", Map.of(), 1)).hasMessageContaining("already");
        assertThatThrownBy(() -> out.gauge("musubi_h", "", Map.of("b", "2"), 1)).hasMessageContaining("histogram");

        Map<String, Exposition.Metric> parsed = Exposition.parse(out.text());
        assertThat(parsed.keySet()).containsExactly("musubi_h", "musubi_ok");
        assertThat(parsed.get("musubi_ok").samples()).hasSize(1);
    }
}
