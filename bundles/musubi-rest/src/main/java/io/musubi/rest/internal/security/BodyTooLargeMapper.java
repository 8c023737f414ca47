package io.musubi.rest.internal.security;

import io.musubi.rest.internal.app.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A body that outgrew the limit while it was read (no Content-Length): 413 problem+json. */
public final class BodyTooLargeMapper implements ExceptionMapper<BodyTooLargeException> {

    private static final Logger LOG = LoggerFactory.getLogger(BodyTooLargeMapper.class);

    @Override
    public Response toResponse(BodyTooLargeException exception) {
        LOG.warn("413: streamed request body over {} bytes", exception.limit());
        return RequestGuard.tooLarge(exception.limit());
    }
}
