package io.musubi.rest.internal.resources;

import io.musubi.rest.Role;
import io.musubi.rest.RestApi;

import io.musubi.hub.definitions.Fields;

import static io.musubi.rest.Role.ADMIN;
import static io.musubi.rest.Role.AGENT;
import static io.musubi.rest.Role.INTEGRATION;
import static io.musubi.rest.Role.SUPERVISOR;

import io.musubi.acd.AcdEngine;
import io.musubi.api.InboundEventRefusedException;
import io.musubi.hub.recording.AcdRecording;
import io.musubi.api.InteractionIntake;
import io.musubi.api.OutboundGateway;
import io.musubi.api.ScheduledInteractions;
import io.musubi.store.HistoryStore;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InputRules;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.InvalidInputException;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.model.ScopedId;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.Allowed;
import io.musubi.rest.internal.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * Interactions: created from a custom channel, then driven through the agent operations of DESIGN §5 (accept,
 * reject, transfer, hold, resume, wrap-up, end), with messages and notes. An agent-role caller only sees and acts
 * on interactions offered or assigned to itself; other roles act for any agent of their tenant.
 */
@Component(service = InteractionsResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("interactions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "interactions", description = "Interactions: create, accept, reject, transfer, hold, wrap-up, end, "
        + "messages, notes")
public final class InteractionsResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final AcdEngine acd;
    private final HistoryStore history;
    private final InteractionIntake intake;
    private final OutboundGateway gateway;
    private final AcdRecording recording;
    private final Clock clock = Clock.systemUTC();
    /** Interactions held back until their time (a call-back for 15:00): {@code end} cancels one. */
    private volatile ScheduledInteractions scheduled;

    @Activate
    public InteractionsResource(@Reference AcdEngine acd, @Reference HistoryStore history,
                                @Reference InteractionIntake intake, @Reference OutboundGateway gateway,
                                @Reference AcdRecording recording) {
        this.acd = acd;
        this.history = history;
        this.intake = intake;
        this.gateway = gateway;
        this.recording = recording;
    }

    /** For tests whose ACD records synchronously (its recorder is a listener). */
    public InteractionsResource(AcdEngine acd, HistoryStore history, InteractionIntake intake,
                                OutboundGateway gateway) {
        this(acd, history, intake, gateway, () -> { });
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindScheduled(ScheduledInteractions s) {
        scheduled = s;
    }

    void unbindScheduled(ScheduledInteractions s) {
        if (scheduled == s) {
            scheduled = null;
        }
    }

    @POST
    @Allowed({INTEGRATION, ADMIN, SUPERVISOR})
    @Operation(summary = "Create an interaction from a custom channel, or add a message to the conversation's open one")
    public Response create(@Context SecurityContext sc, @Context UriInfo uri,
                           @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey, InteractionJson.Create body) {
        Caller caller = Caller.of(sc);
        if (body == null || body.from() == null || body.from().isBlank()) {
            throw new InvalidInputException("from", "required: the customer's address, e.g. webchat:visitor-42");
        }
        // Every field is checked against its limit before the intake stores anything (docs/rest.md, limits).
        Address from = address(body.from(), "from");
        Address to = body.to() == null || body.to().isBlank() ? null : address(body.to(), "to");
        String threadKey = InputRules.optionalName("threadKey", body.threadKey(), InputRules.THREAD_KEY_MAX);
        String messageId = InputRules.optionalName("messageId", body.messageId(), InputRules.MESSAGE_ID_MAX);
        Map<String, String> attributes = new HashMap<>();
        if (Fields.entries("attributes", body.attributes(), InputRules.ATTRIBUTES_MAX) != null) {
            body.attributes().forEach((k, v) -> {
                String key = InputRules.name("attributes", k, InputRules.LABEL_MAX);
                if (key.startsWith("musubi.")) {
                    throw new InvalidInputException("attributes", "names starting with musubi. are reserved");
                }
                attributes.put(key, InputRules.text("attributes", v, InputRules.ATTRIBUTE_VALUE_MAX));
            });
        }
        if (body.queueId() != null) {
            Scope.scoped(caller, "queueId", body.queueId());
            attributes.put("musubi.queue", body.queueId());
        }
        MessageContent content = body.text() == null && body.attachments() == null ? null
                : InteractionJson.content(body.text(), body.attachments());
        String eventId = firstNonBlank(messageId, idempotencyKey, UUID.randomUUID().toString());
        InboundEvent event = new InboundEvent(eventId, InteractionIntake.API_SOURCE, caller.tenantId(),
                body.channel() == null ? Channel.CUSTOM : body.channel(),
                content == null ? InteractionEventType.ARRIVED : InteractionEventType.MESSAGE_IN, from, to,
                threadKey, content, attributes, clock.instant());
        Interaction interaction;
        try {
            interaction = intake.submit(event);
        } catch (InboundEventRefusedException refused) {
            throw new BadRequestException(refusal(refused));
        }
        return Response.created(uri.getBaseUriBuilder().path("interactions").path(interaction.id()).build())
                .entity(view(acd.interaction(interaction.id()).orElse(interaction))).build();
    }

    @GET
    @Path("{id}")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Get an interaction's current state")
    public InteractionJson.View get(@Context SecurityContext sc, @PathParam("id") String id) {
        return view(visible(Caller.of(sc), id));
    }

    @GET
    @Path("{id}/events")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Everything recorded on the interaction, oldest first (one page)")
    public Page<InteractionJson.EventView> events(@Context SecurityContext sc, @PathParam("id") String id) {
        Caller caller = Caller.of(sc);
        visible(caller, id);
        return Page.all(history.interactionEvents(caller.tenantId(), id).stream().map(InteractionJson.EventView::of)
                .toList());
    }

    @POST
    @Path("{id}/accept")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Accept the offer made to an agent")
    public InteractionJson.View accept(@Context SecurityContext sc, @PathParam("id") String id,
                                       InteractionJson.AgentAction body) {
        Caller caller = Caller.of(sc);
        visible(caller, id);
        acd.accept(id, agentFor(caller, body == null ? null : body.agentId()));
        return current(caller, id);
    }

    @POST
    @Path("{id}/reject")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Reject the offer made to an agent; the interaction goes back to its queue")
    public InteractionJson.View reject(@Context SecurityContext sc, @PathParam("id") String id,
                                       InteractionJson.AgentAction body) {
        Caller caller = Caller.of(sc);
        visible(caller, id);
        String reason = InputRules.optionalName("reason", body == null ? null : body.reason(), InputRules.LABEL_MAX);
        acd.reject(id, agentFor(caller, body == null ? null : body.agentId()), reason);
        return current(caller, id);
    }

    @POST
    @Path("{id}/transfer")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Transfer to an agent or a queue")
    public InteractionJson.View transfer(@Context SecurityContext sc, @PathParam("id") String id,
                                         InteractionJson.Transfer body) {
        Caller caller = Caller.of(sc);
        visible(caller, id);
        if (body == null || (body.agentId() == null) == (body.queueId() == null)) {
            throw new BadRequestException("name exactly one of agentId and queueId");
        }
        if (body.agentId() != null) {
            String target = Scope.scoped(caller, "agentId", body.agentId());
            if (acd.agent(target).isEmpty()) {
                throw new NotFoundException("no agent " + body.agentId());
            }
            acd.transferToAgent(id, target, Scope.actor(caller));
        } else {
            acd.transferToQueue(id, Scope.scoped(caller, "queueId", body.queueId()), Scope.actor(caller));
        }
        return current(caller, id);
    }

    @POST
    @Path("{id}/hold")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Put a connected interaction on hold")
    public InteractionJson.View hold(@Context SecurityContext sc, @PathParam("id") String id) {
        Caller caller = Caller.of(sc);
        visible(caller, id);
        acd.hold(id, Scope.actor(caller));
        return current(caller, id);
    }

    @POST
    @Path("{id}/resume")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Resume a held interaction")
    public InteractionJson.View resume(@Context SecurityContext sc, @PathParam("id") String id) {
        Caller caller = Caller.of(sc);
        visible(caller, id);
        acd.resume(id, Scope.actor(caller));
        return current(caller, id);
    }

    @POST
    @Path("{id}/wrap-up")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Finish the conversation and start wrap-up (the queue's wrap-up time), with a disposition")
    public InteractionJson.View wrapUp(@Context SecurityContext sc, @PathParam("id") String id,
                                       InteractionJson.Disposition body) {
        Caller caller = Caller.of(sc);
        visible(caller, id);
        String actor = Scope.actor(caller);
        String disposition = disposition(body);
        acd.wrapUp(id, disposition, actor);
        return current(caller, id);
    }

    @POST
    @Path("{id}/end")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "End the interaction now, wrap-up included (queued or ringing: the customer left; "
            + "a call-back held back until its time: cancelled)")
    public InteractionJson.View end(@Context SecurityContext sc, @PathParam("id") String id,
                                    InteractionJson.Disposition body) {
        Caller caller = Caller.of(sc);
        Interaction before = visible(caller, id);
        String actor = Scope.actor(caller);
        String disposition = disposition(body);
        ScheduledInteractions held = scheduled;
        if (held != null && before.state() == InteractionState.NEW && acd.interaction(id).isEmpty()) {
            if (!disposition.isBlank()) {
                throw new IllegalStateException("interaction " + id + " was not handled: no disposition");
            }
            if (held.cancel(caller.tenantId(), id, actor)) {
                return view(Scope.interaction(history, caller, id));
            }
        }
        acd.end(id, disposition, actor);
        // The engine forgets an ended interaction; the view keeps the disposition recorded at wrap-up (or now) even
        // if the history has not caught up with it yet.
        Interaction after = settled(caller, id);
        String recorded = disposition.isBlank() ? before.disposition() : disposition;
        if (after.disposition().isEmpty() && !recorded.isEmpty()) {
            after = new Interaction(after.id(), after.tenantId(), after.channel(), after.customerId(), after.from(),
                    after.to(), after.threadKey(), after.queueId(), after.priority(), after.attributes(),
                    after.state(), after.createdAt(), after.updatedAt(), after.agentId(), recorded);
        }
        return view(after);
    }

    @POST
    @Path("{id}/messages")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Send a reply through the conversation's connector (or add a customer message: direction in)")
    public Response message(@Context SecurityContext sc, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                            @PathParam("id") String id, InteractionJson.Message body) {
        Caller caller = Caller.of(sc);
        Interaction interaction = visible(caller, id);
        if (body == null || ((body.text() == null || body.text().isBlank())
                && (body.attachments() == null || body.attachments().isEmpty()))) {
            throw new InvalidInputException("text", "text or attachments are required");
        }
        MessageContent content = body.content();
        String messageId = firstNonBlank(InputRules.optionalName("messageId", body.messageId(),
                InputRules.MESSAGE_ID_MAX), idempotencyKey, UUID.randomUUID().toString());
        if ("in".equals(body.direction())) {
            if (!InteractionIntake.API_SOURCE.equals(interaction.attributes().get("musubi.source"))) {
                throw new BadRequestException("customer messages can be added only to interactions created over the "
                        + "API; connectors bring the others");
            }
            InboundEvent event = new InboundEvent(messageId, InteractionIntake.API_SOURCE, caller.tenantId(),
                    interaction.channel(), InteractionEventType.MESSAGE_IN, interaction.from(), interaction.to(),
                    interaction.threadKey(), content, Map.of(), clock.instant());
            intake.submit(event);
            return Response.status(Response.Status.CREATED)
                    .entity(new InteractionJson.MessageView(messageId, id, "in", event.occurredAt())).build();
        }
        if (body.direction() != null && !"out".equals(body.direction())) {
            throw new BadRequestException("direction is in or out");
        }
        OutboundMessage sent = gateway.reply(caller.tenantId(), id, messageId, content, Map.of(),
                Scope.actor(caller));
        return Response.status(Response.Status.CREATED)
                .entity(new InteractionJson.MessageView(sent.id(), id, "out", sent.createdAt())).build();
    }

    @POST
    @Path("{id}/notes")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Add an internal note (never sent to the customer)")
    public Response note(@Context SecurityContext sc, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                         @PathParam("id") String id, InteractionJson.Note body) {
        Caller caller = Caller.of(sc);
        Interaction interaction = visible(caller, id);
        String text = InputRules.requiredText("text", body == null ? null : body.text(), InputRules.NOTE_MAX);
        String key = caller.tenantId() + '/' + id + '/' + firstNonBlank(idempotencyKey, UUID.randomUUID().toString());
        InteractionEvent note = new InteractionEvent("n-" + UUID.nameUUIDFromBytes(key.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), caller.tenantId(), id, interaction.customerId(),
                interaction.channel(), InteractionEventType.NOTE, clock.instant(), Scope.actor(caller), Map.of(),
                MessageContent.text(text));
        intake.record(note);
        return Response.status(Response.Status.CREATED).entity(InteractionJson.EventView.of(note)).build();
    }

    /** The interaction if the caller may see it: its tenant's, and for an agent one offered or assigned to it. */
    private Interaction visible(Caller caller, String id) {
        Interaction stored = Scope.interaction(history, caller, id);
        Interaction live = acd.interaction(id).orElse(stored);
        if (caller.isOnlyAgent()) {
            String me = ScopedId.of(caller.tenantId(), caller.agentId());
            boolean mine = me.equals(live.agentId()) || me.equals(stored.agentId())
                    || acd.agent(me).map(a -> a.offered().contains(id) || a.assigned().contains(id)).orElse(false);
            if (!mine) {
                throw new NotFoundException("no interaction " + id);
            }
        }
        return live;
    }

    private InteractionJson.View current(Caller caller, String id) {
        return view(settled(caller, id));
    }

    /**
     * The interaction as the ACD holds it, or, once the ACD let it go (ended), as the history has it after the ACD's
     * decisions so far are written (they are recorded in batches, so an answer read too early would say WRAP_UP).
     */
    private Interaction settled(Caller caller, String id) {
        return acd.interaction(id).orElseGet(() -> {
            recording.awaitRecorded();
            return Scope.interaction(history, caller, id);
        });
    }

    private static String agentFor(Caller caller, String requested) {
        if (caller.isOnlyAgent()) {
            if (requested != null && !requested.equals(caller.agentId())) {
                throw new NotFoundException("no agent " + requested);
            }
            return ScopedId.of(caller.tenantId(), caller.agentId());
        }
        if (requested == null || requested.isBlank()) {
            throw new InvalidInputException("agentId", "required");
        }
        return Scope.scoped(caller, "agentId", requested);
    }

    private static InteractionJson.View view(Interaction i) {
        return InteractionJson.View.of(i);
    }

    private static String disposition(InteractionJson.Disposition body) {
        return InputRules.optionalName("disposition", body == null ? null : body.disposition(),
                InputRules.DISPOSITION_MAX);
    }

    /** An address from a request: its length checked before it is parsed or normalised. */
    static Address address(String uri, String field) {
        InputRules.maxLength(field, uri, InputRules.ADDRESS_MAX);
        try {
            return Address.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "an address URI such as webchat:visitor-42 or tel:+81312345678, "
                    + "one line, at most " + InputRules.ADDRESS_MAX + " characters");
        }
    }

    /** Why no queue takes the new interaction, naming the request field to change (nothing was stored). */
    static String refusal(InboundEventRefusedException e) {
        return switch (e.reason()) {
            case UNKNOWN_QUEUE -> "queueId: there is no queue " + e.queueId();
            case CHANNEL_NOT_TAKEN -> e.queueNamed()
                    ? "queueId: queue " + e.queueId() + " does not take channel " + e.channel()
                    : "channel: the default queue " + e.queueId() + " does not take " + e.channel()
                            + "; name a queueId that does";
            case NO_DEFAULT_QUEUE -> "queueId is required: there is no default queue " + e.queueId();
        };
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        throw new IllegalArgumentException("no value");
    }
}
