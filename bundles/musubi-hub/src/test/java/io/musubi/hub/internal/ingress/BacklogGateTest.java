package io.musubi.hub.internal.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.spi.IngressUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class BacklogGateTest {

    private static final Duration POLL = Duration.ofMillis(1);

    private static BacklogGate gate(LongSupplier backlog, Duration wait, int maxHeld) {
        return new BacklogGate(backlog, () -> false, 100, wait, POLL, maxHeld, Duration.ofSeconds(5));
    }

    @Test
    void underTheBoundOrWithTheBacklogUnknownNothingIsHeld() {
        BacklogGate gate = gate(() -> 99, Duration.ofMinutes(10), 1);
        gate.awaitRoom();
        gate(() -> -1, Duration.ofMinutes(10), 1).awaitRoom();
        assertThat(gate.delayed()).isZero();
        assertThat(gate.refused()).isZero();
    }

    @Test
    void aSubmissionIsHeldUntilTheBacklogFallsUnderTheBound() {
        AtomicInteger looks = new AtomicInteger();
        // full for the first three looks, then worked off
        BacklogGate gate = gate(() -> looks.incrementAndGet() <= 3 ? 100 : 99, Duration.ofMinutes(10), 1);
        gate.awaitRoom();
        assertThat(looks).hasValue(4);
        assertThat(gate.delayed()).isEqualTo(1);
        assertThat(gate.refused()).isZero();
    }

    @Test
    void aSubmissionStillWithoutRoomAfterTheWaitIsRefusedWithARetryHint() {
        AtomicInteger looks = new AtomicInteger();
        BacklogGate gate = gate(() -> {
            looks.incrementAndGet();
            return 5_000;
        }, Duration.ofMillis(30), 1);
        assertThatThrownBy(gate::awaitRoom).isInstanceOf(IngressUnavailableException.class)
                .hasMessageContaining("more than 100")
                .satisfies(e -> assertThat(((IngressUnavailableException) e).retryAfter())
                        .isEqualTo(Duration.ofSeconds(5)));
        assertThat(looks.get()).as("looked again while held").isGreaterThan(1);
        assertThat(gate.delayed()).isEqualTo(1);
        assertThat(gate.refused()).isEqualTo(1);
    }

    @Test
    void beyondTheSubmissionsHeldAtOnceOneIsRefusedWithoutWaiting() {
        BacklogGate gate = gate(() -> 100, Duration.ofMinutes(10), 0);
        assertThatThrownBy(gate::awaitRoom).isInstanceOf(IngressUnavailableException.class);
        assertThat(gate.delayed()).as("refused at once, not held").isZero();
        assertThat(gate.refused()).isEqualTo(1);
    }

    @Test
    void whileTheBrokersStorageIsFullASubmissionIsRefusedAtOnce() {
        AtomicInteger looks = new AtomicInteger();
        BacklogGate gate = new BacklogGate(() -> {
            looks.incrementAndGet();
            return 0;
        }, () -> true, 100, Duration.ofMinutes(10), POLL, 64, Duration.ofSeconds(5));
        assertThatThrownBy(gate::awaitRoom).isInstanceOf(IngressUnavailableException.class)
                .hasMessageContaining("storage is full");
        assertThat(gate.delayed()).as("not held: the send would block until disk space is freed").isZero();
        assertThat(gate.refused()).isEqualTo(1);
    }

    @Test
    void submissionsLetThroughCountUntilSentSoThatConcurrentOnesDoNotAllPassAtTheBound() throws Exception {
        // One place left under the bound, eight submitters at once, none sent yet: one passes, the rest are refused.
        BacklogGate gate = gate(() -> 99, Duration.ofMillis(50), 64);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Boolean>> tries = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tries.add(pool.submit(() -> {
                    start.await();
                    try {
                        gate.awaitRoom();
                        return true;
                    } catch (IngressUnavailableException refused) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int passed = 0;
            for (java.util.concurrent.Future<Boolean> t : tries) {
                passed += t.get(30, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(passed).isEqualTo(1);
            assertThat(gate.refused()).isEqualTo(7);
        } finally {
            pool.shutdownNow();
        }
        // Once the one let through has sent (and the broker still counts 99), the next has room again.
        gate.sent();
        gate.awaitRoom();
        gate.sent();
    }
}
