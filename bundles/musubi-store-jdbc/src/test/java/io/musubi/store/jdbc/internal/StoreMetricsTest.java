package io.musubi.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.api.HistogramSnapshot;
import io.musubi.api.MetricWriter;
import io.musubi.store.jdbc.TestDatabases;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StoreMetricsTest {

    @Test
    void everyCommitAndEveryH2FlushIsCounted() throws Exception {
        try (StoreDatabase store = StoreDatabase.open(TestDatabases.h2("metrics"), Clock.systemUTC(), "node-1")) {
            StoreMetrics metrics = new StoreMetrics(store);
            long before = collect(metrics).get("musubi_store_commit_seconds").count();
            JdbcIdempotencyRepository marks = new JdbcIdempotencyRepository(store);
            marks.markProcessed("acme", "line", "e-1");
            marks.markProcessed("acme", "line", "e-2");
            marks.markProcessed("acme", "line", "e-3");

            Map<String, HistogramSnapshot> after = collect(metrics);

            HistogramSnapshot commits = after.get("musubi_store_commit_seconds");
            assertThat(commits.count()).isEqualTo(before + 3);
            long[] buckets = commits.cumulativeCounts();
            assertThat(buckets[buckets.length - 1]).isLessThanOrEqualTo(commits.count());
            assertThat(commits.sum()).isPositive();
            assertThat(after.get("musubi_store_flush_seconds").count()).isPositive();
        }
    }

    private static Map<String, HistogramSnapshot> collect(StoreMetrics metrics) {
        Map<String, HistogramSnapshot> out = new HashMap<>();
        metrics.collect(new MetricWriter() {
            @Override
            public void counter(String name, String help, Map<String, String> labels, double value) {
                throw new AssertionError("no counters expected: " + name);
            }

            @Override
            public void gauge(String name, String help, Map<String, String> labels, double value) {
                throw new AssertionError("no gauges expected: " + name);
            }

            @Override
            public void histogram(String name, String help, Map<String, String> labels, HistogramSnapshot h) {
                assertThat(labels).containsEntry("database", "h2");
                out.put(name, h);
            }
        });
        return out;
    }
}
