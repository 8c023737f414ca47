package io.musubi.acd;

import java.time.Duration;
import java.util.Objects;

/**
 * Last-agent routing of a queue (design point ①).
 *
 * @param enabled       whether the queue looks up the customer's last agent at all
 * @param ttl           how old the last ACCEPTED may be (default 24 h)
 * @param preferredWait how long a {@link StickyMode#PREFERRED} interaction waits for that agent's capacity (default 20 s)
 * @param mode          preferred or required
 */
public record StickyConfig(boolean enabled, Duration ttl, Duration preferredWait, StickyMode mode) {

    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_PREFERRED_WAIT = Duration.ofSeconds(20);

    public StickyConfig {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(preferredWait, "preferredWait");
        Objects.requireNonNull(mode, "mode");
        if (ttl.isNegative() || preferredWait.isNegative()) {
            throw new IllegalArgumentException("sticky durations must not be negative");
        }
    }

    public static StickyConfig disabled() {
        return new StickyConfig(false, DEFAULT_TTL, DEFAULT_PREFERRED_WAIT, StickyMode.PREFERRED);
    }

    /** Enabled, 24 h TTL, 20 s preferred wait, preferred mode. */
    public static StickyConfig preferred() {
        return new StickyConfig(true, DEFAULT_TTL, DEFAULT_PREFERRED_WAIT, StickyMode.PREFERRED);
    }

    public static StickyConfig required() {
        return new StickyConfig(true, DEFAULT_TTL, DEFAULT_PREFERRED_WAIT, StickyMode.REQUIRED);
    }

    public StickyConfig withTtl(Duration newTtl) {
        return new StickyConfig(enabled, newTtl, preferredWait, mode);
    }

    public StickyConfig withPreferredWait(Duration wait) {
        return new StickyConfig(enabled, ttl, wait, mode);
    }
}
