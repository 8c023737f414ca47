package io.musubi.connector.webchat.internal;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (a client address, a visitor): {@code burst} requests at once, refilled at {@code perSecond}.
 * Buckets that refilled completely are forgotten when more than {@value #MAX_KEYS} exist.
 */
final class RateLimit {

    static final int MAX_KEYS = 100_000;

    private final double perMilli;
    private final double burst;
    private final Clock clock;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

    RateLimit(double perSecond, double burst, Clock clock) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.perMilli = perSecond / 1000.0;
        this.burst = burst;
        this.clock = clock;
    }

    /** Takes a token: 0 when granted, else the whole seconds (at least 1) until one is available. */
    long acquire(String key) {
        long now = clock.millis();
        if (buckets.size() > MAX_KEYS) {
            buckets.values().removeIf(b -> {
                synchronized (b) {
                    return b[0] + (now - b[1]) * perMilli >= burst;
                }
            });
        }
        double[] b = buckets.computeIfAbsent(key, k -> new double[] {burst, now});
        synchronized (b) {
            b[0] = Math.min(burst, b[0] + Math.max(0, now - (long) b[1]) * perMilli);
            b[1] = now;
            if (b[0] >= 1) {
                b[0] -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b[0]) / perMilli / 1000.0));
        }
    }
}
