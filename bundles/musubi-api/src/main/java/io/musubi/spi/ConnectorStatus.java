package io.musubi.spi;

import io.musubi.api.Health;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connector's health and counters, thread-safe, as every connector keeps them: the state of its link to the
 * provider (UP, DEGRADED or DOWN with a reason for operators) and counters such as {@code received},
 * {@code duplicates}, {@code malformed}, {@code rejected}, {@code delivered}, {@code failed}. {@link #health()} is what
 * {@link Connector#health()} answers. Reasons never carry secrets or PII.
 */
public final class ConnectorStatus {

    /** Counter names every connector uses where they apply. */
    public static final String RECEIVED = "received";
    public static final String REJECTED = "rejected";
    public static final String MALFORMED = "malformed";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    public static final String RETRIED = "retried";
    public static final String RECONNECTS = "reconnects";

    private volatile Health.Status status;
    private volatile String detail;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    /** Starts DOWN with "starting" until the connector says otherwise. */
    public ConnectorStatus() {
        this(Health.Status.DOWN, "starting");
    }

    public ConnectorStatus(Health.Status status, String detail) {
        this.status = status;
        this.detail = detail;
    }

    public void up(String detail) {
        set(Health.Status.UP, detail);
    }

    public void degraded(String reason) {
        set(Health.Status.DEGRADED, reason);
    }

    public void down(String reason) {
        set(Health.Status.DOWN, reason);
    }

    private synchronized void set(Health.Status status, String detail) {
        this.status = status;
        this.detail = detail == null ? "" : detail;
    }

    public Health.Status status() {
        return status;
    }

    /** Adds one to a counter and returns the new value. */
    public long increment(String counter) {
        return counters.computeIfAbsent(counter, k -> new AtomicLong()).incrementAndGet();
    }

    public long add(String counter, long delta) {
        return counters.computeIfAbsent(counter, k -> new AtomicLong()).addAndGet(delta);
    }

    public long count(String counter) {
        AtomicLong c = counters.get(counter);
        return c == null ? 0 : c.get();
    }

    /** Every counter's value now, by name (for the metrics endpoint: {@link Connector#counters()}). */
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** The health with every counter in the details. */
    public synchronized Health health() {
        Map<String, String> details = new TreeMap<>();
        counters.forEach((k, v) -> details.put(k, Long.toString(v.get())));
        return new Health(status, detail, details);
    }
}
