package io.musubi.spi;

import java.time.Duration;

/**
 * A delivery failed for now (timeout, connection refused, HTTP 429 or 5xx): the message stays in the egress queue and
 * is delivered again after a back-off, at least {@link #retryAfter()} when the provider said so. The message never
 * carries PII or secrets.
 */
public class RetryableDeliveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RetryableDeliveryException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
    }

    public RetryableDeliveryException(String message) {
        this(message, Duration.ZERO, null);
    }

    /** The provider's Retry-After, or zero when it named none. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
