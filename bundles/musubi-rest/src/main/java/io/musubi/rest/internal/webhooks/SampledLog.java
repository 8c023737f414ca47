package io.musubi.rest.internal.webhooks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * A warning that a flood of bad requests cannot amplify into the log: at most one line per key and interval, the next
 * line saying how many were left out.
 */
final class SampledLog {

    private final Logger log;
    private final long intervalMillis;
    private final Map<String, long[]> last = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> suppressed = new ConcurrentHashMap<>();

    SampledLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalMillis = intervalMillis;
    }

    void warn(String key, String format, Object... args) {
        long now = System.currentTimeMillis();
        long[] at = last.computeIfAbsent(key, k -> new long[] {Long.MIN_VALUE / 2});
        boolean emit;
        synchronized (at) {
            emit = now - at[0] >= intervalMillis;
            if (emit) {
                at[0] = now;
            }
        }
        AtomicLong skipped = suppressed.computeIfAbsent(key, k -> new AtomicLong());
        if (!emit) {
            skipped.incrementAndGet();
            return;
        }
        long n = skipped.getAndSet(0);
        log.warn(n == 0 ? format : format + " (" + n + " more like it not logged)", args);
    }
}
