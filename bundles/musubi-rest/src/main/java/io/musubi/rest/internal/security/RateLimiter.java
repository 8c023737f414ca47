package io.musubi.rest.internal.security;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (a caller, or a client address): {@code burst} requests at once, refilled at
 * {@code perSecond}. Time comes from the given clock, so tests control it. Buckets that have refilled completely are
 * forgotten when more than {@value #MAX_BUCKETS} exist (a full bucket and no bucket are the same thing).
 */
public final class RateLimiter {

    static final int MAX_BUCKETS = 100_000;

    private final double perMilli;
    private final double burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param perSecond tokens added per second; 0 or less turns the limit off
     * @param burst     bucket size, at least 1
     */
    public RateLimiter(double perSecond, int burst, Clock clock) {
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1");
        }
        this.perMilli = perSecond / 1000.0;
        this.burst = burst;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    Clock clock() {
        return clock;
    }

    public boolean isOff() {
        return perMilli <= 0;
    }

    /**
     * Takes one token for {@code key}.
     *
     * @return 0 if the request may go ahead, otherwise the whole seconds (at least 1) until it may be retried
     */
    public long acquire(String key) {
        if (isOff()) {
            return 0;
        }
        long now = clock.millis();
        if (buckets.size() > MAX_BUCKETS) {
            buckets.values().removeIf(b -> b.isFull(now));
            if (buckets.size() > MAX_BUCKETS) {
                buckets.clear();
            }
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(now)).take(now);
    }

    private final class Bucket {
        private double tokens = burst;
        private long updated;

        Bucket(long now) {
            this.updated = now;
        }

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double waitMillis = (1 - tokens) / perMilli;
            return Math.max(1, (long) Math.ceil(waitMillis / 1000.0));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            if (now > updated) {
                tokens = Math.min(burst, tokens + (now - updated) * perMilli);
                updated = now;
            }
        }
    }

    @Override
    public String toString() {
        return "RateLimiter[" + (perMilli * 1000) + "/s, burst " + (long) burst + "]";
    }
}
