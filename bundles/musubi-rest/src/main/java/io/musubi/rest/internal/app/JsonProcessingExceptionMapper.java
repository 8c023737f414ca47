package io.musubi.rest.internal.app;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.musubi.rest.internal.security.BodyTooLargeException;
import io.musubi.rest.internal.security.BodyTooLargeMapper;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request body that is not valid JSON or does not fit the expected type (an unknown property such as a smuggled
 * {@code tenantId}, a wrong type) is the client's error: 400 problem+json naming the property path or the position,
 * never the offending value (it may be personal data), and the same in the log.
 */
public final class JsonProcessingExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonProcessingExceptionMapper.class);
    private static final int MAX_NAME = 64;

    @Override
    public Response toResponse(JsonProcessingException exception) {
        for (Throwable t = exception.getCause(); t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return new BodyTooLargeMapper().toResponse(tooLarge);
            }
        }
        String detail = detail(exception);
        LOG.info("400: request body rejected ({}): {}", exception.getClass().getSimpleName(), detail);
        return Problem.of(Response.Status.BAD_REQUEST, detail).toResponse();
    }

    static String detail(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException syntax) {
                return "request body is not valid JSON" + where(syntax.getLocation());
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown property '" + name(u.getPropertyName()) + "'";
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "invalid value at '" + path(m) + "'";
        }
        return "request body does not match the expected JSON" + where(e.getLocation());
    }

    private static String where(JsonLocation at) {
        return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr()
                + ")";
    }

    private static String path(JsonMappingException m) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                out.append(out.length() == 0 ? "" : ".").append(name(r.getFieldName()));
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String name(String s) {
        if (s == null) {
            return "?";
        }
        String bounded = s.length() > MAX_NAME ? s.substring(0, MAX_NAME) + "..." : s;
        return bounded.replaceAll("[^A-Za-z0-9_.$-]", "?");
    }
}
