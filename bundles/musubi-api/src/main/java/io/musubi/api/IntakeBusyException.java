package io.musubi.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The hub has more inbound events in progress than it can commit, and this one could not start within the wait it is
 * allowed: nothing of it was stored. A synchronous caller says so to its client ("429 Too Many Requests" with
 * {@code Retry-After}) instead of letting the request time out.
 */
public class IntakeBusyException extends RuntimeException {

    private final Duration retryAfter;

    public IntakeBusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** When to try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
