package io.musubi.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    void aFlushStartsNoSoonerThanTheIntervalAfterThePreviousOneStarted() {
        AtomicLong now = new AtomicLong(1_000_000);
        List<Long> starts = new ArrayList<>();
        List<Long> pauses = new ArrayList<>();
        GroupFlush group = new GroupFlush(() -> starts.add(now.get()), Duration.ofMillis(5), now::get, nanos -> {
            pauses.add(nanos);
            now.addAndGet(nanos);
        });
        group.awaitDurable(); // no flush before: at once
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
        group.awaitDurable(); // 2 ms after the last start: waits the 3 ms left
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(9));
        group.awaitDurable(); // 9 ms after: at once
        assertThat(pauses).containsExactly(TimeUnit.MILLISECONDS.toNanos(3));
        assertThat(starts).containsExactly(1_000_000L, 1_000_000L + TimeUnit.MILLISECONDS.toNanos(5),
                1_000_000L + TimeUnit.MILLISECONDS.toNanos(14));
    }

    @Test
    void commitsArrivingWhileTheFlushWaitsOutTheIntervalShareIt() throws Exception {
        int callers = 8;
        CountDownLatch othersCommitted = new CountDownLatch(callers - 1);
        GroupFlush[] self = new GroupFlush[1];
        AtomicLong now = new AtomicLong();
        GroupFlush group = new GroupFlush(() -> {
            flushes.incrementAndGet();
            durableUpTo.accumulateAndGet(commits.get(), Math::max);
        }, Duration.ofMillis(5), now::get, nanos -> {
            // the wait lasts until every other caller committed and waits for a flush
            await(othersCommitted);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (self[0].committed() < callers + 1) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the other callers did not wait");
                }
                Thread.onSpinWait();
            }
            now.addAndGet(nanos);
        });
        self[0] = group;
        commitAndAwait(group, null); // the first flush, at once: the next one waits out the interval
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                CountDownLatch counted = i == 0 ? null : othersCommitted;
                results.add(pool.submit(() -> commitAndAwait(group, counted)));
            }
            for (Future<Long> f : results) {
                long mine = f.get(30, TimeUnit.SECONDS);
                assertThat(durableUpTo.get()).isGreaterThanOrEqualTo(mine);
            }
            assertThat(flushes).as("the eight commits made during the interval shared one flush").hasValue(2);
        } finally {
            pool.shutdownNow();
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
