package io.musubi.rest.internal.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one log line per key (a caller, a client address) and interval, so that a flood of refused requests
 * cannot flood the log: {@link #admit} says whether to log now and how many lines were held back since the last
 * one. Keys are forgotten when more than {@value #MAX_KEYS} are tracked (a flood of new keys then logs again, at
 * most once per key and interval).
 */
final class LogThrottle {

    static final int MAX_KEYS = 10_000;

    private final long intervalMillis;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    LogThrottle(Duration interval, Clock clock) {
        this.intervalMillis = interval.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    Duration interval() {
        return Duration.ofMillis(intervalMillis);
    }

    /**
     * @return -1 to hold this line back; otherwise log it, with the number of lines held back for the key since its
     *         last line (0 for none)
     */
    long admit(String key) {
        long now = clock.millis();
        if (windows.size() > MAX_KEYS) {
            windows.values().removeIf(w -> w.isOver(now));
            if (windows.size() > MAX_KEYS) {
                windows.clear();
            }
        }
        return windows.computeIfAbsent(key, k -> new Window()).admit(now);
    }

    private final class Window {
        private long loggedAt = Long.MIN_VALUE;
        private long held;

        synchronized long admit(long now) {
            if (loggedAt != Long.MIN_VALUE && now - loggedAt < intervalMillis) {
                held++;
                return -1;
            }
            long out = held;
            held = 0;
            loggedAt = now;
            return out;
        }

        synchronized boolean isOver(long now) {
            return held == 0 && now - loggedAt >= intervalMillis;
        }
    }
}
