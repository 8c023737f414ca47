package io.musubi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsAreCumulativeAndTheCountIsEveryObservation() {
        LatencyHistogram h = new LatencyHistogram(0.001, 0.01, 0.1, 1);
        h.record(Duration.ofMillis(5));
        h.record(Duration.ofMillis(50));
        h.record(Duration.ofMillis(51));
        h.recordMillis(500);
        h.recordNanos(Duration.ofSeconds(3).toNanos());

        HistogramSnapshot s = h.snapshot();

        assertThat(s.upperBounds()).containsExactly(0.001, 0.01, 0.1, 1);
        assertThat(s.cumulativeCounts()).containsExactly(0, 1, 3, 4);
        assertThat(s.count()).isEqualTo(5);
        assertThat(s.sum()).isCloseTo(3.606, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void aSnapshotKeepsWhatEarlierSnapshotsSawAndAddsWhatCameSince() {
        LatencyHistogram h = new LatencyHistogram(LatencyHistogram.FAST_BOUNDS);
        h.recordMillis(2);
        assertThat(h.snapshot().count()).isEqualTo(1);
        h.recordMillis(2);
        h.recordMillis(20_000);

        HistogramSnapshot s = h.snapshot();

        assertThat(s.count()).isEqualTo(3);
        assertThat(s.cumulativeCounts()[s.cumulativeCounts().length - 1]).isEqualTo(2); // 20 s is over the last bound
    }

    @Test
    void negativeDurationsCountAsZero() {
        LatencyHistogram h = new LatencyHistogram(0.001);
        h.recordMillis(-5);
        h.record(Duration.ofMillis(-1));

        assertThat(h.snapshot().cumulativeCounts()).containsExactly(2);
    }

    @Test
    void anEmptyHistogramHasZeroEverywhere() {
        HistogramSnapshot s = new LatencyHistogram(LatencyHistogram.WAIT_BOUNDS).snapshot();

        assertThat(s.count()).isZero();
        assertThat(s.sum()).isZero();
        assertThat(s.cumulativeCounts()).containsOnly(0L);
    }

    @Test
    void boundsMustIncrease() {
        assertThatThrownBy(() -> new LatencyHistogram(0.1, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LatencyHistogram(0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HistogramSnapshot(new double[] {1, 2}, new long[] {2, 1}, 2, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HistogramSnapshot(new double[] {1}, new long[] {3}, 2, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
