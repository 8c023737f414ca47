package io.musubi.spi;

import java.time.Duration;

/**
 * The hub cannot take inbound events now (its broker is unreachable or it is shedding load). The events were not
 * all made durable: the connector must not acknowledge them to the provider. Its message never carries PII.
 */
public class IngressUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public IngressUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter == null ? Duration.ofSeconds(1) : retryAfter;
    }

    /** A hint for when to try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
