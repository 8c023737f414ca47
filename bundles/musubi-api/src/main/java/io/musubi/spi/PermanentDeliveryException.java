package io.musubi.spi;

/**
 * A message that can never be delivered (invalid recipient, content the provider refuses, HTTP 4xx other than 429):
 * recorded on the message as FAILED with {@link #reason()}, never retried. The message never carries PII or secrets.
 */
public class PermanentDeliveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason a short machine-readable category recorded on the message, e.g. {@code invalid-recipient},
     *               {@code http-400}, {@code content-rejected}
     */
    public PermanentDeliveryException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public PermanentDeliveryException(String reason, String message) {
        this(reason, message, null);
    }

    public String reason() {
        return reason;
    }
}
