package io.musubi.hub.internal.ingress;

import io.musubi.spi.IngressUnavailableException;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Back-pressure on the connectors' side of the ingress (issue #11): while more events wait in the ingress queue than
 * the bound, a connector's submission is held (its webhook answer delayed, within what providers wait for) until the
 * backlog falls under the bound, and refused with {@link IngressUnavailableException} (the connector answers 503 and
 * the provider delivers again later) if it does not fall within the wait, or if too many submissions are held
 * already. So a burst beyond what the hub commits fills the queue up to a known depth, visible in health and metrics,
 * instead of growing it until the hub runs out of memory. Submissions let through but not yet sent count as queued
 * ({@link #sent()} ends them), so concurrent submissions at the bound do not all pass on one look at the backlog; the
 * broker may still count a message a moment after its send returned, so the depth can pass the bound by the few
 * sends of that moment. With the backlog unknown (no embedded broker) nothing is held. While the broker's storage is
 * full (it would block the send until disk space is freed) a submission is refused at once.
 */
final class BacklogGate {

    private final LongSupplier backlog;
    private final BooleanSupplier storageFull;
    private final long limit;
    private final long waitNanos;
    private final long pollNanos;
    private final int maxHeld;
    private final Duration retryAfter;
    private final AtomicInteger held = new AtomicInteger();
    /** Submissions let through whose send has not returned yet. */
    private final AtomicInteger sending = new AtomicInteger();
    private final LongAdder delayed = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /**
     * @param backlog     the events waiting in the ingress queue, -1 when unknown
     * @param storageFull whether the broker blocks producers for want of disk space: refused at once then
     * @param limit       the backlog from which submissions are held
     * @param wait        how long one submission is held at most
     * @param poll        how often a held submission looks at the backlog again
     * @param maxHeld     submissions held at once at most; more are refused at once
     */
    BacklogGate(LongSupplier backlog, BooleanSupplier storageFull, long limit, Duration wait, Duration poll,
                int maxHeld, Duration retryAfter) {
        if (limit < 1) {
            throw new IllegalArgumentException("maxIngressBacklog must be at least 1");
        }
        this.backlog = backlog;
        this.storageFull = storageFull;
        this.limit = limit;
        this.waitNanos = Math.max(0, wait.toNanos());
        this.pollNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), poll.toNanos());
        this.maxHeld = Math.max(0, maxHeld);
        this.retryAfter = retryAfter;
    }

    /**
     * Returns when there is room in the ingress queue, the caller then counted as sending until {@link #sent()};
     * throws when there was none within the wait.
     */
    void awaitRoom() {
        if (storageFull.getAsBoolean()) {
            refused.increment();
            throw new IngressUnavailableException("the broker's storage is full (max-disk-usage): it takes no events "
                    + "until disk space is freed", retryAfter, null);
        }
        if (enter()) {
            return;
        }
        if (held.incrementAndGet() > maxHeld) {
            held.decrementAndGet();
            throw refuse();
        }
        delayed.increment();
        try {
            long deadline = System.nanoTime() + waitNanos;
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw refuse();
                }
                LockSupport.parkNanos(Math.min(pollNanos, left));
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw refuse();
                }
                if (enter()) {
                    return;
                }
            }
        } finally {
            held.decrementAndGet();
        }
    }

    /** Counts the caller as sending if the backlog and the others sending leave room; false if not. */
    private boolean enter() {
        int others = sending.getAndIncrement();
        long depth = backlog.getAsLong();
        if (depth < 0 || depth + others < limit) {
            return true;
        }
        sending.decrementAndGet();
        return false;
    }

    /** The send of a submission let through by {@link #awaitRoom()} has returned (or failed). */
    void sent() {
        sending.decrementAndGet();
    }

    private IngressUnavailableException refuse() {
        refused.increment();
        return new IngressUnavailableException("the hub's ingress queue holds more than " + limit
                + " events: it takes no more until it has worked some off", retryAfter, null);
    }

    /** The backlog from which submissions are held. */
    long limit() {
        return limit;
    }

    /** Submissions that had to wait for room since start. */
    long delayed() {
        return delayed.sum();
    }

    /** Submissions refused for want of room since start. */
    long refused() {
        return refused.sum();
    }
}
