package io.musubi.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GroupFlushTest {

    /** Commits so far, and what the flushes made durable (the commit count when the flush started). */
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong durableUpTo = new AtomicLong();
    private final AtomicInteger flushes = new AtomicInteger();

    @Test
    void aLoneCallerFlushesOncePerCommit() {
        GroupFlush group = new GroupFlush(() -> {
            flushes.incrementAndGet();
        });
        for (int i = 0; i < 3; i++) {
            group.awaitDurable();
        }
        assertThat(flushes).hasValue(3);
    }

    @Test
    void commitsWaitingDuringAFlushShareTheNextOneAndEachReturnsOnlyWhenAFlushAfterItsCommitEnded()
            throws Exception {
        int callers = 8;
        CountDownLatch othersCommitted = new CountDownLatch(callers - 1);
        CountDownLatch firstFlushStarted = new CountDownLatch(1);
        GroupFlush[] self = new GroupFlush[1];
        GroupFlush group = new GroupFlush(() -> {
            long covered = commits.get();
            int n = flushes.incrementAndGet();
            if (n == 1) {
                firstFlushStarted.countDown();
                // the others commit and wait while this flush runs: it must not cover them
                await(othersCommitted);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (self[0].committed() < callers) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("the other callers did not wait");
                    }
                    Thread.onSpinWait();
                }
            }
            durableUpTo.accumulateAndGet(covered, Math::max);
        });
        self[0] = group;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Long>> results = new ArrayList<>();
            results.add(pool.submit(() -> commitAndAwait(group, null)));
            assertThat(firstFlushStarted.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < callers; i++) {
                results.add(pool.submit(() -> commitAndAwait(group, othersCommitted)));
            }
            for (Future<Long> f : results) {
                long mine = f.get(30, TimeUnit.SECONDS);
                assertThat(f.get()).isPositive();
                assertThat(durableUpTo.get()).isGreaterThanOrEqualTo(mine);
            }
            assertThat(flushes).as("the seven late commits shared one flush").hasValue(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedFlushFailsItsCallerAndTheOthersFlushAgain() {
        AtomicInteger calls = new AtomicInteger();
        GroupFlush group = new GroupFlush(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("disk full");
            }
        });
        try {
            group.awaitDurable();
            throw new AssertionError("the failure must reach the caller");
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("disk full");
        }
        group.awaitDurable();
        assertThat(calls).hasValue(2);
    }

    @Test
    void aLoneCallerCommittingInTurnNeverWaitsForTheInterval() {
        AtomicLong now = new AtomicLong(1_000_000);
        List<Long> pauses = new ArrayList<>();
        GroupFlush group = new GroupFlush(() -> flushes.incrementAndGet(), Duration.ofMillis(5), now::get, nanos -> {
            pauses.add(nanos);
            now.addAndGet(nanos);
        });
        for (int i = 0; i < 3; i++) {
            group.awaitDurable();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1)); // the next commit, well within the interval
        }
        assertThat(pauses).as("no other commit to share a flush with: nothing to wait for").isEmpty();
        assertThat(flushes).hasValue(3);
    }

    @Test
    void aFlushForSeveralCommitsWaitsOutTheIntervalAndTakesTheCommitsArrivingMeanwhile() throws Exception {
        int others = 8;
        CountDownLatch firstFlushStarted = new CountDownLatch(1);
        GroupFlush[] self = new GroupFlush[1];
        AtomicLong now = new AtomicLong();
        List<Long> pauses = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(others + 2);
        List<Future<Long>> results = new CopyOnWriteArrayList<>();
        GroupFlush group = new GroupFlush(() -> {
            long covered = commits.get();
            if (flushes.incrementAndGet() == 1) {
                firstFlushStarted.countDown();
                awaitCommitted(self[0], 1 + others); // the others commit while this flush runs
            }
            durableUpTo.accumulateAndGet(covered, Math::max);
        }, Duration.ofMillis(5), now::get, nanos -> {
            pauses.add(nanos);
            // while the next flush waits out the interval, one more commit arrives: the flush must take it
            results.add(pool.submit(() -> commitAndAwait(self[0], null)));
            awaitCommitted(self[0], 2 + others);
            now.addAndGet(nanos);
        });
        self[0] = group;
        try {
            results.add(pool.submit(() -> commitAndAwait(group, null)));
            assertThat(firstFlushStarted.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < others; i++) {
                results.add(pool.submit(() -> commitAndAwait(group, null)));
            }
            awaitCommitted(group, 2 + others);
            for (Future<Long> f : results) {
                long mine = f.get(30, TimeUnit.SECONDS);
                assertThat(durableUpTo.get()).isGreaterThanOrEqualTo(mine);
            }
            assertThat(pauses).as("the second flush, for nine commits, waited out the interval once")
                    .containsExactly(TimeUnit.MILLISECONDS.toNanos(5));
            assertThat(flushes).as("the eight commits made during the first flush and the one made during the "
                    + "wait shared the second flush").hasValue(2);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitCommitted(GroupFlush group, long count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (group.committed() < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the other callers did not commit");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void aNegativeIntervalIsRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new GroupFlush(() -> { }, Duration.ofMillis(-1)));
    }

    /** A commit (counted), then the wait; returns this commit's number after checking it was covered. */
    private long commitAndAwait(GroupFlush group, CountDownLatch committed) {
        long mine = commits.incrementAndGet();
        if (committed != null) {
            committed.countDown();
        }
        group.awaitDurable();
        if (durableUpTo.get() < mine) {
            throw new AssertionError("returned before a flush covering commit " + mine);
        }
        return mine;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the other callers did not commit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
