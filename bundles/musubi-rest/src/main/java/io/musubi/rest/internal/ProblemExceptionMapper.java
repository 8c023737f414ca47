package io.musubi.rest.internal;

import io.musubi.history.AddressInUseException;
import io.musubi.history.UnknownCustomerException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import java.util.NoSuchElementException;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error leaves the API as problem+json: client errors keep their status and a safe message; anything
 * unexpected is a 500 with an incident id that is also in the log, where the exception is.
 */
public final class ProblemExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemExceptionMapper.class);

    @Override
    public Response toResponse(Throwable exception) {
        if (exception instanceof WebApplicationException wae) {
            Response.StatusType status = wae.getResponse().getStatusInfo();
            String detail = status.getFamily() == Response.Status.Family.CLIENT_ERROR && wae.getMessage() != null
                    ? wae.getMessage() : status.getReasonPhrase();
            return Problem.of(status, detail).toResponse();
        }
        Response.Status status = statusOf(exception);
        if (status != null) {
            // The engine and the stores say what was wrong with the request; their messages name only the
            // caller's own ids.
            return Problem.of(status, exception.getMessage() == null ? status.getReasonPhrase()
                    : exception.getMessage()).toResponse();
        }
        String incident = UUID.randomUUID().toString();
        LOG.error("Unhandled error in the REST API, incident {}", incident, exception);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "Internal error, incident " + incident).toResponse();
    }

    /** Client errors the engine and the stores signal with exceptions: unknown ids, wrong state, invalid values. */
    static Response.Status statusOf(Throwable e) {
        if (e instanceof NoSuchElementException || e instanceof UnknownCustomerException) {
            return Response.Status.NOT_FOUND;
        }
        if (e instanceof AddressInUseException || e instanceof IllegalStateException) {
            return Response.Status.CONFLICT;
        }
        if (e instanceof IllegalArgumentException) {
            return Response.Status.BAD_REQUEST;
        }
        return null;
    }
}
