package io.musubi.rest.internal.resources;

import io.musubi.rest.Role;
import io.musubi.rest.RestApi;

import io.musubi.hub.definitions.StoredForms;
import io.musubi.hub.definitions.Fields;
import io.musubi.hub.menu.ChannelMenuPolicy;

import static io.musubi.rest.Role.ADMIN;
import static io.musubi.rest.Role.AGENT;
import static io.musubi.rest.Role.INTEGRATION;
import static io.musubi.rest.Role.SUPERVISOR;

import io.musubi.api.InteractionIntake;
import io.musubi.store.DefinitionRepository;
import io.musubi.store.DefinitionRepository.Kind;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InputRules;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InvalidInputException;
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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * The channel menu of design point ③: for an entry point (a web page, an app screen, an IVR branch), the channels
 * that are open now, each with its expected wait from the live queue statistics and how to reach it, plus a
 * call-back request. Entry points are defined by an admin and kept durable.
 *
 * <p>Which options are open and what a customer would wait is the hub's {@link ChannelMenuPolicy}: a live channel
 * (voice, video, web chat) is open when its queue is open and has an agent staffed; a deferred one (LINE, mail, SMS,
 * FAX, social) while its queue is open; a call-back option while its queue is open. {@code includeClosed=true}
 * lists every option with {@code open=false} where so.
 */
@Component(service = ChannelMenuResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("channel-menu")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "channel-menu", description = "Channels open now for an entry point, expected waits, call-back requests")
public final class ChannelMenuResource {

    static final int MAX_OPTIONS = 20;

    /** How a customer reaches an option. */
    enum ReachKind { WEBCHAT, LINE, PHONE, CALLBACK, VIDEO, MAIL, SMS, URL }

    /**
     * @param kind  how: open the web chat, add the LINE account as a friend, call a number, ask for a call-back...
     * @param value the URL, add-friend link, {@code tel:} number or {@code mailto:} address (none for call-back)
     */
    record Reach(ReachKind kind, String value) {
    }

    record Option(Channel channel, String queueId, String label, Reach reach) {
    }

    /**
     * An entry point as an admin defines it.
     *
     * @param published whether the menu may be read without credentials, by customers' browsers
     *                  ({@code GET /public/channel-menu/{tenant}/{id}}); absent: not published
     */
    record EntryPoint(String name, List<Option> options, Boolean published) {

        boolean isPublished() {
            return Boolean.TRUE.equals(published);
        }
    }

    record MenuOption(Channel channel, String label, Reach reach, boolean open, Double expectedWaitSeconds,
                      int agentsAvailable, int waiting) {
    }

    record Menu(String entryPoint, String name, Instant at, List<MenuOption> options) {
    }

    /**
     * A call-back request: the number to call, and optionally which option's queue and a note for the agent.
     */
    record CallbackRequest(String phone, String queueId, String note) {
    }

    private final ChannelMenuPolicy policy;
    private final DefinitionRepository store;
    private final InteractionIntake intake;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, EntryPoint> entryPoints = new ConcurrentHashMap<>();

    @Activate
    public ChannelMenuResource(@Reference ChannelMenuPolicy policy, @Reference DefinitionRepository store,
                               @Reference InteractionIntake intake) {
        this.policy = policy;
        this.store = store;
        this.intake = intake;
        for (DefinitionRepository.Definition d : store.all(Kind.ENTRY_POINT)) {
            entryPoints.put(d.id(), StoredForms.read(d, EntryPoint.class));
        }
    }

    @PUT
    @Path("entry-points/{id}")
    @Allowed(ADMIN)
    @Operation(summary = "Define or replace an entry point and its channel options")
    public Response define(@Context SecurityContext sc, @Context UriInfo uri, @PathParam("id") String id,
                           EntryPoint body) {
        Caller caller = Caller.of(sc);
        String scoped = scoped(caller, "id", id);
        EntryPoint checked = checked(caller, body);
        boolean created = !entryPoints.containsKey(scoped);
        store.save(Kind.ENTRY_POINT, scoped, caller.tenantId(), StoredForms.write(checked));
        entryPoints.put(scoped, checked);
        return (created ? Response.created(uri.getAbsolutePath()) : Response.ok()).entity(checked).build();
    }

    /** The entry point with every field checked against its limit (400 naming the field), names stripped. */
    private static EntryPoint checked(Caller caller, EntryPoint body) {
        if (body == null || body.options() == null || body.options().isEmpty()) {
            throw new InvalidInputException("options", "an entry point needs 1 to " + MAX_OPTIONS + " options");
        }
        Fields.elements("options", body.options(), MAX_OPTIONS);
        List<Option> options = new ArrayList<>();
        for (int i = 0; i < body.options().size(); i++) {
            Option o = body.options().get(i);
            String field = "options[" + i + "]";
            Fields.required(field + ".channel", o.channel());
            Fields.required(field + ".reach.kind", Fields.required(field + ".reach", o.reach()).kind());
            String value = InputRules.optionalName(field + ".reach.value", o.reach().value(), InputRules.URL_MAX);
            if (o.reach().kind() != ReachKind.CALLBACK && value.isEmpty()) {
                throw new InvalidInputException(field + ".reach.value", "a " + o.reach().kind() + " option needs "
                        + "a value (URL, link, number)");
            }
            Scope.scoped(caller, field + ".queueId", o.queueId());
            options.add(new Option(o.channel(), o.queueId(), InputRules.optionalName(field + ".label", o.label(),
                    InputRules.NAME_MAX), new Reach(o.reach().kind(), value.isEmpty() ? null : value)));
        }
        return new EntryPoint(InputRules.optionalName("name", body.name(), InputRules.NAME_MAX), options,
                body.published());
    }

    @GET
    @Path("entry-points/{id}")
    @Allowed({SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Get an entry point's definition")
    public EntryPoint definition(@Context SecurityContext sc, @PathParam("id") String id) {
        return entryPoint(Caller.of(sc), "id", id);
    }

    @DELETE
    @Path("entry-points/{id}")
    @Allowed(ADMIN)
    @Operation(summary = "Remove an entry point")
    public Response remove(@Context SecurityContext sc, @PathParam("id") String id) {
        String scoped = scoped(Caller.of(sc), "id", id);
        if (entryPoints.remove(scoped) == null) {
            throw new NotFoundException("no entry point " + id);
        }
        store.delete(Kind.ENTRY_POINT, scoped);
        return Response.noContent().build();
    }

    @GET
    @Path("{entryPoint}")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "The channels open now for an entry point, with expected waits and how to reach them")
    public Menu menu(@Context SecurityContext sc, @PathParam("entryPoint") String id,
                     @QueryParam("includeClosed") boolean includeClosed) {
        Caller caller = Caller.of(sc);
        EntryPoint ep = entryPoint(caller, "entryPoint", id);
        List<MenuOption> options = new ArrayList<>();
        for (Option o : ep.options()) {
            MenuOption option = option(caller.tenantId(), o);
            if (option.open() || includeClosed) {
                options.add(option);
            }
        }
        return new Menu(id, ep.name(), clock.instant(), options);
    }

    /** An option of a tenant's entry point with its live state: open now, expected wait, agents, waiting. */
    MenuOption option(String tenantId, Option o) {
        ChannelMenuPolicy.OptionState state = policy.option(tenantId, o.queueId(), o.channel(),
                o.reach().kind() == ReachKind.CALLBACK);
        return new MenuOption(o.channel(), o.label(), o.reach(), state.open(),
                state.expectedWait() == null ? null : QueueJson.seconds(state.expectedWait()), state.agentsAvailable(),
                state.waiting());
    }

    /** A published entry point of a tenant, for the public menu; empty when there is none or it is not published. */
    Optional<EntryPoint> published(String tenantId, String id) {
        if (!ScopedId.isValidTenant(tenantId) || !ScopedId.isValidLocal(id)) {
            return Optional.empty();
        }
        return Optional.ofNullable(entryPoints.get(ScopedId.of(tenantId, id))).filter(EntryPoint::isPublished);
    }

    @POST
    @Path("{entryPoint}/callback")
    @Allowed({SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Request a call-back: a voice interaction queued for an agent to call the customer")
    public Response callback(@Context SecurityContext sc, @Context UriInfo uri,
                             @HeaderParam(InteractionsResource.IDEMPOTENCY_KEY) String idempotencyKey,
                             @PathParam("entryPoint") String id, CallbackRequest body) {
        Caller caller = Caller.of(sc);
        EntryPoint ep = entryPoint(caller, "entryPoint", id);
        if (body == null || body.phone() == null || body.phone().isBlank()) {
            throw new InvalidInputException("phone", "required");
        }
        InputRules.maxLength("phone", body.phone(), InputRules.ADDRESS_MAX);
        if (body.queueId() != null) {
            InputRules.id("queueId", body.queueId());
        }
        String note = InputRules.text("note", body.note(), InputRules.NOTE_MAX);
        Option option = ep.options().stream()
                .filter(o -> o.reach().kind() == ReachKind.CALLBACK)
                .filter(o -> body.queueId() == null || body.queueId().equals(o.queueId()))
                .findFirst().orElseThrow(() -> new BadRequestException("entry point " + id + " offers no call-back"
                        + (body.queueId() == null ? "" : " for queue " + body.queueId())));
        Address phone;
        try {
            phone = Address.parse(body.phone().startsWith("tel:") ? body.phone() : "tel:" + body.phone());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("phone", "a telephone number");
        }
        Map<String, String> attributes = new java.util.HashMap<>(Map.of("callback", "true", "entryPoint", id,
                "musubi.queue", option.queueId()));
        if (!note.isBlank()) {
            attributes.put("note", note);
        }
        String eventId = idempotencyKey != null && !idempotencyKey.isBlank() ? "callback:" + idempotencyKey
                : "callback:" + UUID.randomUUID();
        Interaction interaction = intake.submit(new InboundEvent(eventId, InteractionIntake.API_SOURCE,
                caller.tenantId(), Channel.VOICE, InteractionEventType.ARRIVED, phone, null, eventId, null,
                attributes, clock.instant()));
        return Response.created(uri.getBaseUriBuilder().path("interactions").path(interaction.id()).build())
                .entity(InteractionJson.View.of(interaction)).build();
    }

    private EntryPoint entryPoint(Caller caller, String field, String id) {
        EntryPoint ep = entryPoints.get(scoped(caller, field, id));
        if (ep == null) {
            throw new NotFoundException("no entry point " + id);
        }
        return ep;
    }

    private static String scoped(Caller caller, String field, String id) {
        return Scope.scoped(caller, field, id);
    }
}
