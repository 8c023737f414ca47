package io.musubi.rest.internal.app;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem document. {@code detail} is written for the client and never carries secrets,
 * stack traces or another tenant's data.
 */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /**
     * Built with the constructor, not {@code MediaType.valueOf}: that needs Jakarta REST's RuntimeDelegate, which is
     * not there yet when the error page answers a request during start-up, and a failed static initialiser would
     * break every later problem response.
     */
    static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");

    public static Problem of(Response.StatusType status, String detail) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail);
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
