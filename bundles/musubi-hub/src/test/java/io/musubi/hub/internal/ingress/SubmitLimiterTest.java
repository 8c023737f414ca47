package io.musubi.hub.internal.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.api.IntakeBusyException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class SubmitLimiterTest {

    @Test
    void aSubmissionBeyondTheLimitIsRefusedAsBusyAfterItsWaitWithoutRunning() throws Exception {
        SubmitLimiter limiter = new SubmitLimiter(2, Duration.ofMillis(50));
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<?>[] holders = new CompletableFuture<?>[2];
        for (int i = 0; i < 2; i++) {
            holders[i] = CompletableFuture.runAsync(() -> limiter.run(() -> {
                inside.countDown();
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(limiter.inProgress()).isEqualTo(2);

        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> limiter.run(() -> ran.getAndSet(true)))
                .isInstanceOfSatisfying(IntakeBusyException.class,
                        busy -> assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
        assertThat(ran).isFalse();
        assertThat(limiter.refused()).isEqualTo(1);

        release.countDown();
        CompletableFuture.allOf(holders).get(30, TimeUnit.SECONDS);
        assertThat(limiter.run(() -> "taken")).isEqualTo("taken");
        assertThat(limiter.inProgress()).isZero();
    }

    @Test
    void aFailingSubmissionGivesItsTurnBack() {
        SubmitLimiter limiter = new SubmitLimiter(1, Duration.ZERO);
        assertThatThrownBy(() -> limiter.run(() -> {
            throw new IllegalArgumentException("refused");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(limiter.run(() -> 1)).isEqualTo(1);
    }
}
