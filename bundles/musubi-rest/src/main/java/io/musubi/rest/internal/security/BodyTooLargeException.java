package io.musubi.rest.internal.security;

import java.io.IOException;

/**
 * A request body went over the limit while it was read. An {@link IOException} on purpose: JSON parsers pass stream
 * failures through unchanged, so it reaches {@link BodyTooLargeMapper} as itself.
 */
public final class BodyTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
