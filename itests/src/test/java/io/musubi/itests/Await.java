package io.musubi.itests;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition every 20 ms until it holds or a deadline passes: how every test here waits for a result. */
public final class Await {

    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
