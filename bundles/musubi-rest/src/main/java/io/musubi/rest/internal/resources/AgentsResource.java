package io.musubi.rest.internal.resources;

import io.musubi.rest.Role;
import io.musubi.rest.RestApi;

import io.musubi.hub.definitions.AgentForm;
import io.musubi.hub.definitions.AcdDefinitions;

import static io.musubi.rest.Role.ADMIN;
import static io.musubi.rest.Role.AGENT;
import static io.musubi.rest.Role.INTEGRATION;
import static io.musubi.rest.Role.SUPERVISOR;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.AgentStatus;
import io.musubi.model.Channel;
import io.musubi.model.InputRules;
import io.musubi.model.PresenceState;
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

/** Agents of the caller's tenant: definitions (admin), presence and per-channel availability, live state. */
@Component(service = AgentsResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "agents", description = "Agents: definitions, skills, capacities, presence, per-channel availability")
public final class AgentsResource {

    private final AcdEngine acd;
    private final AcdDefinitions definitions;

    @Activate
    public AgentsResource(@Reference AcdEngine acd, @Reference AcdDefinitions definitions) {
        this.acd = acd;
        this.definitions = definitions;
    }

    @GET
    @Allowed({SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "List the tenant's agents with their live state, by id, cursor-paged")
    public Page<AgentJson.View> list(@Context SecurityContext sc, @QueryParam("cursor") String cursor,
                                     @QueryParam("limit") Integer limit) {
        String tenant = Caller.of(sc).tenantId();
        List<AgentStatus> agents = acd.agents().stream().filter(a -> ScopedId.belongsTo(a.agentId(), tenant))
                .toList();
        Page<AgentStatus> page = Page.of(agents, AgentStatus::agentId, cursor, limit);
        return new Page<>(page.items().stream().map(this::view).toList(), page.nextCursor());
    }

    @GET
    @Path("{id}")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Get one agent (an agent may read only itself)")
    public AgentJson.View get(@Context SecurityContext sc, @PathParam("id") String id) {
        return view(status(Scope.actingAgent(Caller.of(sc), id)));
    }

    @PUT
    @Path("{id}")
    @Allowed(ADMIN)
    @Operation(summary = "Define or replace an agent (201 when new); presence and work are kept on replace")
    public Response put(@Context SecurityContext sc, @Context UriInfo uri, @PathParam("id") String id,
                        AgentForm.Body body) {
        Caller caller = Caller.of(sc);
        if (body == null) {
            throw new BadRequestException("an agent definition is required");
        }
        Scope.scoped(caller, "id", id);
        boolean created = definitions.saveAgent(caller.tenantId(), id, body);
        AgentJson.View view = view(status(ScopedId.of(caller.tenantId(), id)));
        return created ? Response.created(uri.getAbsolutePath()).entity(view).build() : Response.ok(view).build();
    }

    @DELETE
    @Path("{id}")
    @Allowed(ADMIN)
    @Operation(summary = "Remove an agent (409 while it has interactions offered or assigned)")
    public Response delete(@Context SecurityContext sc, @PathParam("id") String id) {
        Caller caller = Caller.of(sc);
        Scope.scoped(caller, "id", id);
        if (!definitions.deleteAgent(caller.tenantId(), id)) {
            throw new NotFoundException("no agent " + id);
        }
        return Response.noContent().build();
    }

    @PUT
    @Path("{id}/presence")
    @Allowed({AGENT, SUPERVISOR, ADMIN})
    @Operation(summary = "Set presence (AVAILABLE, AWAY with a reason, OFFLINE...); BUSY and WRAP_UP are derived")
    public AgentJson.View presence(@Context SecurityContext sc, @PathParam("id") String id,
                                   AgentJson.PresenceBody body) {
        Caller caller = Caller.of(sc);
        String agent = Scope.actingAgent(caller, id);
        if (body == null || body.state() == null) {
            throw new BadRequestException("state is required");
        }
        if (body.state() == PresenceState.BUSY) {
            throw new BadRequestException("BUSY is derived from the agent's work and cannot be set");
        }
        String reason = InputRules.optionalName("reason", body.reason(), InputRules.LABEL_MAX);
        status(agent);
        acd.setPresence(agent, body.state(), reason, Scope.actor(caller));
        return view(status(agent));
    }

    @PUT
    @Path("{id}/channels/{channel}")
    @Allowed({AGENT, SUPERVISOR, ADMIN})
    @Operation(summary = "Make a channel routable or not for the agent (e.g. chat yes, voice no)")
    public AgentJson.View channel(@Context SecurityContext sc, @PathParam("id") String id,
                                  @PathParam("channel") Channel channel, AgentJson.ChannelBody body) {
        Caller caller = Caller.of(sc);
        String agent = Scope.actingAgent(caller, id);
        if (body == null) {
            throw new BadRequestException("enabled is required");
        }
        status(agent);
        acd.setChannelEnabled(agent, channel, body.enabled(), Scope.actor(caller));
        return view(status(agent));
    }

    private AgentStatus status(String scopedId) {
        return acd.agent(scopedId).orElseThrow(() -> new NotFoundException("no agent " + ScopedId.localOf(scopedId)));
    }

    private AgentJson.View view(AgentStatus s) {
        return AgentJson.View.of(s, definitions.agentDefinition(s.agentId()).orElse(null));
    }
}
