package io.musubi.rest.internal.app;

import io.musubi.hub.recording.AcdRecording;
import io.musubi.rest.RestApi;

import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Response;

import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No API answer claims a decision the store does not have: after a request that may have changed routing state (any
 * method but GET, HEAD, OPTIONS) succeeded, the answer waits until the ACD's decisions made so far are durable
 * ({@link AcdRecording}; concurrent requests share one commit). If the store does not take them in time the answer
 * becomes a 503 problem with {@code Retry-After} instead of a success the hub could not keep after a crash. Runs before
 * the idempotency filter stores the answer (a 503 is not kept, so a retry with the same key runs again).
 */
@Component(service = ContainerResponseFilter.class, immediate = true)
@JakartarsExtension
@JakartarsApplicationSelect(RestApi.SELECT)
@Priority(Priorities.USER + 100)
public final class RecordedDecisionsFilter implements ContainerResponseFilter {

    private static final Logger LOG = LoggerFactory.getLogger(RecordedDecisionsFilter.class);
    private static final Set<String> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final AcdRecording recording;

    @Activate
    public RecordedDecisionsFilter(@Reference AcdRecording recording) {
        this.recording = recording;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (SAFE.contains(request.getMethod()) || response.getStatus() >= 400) {
            return;
        }
        try {
            recording.awaitRecorded();
        } catch (IllegalStateException e) {
            LOG.warn("{} {} answered 503: {}", request.getMethod(), request.getUriInfo().getPath(), e.getMessage());
            Problem problem = Problem.of(Response.Status.SERVICE_UNAVAILABLE,
                    "the hub's store did not confirm the change in time; retry");
            response.setStatus(problem.status());
            response.getHeaders().putSingle("Content-Type", Problem.MEDIA_TYPE);
            response.getHeaders().putSingle("Retry-After", "1");
            response.setEntity(problem);
        }
    }
}
