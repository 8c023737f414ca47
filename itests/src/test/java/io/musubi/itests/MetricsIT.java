package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * {@code GET /api/v1/metrics} on the distribution: Prometheus' bearer token with the {@code metrics} role reads it,
 * other roles and no credentials are refused (problem+json); the ingress counters move with inbound events (a
 * duplicate counted as such), the ACD's waiting gauge equals {@code GET /queues/{id}/stats}, an offer lands in the
 * arrival → offer histogram, and the store, broker and connector metrics are there. The body is parsed strictly
 * (promtool is not installed here).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class MetricsIT extends MusubiTestSupport {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    @Test
    public void prometheusReadsTheHubsMetricsWithAMetricsKeyOnly() throws Exception {
        ApiClient admin = adminClient();
        ApiClient prometheus = admin.as(newKey(admin, "metrics", null));
        ApiClient vendor = admin.as(newKey(admin, "integration", null));

        HttpResponse<String> anonymous = new ApiClient(HTTP_PORT, null).call("GET", "/metrics", null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        HttpResponse<String> wrongRole = vendor.call("GET", "/metrics", null);
        assertEquals(403, wrongRole.statusCode());
        assertTrue(wrongRole.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        // The metrics key reads nothing else.
        assertEquals(403, prometheus.call("GET", "/queues", null).statusCode());

        HttpResponse<String> first = prometheus.call("GET", "/metrics", null, "Accept",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertEquals(first.body(), 200, first.statusCode());
        assertEquals("the exposition format's media type", java.util.Set.of("text/plain", "version=0.0.4",
                "charset=utf-8"), java.util.Set.of(first.headers().firstValue("Content-Type").orElse("")
                .toLowerCase(java.util.Locale.ROOT).replace(" ", "").split(";")));
        Map<String, Double> before = parse(first.body());
        assertEquals(200, admin.call("GET", "/metrics", null).statusCode());

        // Inbound events through the demo connector and the durable ingress: three new, one repeat.
        Path inbox = Path.of(System.getProperty("karaf.data"), "demo", "inbox");
        String run = "metrics-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            PacedFileWriter.drop(inbox, run + "-" + i, "metrics " + i);
        }
        await("three events processed", Duration.ofSeconds(60), () -> value(prometheus,
                "musubi_ingress_events_total{outcome=processed}") >= count(before,
                "musubi_ingress_events_total{outcome=processed}") + 3);
        await("the first file consumed", Duration.ofSeconds(30), () -> !Files.exists(inbox.resolve(run + "-0.txt")));
        PacedFileWriter.drop(inbox, run + "-0", "metrics 0 again");
        await("the repeat counted as a duplicate", Duration.ofSeconds(60), () -> value(prometheus,
                "musubi_ingress_events_total{outcome=duplicate}") >= count(before,
                "musubi_ingress_events_total{outcome=duplicate}") + 1);

        // A queue only its own agent serves: two interactions wait there.
        admin.expect(201, "PUT", "/agents/metrics-alice", "{\"name\":\"Alice\",\"capacities\":{\"WEBCHAT\":1}}");
        admin.expect(201, "PUT", "/queues/metrics-q",
                "{\"name\":\"Metrics\",\"channels\":[\"WEBCHAT\"],\"members\":[\"metrics-alice\"],\"priority\":1000}");
        String a = vendor.expect(201, "POST", "/interactions",
                "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:metrics-1\",\"queueId\":\"metrics-q\",\"text\":\"one\"}").path("id").asText();
        String b = vendor.expect(201, "POST", "/interactions",
                "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:metrics-2\",\"queueId\":\"metrics-q\",\"text\":\"two\"}").path("id").asText();
        String waiting = "musubi_acd_queue_waiting{queue=metrics-q,tenant=default}";
        Map<String, Double> now = parse(prometheus.text("/metrics"));
        JsonNode stats = admin.expect(200, "GET", "/queues/metrics-q/stats", null);
        assertEquals(2, stats.path("waiting").asInt());
        assertEquals(stats.path("waiting").asDouble(), count(now, waiting), 0.0);
        assertTrue(now.containsKey("musubi_acd_queue_longest_wait_seconds{queue=metrics-q,tenant=default}"));
        assertTrue(now.containsKey("musubi_acd_agents{state=OFFLINE,tenant=default}"));

        // The agent logs in: the first interaction is offered, and its arrival → offer time is recorded.
        double offersBefore = now.getOrDefault("musubi_acd_offer_latency_seconds_count{channel=WEBCHAT}", 0.0);
        // Every agent serves the default queue (no member list): nothing may wait there, or it could be offered first.
        endWhatWaitsInTheDefaultQueue(admin);
        admin.expect(200, "PUT", "/agents/metrics-alice/presence", "{\"state\":\"AVAILABLE\"}");
        await("the offer timed", Duration.ofSeconds(30), () -> value(prometheus,
                "musubi_acd_offer_latency_seconds_count{channel=WEBCHAT}") >= offersBefore + 1);
        Map<String, Double> after = parse(prometheus.text("/metrics"));
        assertEquals(1, count(after, waiting), 0.0);
        assertEquals(admin.expect(200, "GET", "/queues/metrics-q/stats", null).path("waiting").asDouble(),
                count(after, waiting), 0.0);
        assertEquals("+Inf bucket = count", count(after, "musubi_acd_offer_latency_seconds_count{channel=WEBCHAT}"),
                count(after, "musubi_acd_offer_latency_seconds_bucket{channel=WEBCHAT,le=+Inf}"), 0.0);
        assertTrue(count(after, "musubi_store_commit_seconds_count{database=h2}") > 0);
        assertTrue(after.containsKey("musubi_broker_queue_messages{queue=musubi.ingress}"));
        assertTrue(after.containsKey("musubi_broker_queue_messages{queue=musubi.dlq}"));
        assertTrue(count(after, "musubi_connector_events_total{connector=demo,counter=received,type=demo}")
                >= 4);
        assertEquals(2, count(after, "musubi_connector_health{channel=WEBCHAT,connector=demo,type=demo}"), 0.0);
        assertEquals(0, count(after, "musubi_metrics_source_failures"), 0.0);

        admin.expect(200, "PUT", "/agents/metrics-alice/presence", "{\"state\":\"OFFLINE\"}");
        admin.call("POST", "/interactions/" + a + "/end", "{}");
        admin.call("POST", "/interactions/" + b + "/end", "{}");
    }

    private static double count(Map<String, Double> samples, String key) {
        Double v = samples.get(key);
        if (v == null) {
            throw new AssertionError("no sample " + key + " in " + samples.keySet());
        }
        return v;
    }

    private static double value(ApiClient prometheus, String key) {
        try {
            return parse(prometheus.text("/metrics")).getOrDefault(key, -1.0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Samples keyed {@code name{label=value,...}} (labels in name order, values unescaped), after checking every line:
     * HELP then TYPE once per metric before its samples, samples that belong to the last TYPE, numbers that parse.
     */
    static Map<String, Double> parse(String text) {
        assertTrue("ends with a line feed", text.endsWith("\n"));
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        String helped = null;
        String current = null;
        String currentType = null;
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            if (line.startsWith("# HELP ")) {
                helped = line.split(" ", 4)[2];
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertEquals(line, 4, parts.length);
                assertEquals("HELP before TYPE: " + line, helped, parts[2]);
                assertTrue("one TYPE per metric: " + line, types.put(parts[2], parts[3]) == null);
                assertTrue(line, parts[3].matches("counter|gauge|histogram"));
                current = parts[2];
                currentType = parts[3];
            } else {
                Matcher m = SAMPLE.matcher(line);
                assertTrue("a sample line: " + line, m.matches());
                String name = m.group(1);
                boolean belongs = "histogram".equals(currentType)
                        ? name.equals(current + "_bucket") || name.equals(current + "_sum")
                        || name.equals(current + "_count") : name.equals(current);
                assertTrue("sample of the metric above it: " + line, belongs);
                Map<String, String> labels = new TreeMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    int at = 0;
                    while (l.find() && l.start() == at) {
                        labels.put(l.group(1), l.group(2).replace("\\n", "\n").replace("\\\"", "\"")
                                .replace("\\\\", "\\"));
                        at = l.end();
                    }
                    assertEquals("labels parse: " + line, m.group(3).length(), at);
                }
                String v = m.group(4);
                double value = switch (v) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN" -> Double.NaN;
                    default -> Double.parseDouble(v);
                };
                String key = name + (labels.isEmpty() ? "" : labels.toString().replace(", ", ","));
                assertTrue("one sample per series: " + line, out.put(key, value) == null);
            }
        }
        return out;
    }
}
