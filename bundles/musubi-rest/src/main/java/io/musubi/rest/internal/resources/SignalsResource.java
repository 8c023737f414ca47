package io.musubi.rest.internal.resources;

import io.musubi.rest.Role;
import io.musubi.rest.RestApi;

import static io.musubi.rest.Role.ADMIN;
import static io.musubi.rest.Role.AGENT;
import static io.musubi.rest.Role.INTEGRATION;
import static io.musubi.rest.Role.SUPERVISOR;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.acd.AcdEngine;
import io.musubi.store.HistoryStore;
import io.musubi.model.Interaction;
import io.musubi.model.ScopedId;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.internal.app.ObjectMapperResolver;
import io.musubi.rest.Allowed;
import io.musubi.rest.internal.security.Caller;
import io.musubi.spi.Connector;
import io.musubi.spi.LiveChannel;
import io.musubi.spi.LiveSignal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * The live side channel between the agent handling an interaction and the customer's open client (a web chat
 * widget, a video page): typing indicators and WebRTC signalling, relayed through the {@link LiveChannel} of the
 * connector the interaction came in by, never recorded. {@code POST} sends one signal to the customer;
 * {@code GET} streams the customer's signals (Server-Sent Events, event name = signal type).
 *
 * <p>Only the agent the interaction is assigned to may use it (and supervisors, admins and integrations of the
 * tenant); an agent that is merely offered the interaction gets a 404 like for anything not its own.
 */
@Component(service = SignalsResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("interactions/{id}/signals")
@Tag(name = "interactions", description = "Interactions: create, accept, reject, transfer, hold, wrap-up, end, "
        + "messages, notes")
public final class SignalsResource {

    /** Streams open at most, all tenants together. */
    static final int MAX_STREAMS = 1000;

    /** A signal as an agent sends it: {@code data} is any JSON value, at most {@value LiveSignal#MAX_DATA} characters. */
    record SignalBody(String type, JsonNode data) {
    }

    record Sent(String type, boolean delivered) {
    }

    private final AcdEngine acd;
    private final HistoryStore history;
    private final Map<String, LiveChannel> channels = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "musubi-signals");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger streams = new AtomicInteger();

    @Activate
    public SignalsResource(@Reference AcdEngine acd, @Reference HistoryStore history) {
        this.acd = acd;
        this.history = history;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addChannel(LiveChannel channel, Map<String, Object> properties) {
        Object id = properties.get(Connector.ID_PROPERTY);
        if (id != null) {
            channels.put(id.toString(), channel);
        }
    }

    void removeChannel(LiveChannel channel, Map<String, Object> properties) {
        Object id = properties.get(Connector.ID_PROPERTY);
        if (id != null) {
            channels.remove(id.toString(), channel);
        }
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Send a live signal (typing, WebRTC offer/answer/candidate, hang-up) to the customer's client")
    public Response send(@Context SecurityContext sc, @PathParam("id") String id, SignalBody body) {
        Caller caller = Caller.of(sc);
        Interaction interaction = handled(caller, id);
        if (body == null || body.type() == null) {
            throw new BadRequestException("type is required");
        }
        LiveSignal signal;
        try {
            String data = body.data() == null ? "{}" : ObjectMapperResolver.mapper().writeValueAsString(body.data());
            if (data.length() > LiveSignal.MAX_DATA) {
                throw new BadRequestException("data: at most " + LiveSignal.MAX_DATA + " characters of JSON");
            }
            signal = new LiveSignal(body.type(), interaction.id(), data);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("data: not JSON");
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        if (!channel(interaction).send(caller.tenantId(), interaction.from(), signal)) {
            throw new ClientErrorException("the customer's client is not connected", Response.Status.CONFLICT);
        }
        return Response.accepted(new Sent(signal.type(), true)).build();
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Stream the customer client's live signals for the interaction (text/event-stream)")
    public void stream(@Context SecurityContext sc, @Context Sse sse, @Context SseEventSink sink,
                       @PathParam("id") String id) {
        Caller caller = Caller.of(sc);
        Interaction interaction = handled(caller, id);
        LiveChannel channel = channel(interaction);
        if (streams.incrementAndGet() > MAX_STREAMS) {
            streams.decrementAndGet();
            throw new ServiceUnavailableException("too many signal streams are open, retry later");
        }
        SignalStream stream = new SignalStream(interaction.id(), sse, sink, executor, streams::decrementAndGet);
        stream.start(channel.subscribe(caller.tenantId(), interaction.from(), stream));
    }

    /** The interaction, if the caller handles it: assigned to it (an agent), or of its tenant (the other roles). */
    private Interaction handled(Caller caller, String id) {
        Interaction stored = Scope.interaction(history, caller, id);
        Interaction live = acd.interaction(id).orElse(stored);
        if (caller.isOnlyAgent() && !ScopedId.of(caller.tenantId(), caller.agentId()).equals(live.agentId())) {
            throw new NotFoundException("no interaction " + id);
        }
        if (live.state().isTerminal()) {
            throw new ClientErrorException("the interaction has ended", Response.Status.CONFLICT);
        }
        return live;
    }

    private LiveChannel channel(Interaction interaction) {
        String source = interaction.attributes().get("musubi.source");
        LiveChannel channel = source == null ? null : channels.get(source);
        if (channel == null) {
            throw new ClientErrorException("the interaction's channel has no live connection to the customer's client",
                    Response.Status.CONFLICT);
        }
        return channel;
    }
}
