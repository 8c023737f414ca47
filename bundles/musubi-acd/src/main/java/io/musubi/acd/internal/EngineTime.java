package io.musubi.acd.internal;

import java.time.Instant;

/**
 * The engine's time: the time of the command being run ({@link #now}, advanced by the command frame only, never
 * backwards) and the engine's start ({@link #epoch}, the origin of the waiting sets' order keys). Shared by the parts;
 * no lock of its own: only touched under the engine's lock.
 */
final class EngineTime {
    /** Epoch milliseconds of the command being run. */
    long now;
    /** Epoch milliseconds when the engine was created. */
    final long epoch;
    /** {@link #now} as an Instant, created at most once per time value (event timestamps). */
    private Instant nowInstant;
    private long nowInstantMillis = Long.MIN_VALUE;

    EngineTime(long start) {
        this.now = start;
        this.epoch = start;
    }

    Instant instant() {
        if (nowInstantMillis != now) {
            nowInstant = Instant.ofEpochMilli(now);
            nowInstantMillis = now;
        }
        return nowInstant;
    }
}
