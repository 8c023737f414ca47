package io.musubi.rest.internal.resources;

import io.musubi.rest.Role;
import io.musubi.rest.RestApi;

import static io.musubi.rest.Role.ADMIN;
import static io.musubi.rest.Role.AGENT;
import static io.musubi.rest.Role.INTEGRATION;
import static io.musubi.rest.Role.SUPERVISOR;

import io.musubi.acd.AcdEngine;
import io.musubi.store.HistoryStore;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.ScopedId;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.Allowed;
import io.musubi.rest.internal.security.Caller;
import io.musubi.spi.CallControl;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
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
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * Call control on a VOICE interaction, carried out by the voice connector it came in by ({@link CallControl}): transfer
 * to a PBX destination (blind or attended), hold and resume, recording, and supervisors' monitoring. An agent-role
 * caller acts only on its own calls; supervisors and admins on any call of the tenant; only they monitor. The PBX's
 * answer is awaited (202 once it accepted); what follows (answered, held, recorded, transferred) is recorded on the
 * interaction as it happens. Moving a call to another agent or queue of the hub is {@code POST
 * /interactions/{id}/transfer}: the connector follows the ACD.
 */
@Component(service = CallResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("interactions/{id}/call")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "calls", description = "Call control of voice interactions: transfer, hold, recording, monitoring, "
        + "click-to-dial")
public final class CallResource {

    private final AcdEngine acd;
    private final HistoryStore history;
    private final CallControls controls = new CallControls();

    @Activate
    public CallResource(@Reference AcdEngine acd, @Reference HistoryStore history) {
        this.acd = acd;
        this.history = history;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCallControl(CallControl control) {
        controls.add(control);
    }

    void removeCallControl(CallControl control) {
        controls.remove(control);
    }

    @POST
    @Path("transfer")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Transfer the call to a PBX extension or number, blind or attended (the agent is released)")
    public Response transfer(@Context SecurityContext sc, @PathParam("id") String id, CallJson.Transfer body) {
        Interaction call = call(Caller.of(sc), id);
        if (body == null) {
            throw new BadRequestException("target is required");
        }
        String target = CallJson.destination(body.target(), "target");
        CallControl.TransferMode mode = switch (body.mode() == null ? "blind"
                : body.mode().toLowerCase(Locale.ROOT)) {
            case "blind" -> CallControl.TransferMode.BLIND;
            case "attended" -> CallControl.TransferMode.ATTENDED;
            default -> throw new BadRequestException("mode is blind or attended");
        };
        CallControls.run(() -> {
            controls.of(call).transfer(call, target, mode);
            return null;
        });
        return requested(call, "transfer");
    }

    @POST
    @Path("hold")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Put the caller on hold (music) and keep the agent's line")
    public Response hold(@Context SecurityContext sc, @PathParam("id") String id) {
        Interaction call = call(Caller.of(sc), id);
        CallControls.run(() -> {
            controls.of(call).hold(call);
            return null;
        });
        return requested(call, "hold");
    }

    @POST
    @Path("resume")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Reconnect a caller the hub put on hold with the agent")
    public Response resume(@Context SecurityContext sc, @PathParam("id") String id) {
        Interaction call = call(Caller.of(sc), id);
        CallControls.run(() -> {
            controls.of(call).resume(call);
            return null;
        });
        return requested(call, "resume");
    }

    @POST
    @Path("record")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Start recording the call (RECORDING_STARTED with the file reference)")
    public Response record(@Context SecurityContext sc, @PathParam("id") String id) {
        Interaction call = call(Caller.of(sc), id);
        CallControls.run(() -> {
            controls.of(call).startRecording(call);
            return null;
        });
        return requested(call, "record");
    }

    @POST
    @Path("record/stop")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Stop recording the call (RECORDING_STOPPED)")
    public Response stopRecording(@Context SecurityContext sc, @PathParam("id") String id) {
        Interaction call = call(Caller.of(sc), id);
        CallControls.run(() -> {
            controls.of(call).stopRecording(call);
            return null;
        });
        return requested(call, "record/stop");
    }

    @POST
    @Path("monitor")
    @Allowed({SUPERVISOR, ADMIN})
    @Operation(summary = "A supervisor listens to, whispers to or barges into the call from the given extension")
    public Response monitor(@Context SecurityContext sc, @PathParam("id") String id, CallJson.Monitor body) {
        Caller caller = Caller.of(sc);
        Interaction call = call(caller, id);
        if (body == null || body.mode() == null) {
            throw new BadRequestException("mode is required: listen, whisper or barge");
        }
        CallControl.MonitorMode mode = switch (body.mode().toLowerCase(Locale.ROOT)) {
            case "listen" -> CallControl.MonitorMode.LISTEN;
            case "whisper" -> CallControl.MonitorMode.WHISPER;
            case "barge" -> CallControl.MonitorMode.BARGE;
            default -> throw new BadRequestException("mode is listen, whisper or barge");
        };
        String extension = CallJson.destination(body.extension(), "extension");
        CallControls.run(() -> {
            controls.of(call).monitor(call, mode, extension, Scope.actor(caller));
            return null;
        });
        return requested(call, "monitor");
    }

    /** The caller's VOICE interaction: its tenant's, and for an agent one assigned to it; else 404. */
    private Interaction call(Caller caller, String id) {
        Interaction stored = Scope.interaction(history, caller, id);
        Interaction live = acd.interaction(id).orElse(stored);
        if (caller.isOnlyAgent()) {
            String me = ScopedId.of(caller.tenantId(), caller.agentId());
            boolean mine = me.equals(live.agentId())
                    || acd.agent(me).map(a -> a.assigned().contains(id)).orElse(false);
            if (!mine) {
                throw new NotFoundException("no interaction " + id);
            }
        }
        if (live.channel() != Channel.VOICE) {
            throw new ClientErrorException("the interaction is not a call", Response.Status.CONFLICT);
        }
        return live;
    }

    private static Response requested(Interaction call, String operation) {
        return Response.accepted(new CallJson.Requested(call.id(), operation)).build();
    }
}
