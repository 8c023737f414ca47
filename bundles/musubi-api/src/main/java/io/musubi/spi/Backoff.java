package io.musubi.spi;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter for reconnecting long-lived sessions (AMI, IMAP IDLE) and retrying providers:
 * {@link #nextDelay()} doubles from the initial delay up to the maximum, each delay drawn between half and all of it
 * (so that many hubs do not reconnect in step); {@link #reset()} after a success. Not thread-safe: one per session.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private long currentMillis;
    private int attempts;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max");
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.currentMillis = initialMillis;
    }

    /** The delay before the next attempt; each call counts one failed attempt. */
    public Duration nextDelay() {
        long base = currentMillis;
        currentMillis = Math.min(maxMillis, currentMillis * 2);
        attempts++;
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        return Duration.ofMillis(Math.max(1, jittered));
    }

    /** A back-off with the same delays, at its start: one for another session or thread. */
    public Backoff fresh() {
        return new Backoff(Duration.ofMillis(initialMillis), Duration.ofMillis(maxMillis));
    }

    /** Failed attempts since the last {@link #reset()}. */
    public int attempts() {
        return attempts;
    }

    /** Back to the initial delay, after a success. */
    public void reset() {
        currentMillis = initialMillis;
        attempts = 0;
    }
}
