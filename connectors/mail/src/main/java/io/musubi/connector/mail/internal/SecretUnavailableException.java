package io.musubi.connector.mail.internal;

/** A password the connector needs cannot be read now; the message says why, never what it is. */
final class SecretUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SecretUnavailableException(String message) {
        super(message);
    }
}
