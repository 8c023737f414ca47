package io.musubi.store.jdbc.internal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Group commit of H2's flushes: N concurrent transactions share one flush instead of paying one each.
 *
 * <p>A transaction that committed calls {@link #awaitDurable()}: it takes a ticket (the count of commits so far,
 * its own included) and waits until a flush that <em>started after its commit</em> has finished. If no flush is
 * running, the waiter runs one itself: it notes how many commits there were when it started (every one of them is
 * in the database, so the flush covers them), flushes outside the lock, then releases every waiter whose ticket it
 * covered. Waiters that committed while that flush ran are covered by the next one, which one of them runs. So a
 * lone caller pays one flush per transaction, as before; under concurrency one flush serves every transaction that
 * committed while the previous one ran.
 *
 * <p>With a minimum interval, a flush that covers more than one commit starts no sooner than that after the previous
 * one started: the caller that is to run it first waits out the rest of the interval (holding no lock), and every
 * commit that arrives meanwhile is covered by the same flush. Under load this trades a few milliseconds of commit
 * latency for far fewer flushes (each flush writes and syncs a chunk of H2 pages, largely the same pages whether it
 * covers two commits or twenty). A commit with no other one waiting (a quiet hub, or one caller committing in turn)
 * is flushed at once, as is one that finds the previous flush older than the interval: like PostgreSQL's
 * {@code commit_delay}, which applies only while other transactions are active.
 *
 * <p>A failed flush fails the caller that ran it; the waiters it was to cover run the next flush themselves (their
 * commits are in the database, not yet known durable), so each of them returns durable or with its own failure.
 */
final class GroupFlush {

    /** Writes and syncs everything committed so far. */
    @FunctionalInterface
    interface Flush {
        void run();
    }

    /** Waits a number of nanoseconds (returning early is allowed: the flush then only covers fewer commits). */
    @FunctionalInterface
    interface Pause {
        void nanos(long nanos);
    }

    private final Flush flush;
    private final long minIntervalNanos;
    private final LongSupplier clock;
    private final Pause pause;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /** Commits that asked to become durable so far (each one's ticket). */
    private long committed;
    /** Every ticket up to this one is durable. */
    private long durable;
    private boolean flushing;
    /** When the last flush started ({@link #clock}); written only by the caller running a flush. */
    private long lastStart;

    GroupFlush(Flush flush) {
        this(flush, Duration.ZERO, System::nanoTime, GroupFlush::park);
    }

    GroupFlush(Flush flush, Duration minInterval) {
        this(flush, minInterval, System::nanoTime, GroupFlush::park);
    }

    GroupFlush(Flush flush, Duration minInterval, LongSupplier clock, Pause pause) {
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("the minimum interval between flushes cannot be negative");
        }
        this.flush = flush;
        this.minIntervalNanos = minInterval.toNanos();
        this.clock = clock;
        this.pause = pause;
        this.lastStart = clock.getAsLong() - minIntervalNanos;
    }

    private static void park(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !Thread.currentThread().isInterrupted();
             left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** How many commits asked to become durable so far (for tests). */
    long committed() {
        lock.lock();
        try {
            return committed;
        } finally {
            lock.unlock();
        }
    }

    /** Call after a commit returned: returns once a flush that started after it finished. */
    void awaitDurable() {
        lock.lock();
        try {
            long ticket = ++committed;
            while (durable < ticket) {
                if (flushing) {
                    finished.awaitUninterruptibly();
                    continue;
                }
                flushing = true;
                // Others waiting for durability besides this caller: worth waiting a little so more join them.
                boolean shared = committed - durable > 1;
                long target = 0;
                RuntimeException failed = null;
                lock.unlock();
                try {
                    long wait = lastStart + minIntervalNanos - clock.getAsLong();
                    if (shared && wait > 0) {
                        pause.nanos(wait);
                    }
                    lock.lock();
                    target = committed; // every one of these committed before this flush starts
                    lock.unlock();
                    lastStart = clock.getAsLong();
                    flush.run();
                } catch (RuntimeException e) {
                    failed = e;
                } finally {
                    lock.lock();
                    flushing = false;
                    if (failed == null) {
                        durable = Math.max(durable, target);
                    }
                    finished.signalAll();
                }
                if (failed != null) {
                    throw failed;
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
