package io.musubi.rest.internal.resources;

import io.musubi.rest.Role;
import io.musubi.rest.RestApi;

import static io.musubi.rest.Role.ADMIN;
import static io.musubi.rest.Role.AGENT;
import static io.musubi.rest.Role.INTEGRATION;
import static io.musubi.rest.Role.SUPERVISOR;

import io.musubi.acd.AcdEngine;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.Allowed;
import io.musubi.rest.internal.security.Caller;
import io.musubi.spi.CallControl;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * Click-to-dial: the voice connector rings the agent's phone, then calls the destination; the call is recorded as an
 * outbound VOICE interaction the agent has. An agent dials for itself; supervisors, admins and integrations for any
 * agent of the tenant.
 */
@Component(service = AgentCallsResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("agents/{id}/calls")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "calls", description = "Call control of voice interactions: transfer, hold, recording, monitoring, "
        + "click-to-dial")
public final class AgentCallsResource {

    private final AcdEngine acd;
    private final CallControls controls = new CallControls();

    @Activate
    public AgentCallsResource(@Reference AcdEngine acd) {
        this.acd = acd;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCallControl(CallControl control) {
        controls.add(control);
    }

    void removeCallControl(CallControl control) {
        controls.remove(control);
    }

    @POST
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Click-to-dial: ring the agent's phone, then call the number or extension")
    public Response dial(@Context SecurityContext sc, @PathParam("id") String id, CallJson.Dial body) {
        Caller caller = Caller.of(sc);
        String agent = Scope.actingAgent(caller, id);
        if (acd.agent(agent).isEmpty()) {
            throw new NotFoundException("no agent " + id);
        }
        if (body == null) {
            throw new BadRequestException("to is required");
        }
        String to = CallJson.destination(body.to(), "to");
        CallControl control = controls.forTenant(caller.tenantId(), body.connectorId());
        if (body.name() != null && body.name().length() > 64) {
            throw new BadRequestException("name is at most 64 characters");
        }
        String callId = CallControls.run(() -> control.dial(agent, to, body.name()));
        return Response.accepted(new CallJson.Dialled(callId, id, control.connectorId())).build();
    }
}
