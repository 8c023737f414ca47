package io.musubi.store.jdbc.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>A failed flush fails the caller that ran it; the waiters it was to cover run the next flush themselves (their
 * commits are in the database, not yet known durable), so each of them returns durable or with its own failure.
 */
final class GroupFlush {

    /** Writes and syncs everything committed so far. */
    @FunctionalInterface
    interface Flush {
        void run();
    }

    private final Flush flush;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /** Commits that asked to become durable so far (each one's ticket). */
    private long committed;
    /** Every ticket up to this one is durable. */
    private long durable;
    private boolean flushing;

    GroupFlush(Flush flush) {
        this.flush = flush;
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
                long target = committed; // every one of these committed before this flush starts
                RuntimeException failed = null;
                lock.unlock();
                try {
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
