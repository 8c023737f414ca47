package io.musubi.itests;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition (every 20 ms unless told) until it holds or a deadline passes: how every test here waits for a result. */
public final class Await {

    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        until(what, timeout, Duration.ofMillis(20), condition);
    }

    /** Polls every {@code interval}: for conditions that cost a rate-limited API call. */
    public static void until(String what, Duration timeout, Duration interval, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(interval.toMillis());
        }
    }
}
