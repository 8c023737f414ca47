package io.musubi.rest.internal.app;

import io.musubi.api.IntakeBusyException;

import io.musubi.store.AddressInUseException;
import io.musubi.store.UnknownCustomerException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.UUID;

import org.glassfish.jersey.server.ParamException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error leaves the API as problem+json: client errors keep their status and a safe message; anything
 * unexpected is a 500 with an incident id that is also in the log, where the exception is (driver messages, which
 * quote values, withheld: {@link LogSafe}). A route that matches nothing (404) and a method the route does not take
 * (405, with {@code Allow}) are problems too; so is a path or query parameter that does not convert (400 naming it).
 * A value that breaks an input rule ({@link io.musubi.model.InvalidInputException}) is a 400 naming the field.
 */
public final class ProblemExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemExceptionMapper.class);
    private static final List<String> KEPT_HEADERS = List.of(HttpHeaders.ALLOW, HttpHeaders.RETRY_AFTER,
            HttpHeaders.WWW_AUTHENTICATE);

    @Override
    public Response toResponse(Throwable exception) {
        if (exception instanceof IntakeBusyException busy) {
            // Back-pressure: the hub cannot commit more now; the client is told when to come back.
            return Response.fromResponse(Problem.of(Response.Status.TOO_MANY_REQUESTS, busy.getMessage()).toResponse())
                    .header(HttpHeaders.RETRY_AFTER, Math.max(1, busy.retryAfter().toSeconds())).build();
        }
        if (exception instanceof ParamException param) {
            // A path or query parameter that does not convert (limit=abc, an unknown channel): the client's error.
            String name = param.getParameterName() == null ? "?" : param.getParameterName()
                    .replaceAll("[^A-Za-z0-9_.-]", "?");
            return Problem.of(Response.Status.BAD_REQUEST, name + ": not a valid value for this "
                    + param.getParameterType().getSimpleName().replace("Param", "").toLowerCase(Locale.ROOT)
                    + " parameter").toResponse();
        }
        if (exception instanceof WebApplicationException wae) {
            Response original = wae.getResponse();
            Response.StatusType status = original.getStatusInfo();
            String detail = status.getFamily() == Response.Status.Family.CLIENT_ERROR && wae.getMessage() != null
                    ? wae.getMessage() : status.getReasonPhrase();
            Response.ResponseBuilder problem = Response.fromResponse(Problem.of(status, detail).toResponse());
            // Keep what the client needs to act on: Allow (405), Retry-After (503), WWW-Authenticate (401).
            for (String header : KEPT_HEADERS) {
                List<Object> values = original.getHeaders().get(header);
                if (values != null) {
                    values.forEach(v -> problem.header(header, v));
                }
            }
            return problem.build();
        }
        Response.Status status = statusOf(exception);
        if (status != null) {
            // The engine and the stores say what was wrong with the request; their messages name only the
            // caller's own ids.
            return Problem.of(status, exception.getMessage() == null ? status.getReasonPhrase()
                    : exception.getMessage()).toResponse();
        }
        String incident = UUID.randomUUID().toString();
        // Driver messages quote the statement's values (personal data): logged without them.
        LOG.error("Unhandled error in the REST API, incident {}", incident, LogSafe.of(exception));
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
