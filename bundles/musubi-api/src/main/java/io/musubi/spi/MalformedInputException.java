package io.musubi.spi;

/**
 * Input that can never be processed, however often it is retried: a payload that does not parse, a required field
 * missing, a value out of range. Routes built on {@code io.musubi.camel.MusubiRouteBuilder} do not redeliver it: the
 * original message goes straight to the dead-letter queue with the reason, and it is counted; the webhook intake
 * answers 400. The message names what is wrong (a field, a limit) and never carries the input itself: it is logged,
 * and input is PII.
 */
public class MalformedInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedInputException(String message) {
        super(message);
    }

    public MalformedInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
