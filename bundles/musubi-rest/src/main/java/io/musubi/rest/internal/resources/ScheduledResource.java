package io.musubi.rest.internal.resources;

import static io.musubi.rest.Role.ADMIN;
import static io.musubi.rest.Role.INTEGRATION;
import static io.musubi.rest.Role.SUPERVISOR;

import io.musubi.acd.AcdEngine;
import io.musubi.api.ScheduledInteractions;
import io.musubi.model.ScopedId;
import io.musubi.rest.Allowed;
import io.musubi.rest.RestApi;
import io.musubi.rest.internal.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code GET /queues/{id}/scheduled}: the call-backs (and other interactions) held back until a chosen time for a
 * queue, the soonest first. They are in the store (state NEW) and not yet in the ACD, so the waiting list does not
 * show them; {@code POST /interactions/{id}/end} cancels one.
 */
@Component(service = ScheduledResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("queues/{id}/scheduled")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "queues", description = "Queues: routing configuration, real-time statistics, waiting interactions")
public final class ScheduledResource {

    /**
     * A held-back interaction.
     *
     * @param dueAt       the time asked for
     * @param queueAt     when the hub queues it (the time less the configured lead)
     * @param interaction the interaction as stored (state NEW)
     */
    record Scheduled(Instant dueAt, Instant queueAt, InteractionJson.View interaction) {
    }

    private final AcdEngine acd;
    private final ScheduledInteractions scheduled;

    @Activate
    public ScheduledResource(@Reference AcdEngine acd, @Reference ScheduledInteractions scheduled) {
        this.acd = acd;
        this.scheduled = scheduled;
    }

    @GET
    @Allowed({SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Call-backs held back until their time, the soonest first (one page)")
    public Page<Scheduled> scheduled(@Context SecurityContext sc, @PathParam("id") String id) {
        Caller caller = Caller.of(sc);
        String queue = Scope.scoped(caller, "id", id);
        if (acd.queue(queue).isEmpty()) {
            throw new NotFoundException("no queue " + ScopedId.localOf(queue));
        }
        return Page.all(scheduled.scheduled(caller.tenantId(), queue).stream()
                .map(s -> new Scheduled(s.dueAt(), s.queueAt(), InteractionJson.View.of(s.interaction()))).toList());
    }
}
