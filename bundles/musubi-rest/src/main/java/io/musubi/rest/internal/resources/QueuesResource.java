package io.musubi.rest.internal.resources;

import io.musubi.rest.Role;
import io.musubi.rest.RestApi;

import io.musubi.hub.definitions.QueueForm;
import io.musubi.hub.definitions.AcdDefinitions;

import static io.musubi.rest.Role.ADMIN;
import static io.musubi.rest.Role.AGENT;
import static io.musubi.rest.Role.INTEGRATION;
import static io.musubi.rest.Role.SUPERVISOR;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.QueueDefinition;
import io.musubi.model.ScopedId;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.Allowed;
import io.musubi.rest.internal.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/** Queues of the caller's tenant: the DESIGN §5 configuration (admin), real-time statistics, the waiting list. */
@Component(service = QueuesResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("queues")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "queues", description = "Queues: routing configuration, real-time statistics, waiting interactions")
public final class QueuesResource {

    private final AcdEngine acd;
    private final AcdDefinitions definitions;

    @Activate
    public QueuesResource(@Reference AcdEngine acd, @Reference AcdDefinitions definitions) {
        this.acd = acd;
        this.definitions = definitions;
    }

    @GET
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "List the tenant's queues with configuration and statistics, by id, cursor-paged")
    public Page<QueueJson.View> list(@Context SecurityContext sc, @QueryParam("cursor") String cursor,
                                     @QueryParam("limit") Integer limit) {
        String tenant = Caller.of(sc).tenantId();
        List<QueueDefinition> queues = acd.queues().stream().filter(q -> ScopedId.belongsTo(q.id(), tenant))
                .toList();
        Page<QueueDefinition> page = Page.of(queues, QueueDefinition::id, cursor, limit);
        return new Page<>(page.items().stream().map(this::view).toList(), page.nextCursor());
    }

    @GET
    @Path("{id}")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Get one queue")
    public QueueJson.View get(@Context SecurityContext sc, @PathParam("id") String id) {
        return view(definition(Scope.scoped(Caller.of(sc), "id", id)));
    }

    @PUT
    @Path("{id}")
    @Allowed(ADMIN)
    @Operation(summary = "Define or replace a queue (201 when new); waiting interactions stay, re-listed")
    public Response put(@Context SecurityContext sc, @Context UriInfo uri, @PathParam("id") String id,
                        QueueForm.Body body) {
        Caller caller = Caller.of(sc);
        if (body == null) {
            throw new BadRequestException("a queue definition is required");
        }
        Scope.scoped(caller, "id", id);
        boolean created = definitions.saveQueue(caller.tenantId(), id, body);
        QueueJson.View view = view(definition(ScopedId.of(caller.tenantId(), id)));
        return created ? Response.created(uri.getAbsolutePath()).entity(view).build() : Response.ok(view).build();
    }

    @DELETE
    @Path("{id}")
    @Allowed(ADMIN)
    @Operation(summary = "Remove a queue (409 while interactions wait in it)")
    public Response delete(@Context SecurityContext sc, @PathParam("id") String id) {
        Caller caller = Caller.of(sc);
        Scope.scoped(caller, "id", id);
        if (!definitions.deleteQueue(caller.tenantId(), id)) {
            throw new NotFoundException("no queue " + id);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/stats")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Real-time statistics: waiting, longest wait, agents, service level, ASA, AHT, expected wait")
    public QueueJson.Stats stats(@Context SecurityContext sc, @PathParam("id") String id) {
        String queue = Scope.scoped(Caller.of(sc), "id", id);
        return acd.queueStatistics(queue).map(QueueJson.Stats::of)
                .orElseThrow(() -> new NotFoundException("no queue " + id));
    }

    @GET
    @Path("{id}/waiting")
    @Allowed({SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Interactions waiting, in the order they would be offered (one page)")
    public Page<QueueJson.Waiting> waiting(@Context SecurityContext sc, @PathParam("id") String id) {
        String queue = Scope.scoped(Caller.of(sc), "id", id);
        definition(queue);
        return Page.all(acd.waiting(queue).stream().map(QueueJson.Waiting::of).toList());
    }

    private QueueDefinition definition(String scopedId) {
        return acd.queues().stream().filter(q -> q.id().equals(scopedId)).findFirst()
                .orElseThrow(() -> new NotFoundException("no queue " + ScopedId.localOf(scopedId)));
    }

    private QueueJson.View view(QueueDefinition d) {
        return new QueueJson.View(ScopedId.localOf(d.id()), QueueForm.Body.of(d),
                acd.queueStatistics(d.id()).map(QueueJson.Stats::of).orElse(null));
    }
}
