package io.musubi.api;

import java.time.Duration;
import java.util.Arrays;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A latency distribution for the metrics endpoint, recorded with HdrHistogram: recording is wait-free and never
 * blocks the path it measures (HdrHistogram's {@link Recorder}); a {@link #snapshot()} adds what was recorded since
 * the last one to the running total and reads Prometheus buckets from it. Values are kept in microseconds with two
 * significant digits (a value within 1 % of a bucket bound may be counted in the bucket next to it), any size (the
 * range grows as needed; about 25 KB per histogram up to an hour); negative durations (clocks of two machines) count
 * as zero. Thread-safe.
 */
public final class LatencyHistogram {

    /** Bucket upper bounds in seconds fit for request and commit latencies: 0.5 ms to 10 s. */
    public static final double[] FAST_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
        2.5, 5, 10};
    /** Bucket upper bounds in seconds fit for waits that include people (a contact waiting for an agent): 1 ms to 1 h. */
    public static final double[] WAIT_BOUNDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20,
        30, 60, 120, 300, 600, 1800, 3600};

    /** Significant digits HdrHistogram keeps: 1 % precision, enough for buckets, and small. */
    private static final int DIGITS = 2;

    private final double[] bounds;
    private final long[] boundsMicros;
    private final Recorder recorder = new Recorder(DIGITS);
    /** Everything recorded up to the last snapshot; guarded by this. */
    private final Histogram total = new Histogram(DIGITS);
    /** Recycled interval histogram; guarded by this. */
    private Histogram interval;

    /** @param upperBounds bucket upper bounds in seconds, strictly increasing, at least one microsecond */
    public LatencyHistogram(double... upperBounds) {
        this.bounds = upperBounds.clone();
        this.boundsMicros = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            if (!(bounds[i] >= 1e-6) || !Double.isFinite(bounds[i]) || i > 0 && bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException("bounds must be increasing, finite and at least 1 µs: "
                        + Arrays.toString(upperBounds));
            }
            boundsMicros[i] = Math.round(bounds[i] * 1_000_000);
        }
    }

    public void record(Duration latency) {
        recordNanos(latency.toNanos());
    }

    public void recordNanos(long nanos) {
        recorder.recordValue(Math.max(0, nanos / 1_000));
    }

    public void recordMillis(long millis) {
        recorder.recordValue(Math.max(0, millis) * 1_000);
    }

    /** Everything recorded so far, as cumulative buckets in seconds. */
    public synchronized HistogramSnapshot snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        long count = total.getTotalCount();
        long[] cumulative = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            cumulative[i] = count == 0 ? 0 : Math.min(count, total.getCountBetweenValues(0, boundsMicros[i]));
        }
        double sumSeconds = count == 0 ? 0 : total.getMean() * count / 1_000_000.0;
        return new HistogramSnapshot(bounds, cumulative, count, sumSeconds);
    }
}
