package io.musubi.acd;

import java.time.Duration;
import java.util.Objects;

/**
 * A service-level target, e.g. 80 % answered within 20 s. The statistic reported is
 * answered-within-threshold / (answered + abandoned) in percent.
 */
public record ServiceLevel(double targetPercent, Duration threshold) {
    public ServiceLevel {
        Objects.requireNonNull(threshold, "threshold");
        if (targetPercent < 0 || targetPercent > 100) {
            throw new IllegalArgumentException("targetPercent must be 0..100");
        }
    }

    public static ServiceLevel of(double targetPercent, Duration threshold) {
        return new ServiceLevel(targetPercent, threshold);
    }

    /** 80 % in 20 s. */
    public static ServiceLevel defaults() {
        return new ServiceLevel(80, Duration.ofSeconds(20));
    }
}
