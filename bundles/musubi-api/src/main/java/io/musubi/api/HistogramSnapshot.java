package io.musubi.api;

import java.util.Arrays;

/**
 * A histogram as Prometheus exposes it: for each upper bound, how many observations were at most that bound
 * (cumulative), plus how many there were in all (the {@code +Inf} bucket) and their sum.
 *
 * @param upperBounds      bucket upper bounds, strictly increasing, finite
 * @param cumulativeCounts observations at most each bound: as many as bounds, never decreasing, at most {@code count}
 * @param count            all observations
 * @param sum              the sum of all observations
 */
public record HistogramSnapshot(double[] upperBounds, long[] cumulativeCounts, long count, double sum) {

    public HistogramSnapshot {
        if (upperBounds.length != cumulativeCounts.length) {
            throw new IllegalArgumentException("one count per bound");
        }
        for (int i = 0; i < upperBounds.length; i++) {
            if (!Double.isFinite(upperBounds[i]) || i > 0 && upperBounds[i] <= upperBounds[i - 1]) {
                throw new IllegalArgumentException("bounds must be finite and increasing");
            }
            if (cumulativeCounts[i] < 0 || i > 0 && cumulativeCounts[i] < cumulativeCounts[i - 1]
                    || cumulativeCounts[i] > count) {
                throw new IllegalArgumentException("counts must be cumulative and at most the count");
            }
        }
        upperBounds = upperBounds.clone();
        cumulativeCounts = cumulativeCounts.clone();
    }

    @Override
    public double[] upperBounds() {
        return upperBounds.clone();
    }

    @Override
    public long[] cumulativeCounts() {
        return cumulativeCounts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistogramSnapshot h && Arrays.equals(upperBounds, h.upperBounds)
                && Arrays.equals(cumulativeCounts, h.cumulativeCounts) && count == h.count
                && Double.compare(sum, h.sum) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(upperBounds) + Arrays.hashCode(cumulativeCounts)) + Long.hashCode(count);
    }

    @Override
    public String toString() {
        return "HistogramSnapshot[bounds=" + Arrays.toString(upperBounds) + ", counts="
                + Arrays.toString(cumulativeCounts) + ", count=" + count + ", sum=" + sum + "]";
    }
}
