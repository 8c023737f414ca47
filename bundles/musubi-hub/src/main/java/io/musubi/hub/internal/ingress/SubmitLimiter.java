package io.musubi.hub.internal.ingress;

import io.musubi.api.IntakeBusyException;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Back-pressure for synchronous submissions (issue #11): at most {@code permits} are processed at once; one more waits
 * up to {@code wait} for its turn and is then refused with {@link IntakeBusyException} (nothing stored), so an
 * overloaded hub answers "429, retry after" at once instead of letting requests pile up until they time out. The
 * retry hint is the wait itself, at least one second.
 */
final class SubmitLimiter {

    private final int limit;
    private final Semaphore permits;
    private final long waitNanos;
    private final Duration retryAfter;
    private final LongAdder refused = new LongAdder();

    SubmitLimiter(int permits, Duration wait) {
        if (permits < 1) {
            throw new IllegalArgumentException("maxConcurrentSubmits must be at least 1");
        }
        this.limit = permits;
        this.permits = new Semaphore(permits, true);
        this.waitNanos = Math.max(0, wait.toNanos());
        this.retryAfter = Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
    }

    <T> T run(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntakeBusyException("interrupted while waiting for a turn", retryAfter);
        }
        if (!acquired) {
            refused.increment();
            throw new IntakeBusyException("the hub is busy: more submissions in progress than it commits", retryAfter);
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }

    /** Submissions refused as busy since start. */
    long refused() {
        return refused.sum();
    }

    /** Submissions in progress now. */
    int inProgress() {
        return limit - permits.availablePermits();
    }
}
