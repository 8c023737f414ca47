package io.musubi.rest.internal.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2025-06-01T10:00:00Z"));

    @Test
    void burstThenRefusedWithTheSecondsUntilTheNextToken() {
        RateLimiter limiter = new RateLimiter(0.5, 3, clock);

        assertThat(limiter.acquire("k")).isZero();
        assertThat(limiter.acquire("k")).isZero();
        assertThat(limiter.acquire("k")).isZero();
        assertThat(limiter.acquire("k")).isEqualTo(2);

        clock.advance(Duration.ofMillis(1500));
        assertThat(limiter.acquire("k")).isEqualTo(1);
        clock.advance(Duration.ofMillis(500));
        assertThat(limiter.acquire("k")).isZero();
        assertThat(limiter.acquire("k")).isEqualTo(2);
    }

    @Test
    void refillsAtTheRateUpToTheBurstOnly() {
        RateLimiter limiter = new RateLimiter(10, 5, clock);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire("k")).isZero();
        }
        assertThat(limiter.acquire("k")).isEqualTo(1);

        clock.advance(Duration.ofMillis(300));
        assertThat(limiter.acquire("k")).isZero();
        assertThat(limiter.acquire("k")).isZero();
        assertThat(limiter.acquire("k")).isZero();
        assertThat(limiter.acquire("k")).isEqualTo(1);

        clock.advance(Duration.ofHours(1));
        int allowed = 0;
        while (limiter.acquire("k") == 0) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(5);
    }

    @Test
    void bucketsAreIndependentPerKey() {
        RateLimiter limiter = new RateLimiter(1, 1, clock);

        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isEqualTo(1);
        assertThat(limiter.acquire("b")).isZero();
    }

    @Test
    void slowRatesGiveLongRetryAfter() {
        RateLimiter limiter = new RateLimiter(1.0 / 60, 1, clock);

        assertThat(limiter.acquire("k")).isZero();
        assertThat(limiter.acquire("k")).isEqualTo(60);
        clock.advance(Duration.ofSeconds(59));
        assertThat(limiter.acquire("k")).isEqualTo(1);
    }

    @Test
    void zeroRateIsNoLimit() {
        RateLimiter limiter = new RateLimiter(0, 1, clock);
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire("k")).isZero();
        }
        assertThat(limiter.isOff()).isTrue();
    }

    @Test
    void forgottenFullBucketsDoNotResetABusyCaller() {
        RateLimiter limiter = new RateLimiter(1, 2, clock);
        limiter.acquire("busy");
        limiter.acquire("busy");
        for (int i = 0; i <= RateLimiter.MAX_BUCKETS; i++) {
            limiter.acquire("idle-" + i);
        }
        clock.advance(Duration.ofSeconds(3));
        limiter.acquire("trigger-sweep");

        assertThat(limiter.acquire("busy")).isZero();
        assertThat(limiter.acquire("busy")).isZero();
        assertThat(limiter.acquire("busy")).isEqualTo(1);
    }
}
