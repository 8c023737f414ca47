package io.musubi.rest.internal.security;

/**
 * Credentials were refused. {@link #clientDetail()} is what the client is told (a category, never which part of a
 * key was wrong); {@link #getMessage()} is the reason for the log, which names a key id or token header fields but
 * never a secret or a token.
 */
final class AuthenticationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String clientDetail;

    AuthenticationException(String clientDetail, String logReason) {
        super(LogText.safe(logReason), null, false, false);
        this.clientDetail = clientDetail;
    }

    String clientDetail() {
        return clientDetail;
    }
}
