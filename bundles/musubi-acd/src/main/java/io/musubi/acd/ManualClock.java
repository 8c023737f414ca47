package io.musubi.acd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that only moves when told to: for tests, simulations and benchmarks. Advance it, then call
 * {@link AcdEngine#tick()} (every other engine command also runs the timers that are due first).
 */
public final class ManualClock extends Clock {
    private volatile long millis;
    private final ZoneId zone;

    public ManualClock(Instant start) {
        this(start.toEpochMilli(), ZoneOffset.UTC);
    }

    private ManualClock(long millis, ZoneId zone) {
        this.millis = millis;
        this.zone = zone;
    }

    public static ManualClock at(String isoInstant) {
        return new ManualClock(Instant.parse(isoInstant));
    }

    public synchronized void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time does not go back");
        }
        millis += d.toMillis();
    }

    public void advanceSeconds(long seconds) {
        advance(Duration.ofSeconds(seconds));
    }

    public synchronized void set(Instant instant) {
        millis = instant.toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new ManualClock(millis, newZone);
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }
}
