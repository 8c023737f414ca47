package io.musubi.rest.internal.resources;

import io.musubi.rest.RestApi;

import io.musubi.hub.events.EventFilter;
import io.musubi.hub.events.EventStream;
import io.musubi.hub.events.EventTypes;
import io.musubi.model.ScopedId;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.Allowed;
import io.musubi.rest.internal.security.Caller;
import io.musubi.rest.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code GET /api/v1/events}: the caller's tenant's events as Server-Sent Events (docs/events.md). Filters
 * {@code agentId}, {@code queueId}, {@code customerId} and {@code type}, each repeatable (any of the values; the
 * filters combine with AND). Supervisors, admins and integrations see their whole tenant; an agent sees only the
 * events about itself. Resume with the {@code Last-Event-ID} header (or the {@code lastEventId} query parameter
 * for a first connection; the header wins). An adapter over the hub's {@link EventStream}.
 */
@Component(service = EventsResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("events")
@Tag(name = "events", description = "Server-Sent Events stream, filtered, resumable with Last-Event-ID")
@Allowed({Role.AGENT, Role.SUPERVISOR, Role.ADMIN, Role.INTEGRATION})
public final class EventsResource {

    /** Longest wait for one write to a client before its stream is given up. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_VALUES = 100;

    private final EventStream stream;

    @Activate
    public EventsResource(@Reference EventStream stream) {
        this.stream = stream;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Stream events (text/event-stream), filtered per agent, queue, customer and type")
    public void stream(@Context SecurityContext security, @Context Sse sse, @Context SseEventSink sink,
                       @QueryParam("agentId") List<String> agentIds, @QueryParam("queueId") List<String> queueIds,
                       @QueryParam("customerId") List<String> customerIds, @QueryParam("type") List<String> types,
                       @QueryParam("lastEventId") String lastEventIdParam,
                       @HeaderParam("Last-Event-ID") String lastEventIdHeader) {
        Caller caller = Caller.of(security);
        EventFilter filter = filter(caller, agentIds, queueIds, customerIds, types);
        Long lastEventId = lastEventId(lastEventIdHeader, lastEventIdParam);
        try {
            stream.subscribe(filter, lastEventId, new SseSink(sse, sink, WRITE_TIMEOUT));
        } catch (EventStream.TooManyStreamsException e) {
            throw new ServiceUnavailableException(e.getMessage());
        }
    }

    /** The stream's filter for this caller; 400 for a malformed value, 403 for an agent key without an agent. */
    static EventFilter filter(Caller caller, List<String> agentIds, List<String> queueIds, List<String> customerIds,
                              List<String> types) {
        check("agentId", agentIds);
        check("queueId", queueIds);
        check("customerId", customerIds);
        check("type", types);
        for (String a : agentIds) {
            if (!ScopedId.isValidLocal(a)) {
                throw new BadRequestException("agentId: not a valid agent id");
            }
        }
        for (String q : queueIds) {
            if (!ScopedId.isValidLocal(q)) {
                throw new BadRequestException("queueId: not a valid queue id");
            }
        }
        for (String c : customerIds) {
            if (c.isBlank() || c.length() > 64) {
                throw new BadRequestException("customerId: 1 to 64 characters");
            }
        }
        for (String t : types) {
            if (!EventTypes.ALL.contains(t)) {
                throw new BadRequestException("type: unknown event type; one of " + String.join(", ", EventTypes.ALL));
            }
        }
        boolean agentOnly = caller.has(Role.AGENT) && !caller.isManager() && !caller.has(Role.INTEGRATION);
        if (agentOnly && caller.agentId() == null) {
            throw new ForbiddenException("these credentials have the agent role but name no agent");
        }
        return EventFilter.of(caller.tenantId(), agentIds, queueIds, customerIds, types,
                agentOnly ? caller.agentId() : null);
    }

    private static void check(String name, List<String> values) {
        if (values.size() > MAX_VALUES) {
            throw new BadRequestException(name + ": at most " + MAX_VALUES + " values");
        }
    }

    /** The id to resume after: the header (set by a reconnecting EventSource) before the query parameter. */
    static Long lastEventId(String header, String param) {
        String value = header != null && !header.isBlank() ? header : param;
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new BadRequestException("Last-Event-ID: not an event id of this stream");
        }
    }
}
