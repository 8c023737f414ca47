package io.musubi.rest.internal.resources;

import io.musubi.rest.RestApi;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.musubi.api.InteractionIntake;
import io.musubi.api.ScheduledInteractions;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.internal.app.Problem;
import io.musubi.rest.internal.resources.ChannelMenuResource.EntryPoint;
import io.musubi.rest.internal.resources.ChannelMenuResource.MenuOption;
import io.musubi.rest.internal.resources.ChannelMenuResource.Option;
import io.musubi.rest.internal.resources.ChannelMenuResource.Reach;
import io.musubi.rest.internal.resources.ChannelMenuResource.ReachKind;
import io.musubi.rest.Public;
import io.musubi.rest.internal.security.RateLimiter;
import io.musubi.rest.internal.security.SecurityFilter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * The channel menu of a <em>published</em> entry point for customers' browsers, without credentials (design point
 * ③): which channels are open now with the expected wait of each, how to reach them (web chat, video, LINE
 * add-friend link and its QR code, phone number, mail), and a call-back request at a chosen time (stored at once, queued
 * for an agent at that time: {@link ScheduledInteractions#DUE_AT}). An entry point is
 * public only when its admin set {@code "published": true}; any other id, and any other tenant's, is a 404.
 *
 * <p>It reveals nothing about agents or customers: no agent names or counts, no waiting counts, only open/closed and
 * the expected wait. Every request passes the API's per-address rate limit; a call-back request also has its own,
 * much lower one ({@value #CALLBACKS_PER_HOUR} per hour per address, {@value #CALLBACK_BURST} at once).
 */
@Component(service = PublicChannelMenuResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("public/channel-menu/{tenant}/{entryPoint}")
@Tag(name = "public", description = "What customers' browsers may read and ask without credentials")
@Public
public final class PublicChannelMenuResource {

    static final int CALLBACKS_PER_HOUR = 6;
    static final int CALLBACK_BURST = 3;
    static final int MAX_NOTE = 500;
    static final Duration LATEST_CALLBACK = Duration.ofDays(30);
    static final Duration EARLIEST_CALLBACK = Duration.ofMinutes(-5);
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()-]{4,30}");

    /**
     * A channel as a customer sees it.
     *
     * @param reach how to reach it: for {@code WEBCHAT} and {@code VIDEO} the value is the web chat connector's id
     *              (the widget talks to {@code /webchat/<id>/}), for {@code LINE} the add-friend link, for
     *              {@code PHONE} the number, for {@code MAIL} the address; none for {@code CALLBACK}
     * @param qr    for a LINE option, the path (relative to the menu) of its QR code as SVG
     */
    record PublicOption(int index, Channel channel, String label, Reach reach, boolean open,
                        Double expectedWaitSeconds, String qr) {
    }

    record PublicMenu(String entryPoint, String name, Instant at, List<PublicOption> options) {
    }

    /**
     * A customer's call-back request.
     *
     * @param phone the number to call (digits, optionally a leading +, spaces, hyphens, parentheses)
     * @param at    when the customer wants the call; absent: as soon as possible
     * @param note  a note for the agent, at most {@value #MAX_NOTE} characters
     */
    record CallbackRequest(String phone, Instant at, String note, String queueId) {
    }

    record CallbackAccepted(String status, Instant at) {
    }

    private final ChannelMenuResource menus;
    private final InteractionIntake intake;
    private final Clock clock;
    private final RateLimiter callbacks;

    @Activate
    public PublicChannelMenuResource(@Reference ChannelMenuResource menus, @Reference InteractionIntake intake) {
        this(menus, intake, Clock.systemUTC());
    }

    PublicChannelMenuResource(ChannelMenuResource menus, InteractionIntake intake, Clock clock) {
        this.menus = menus;
        this.intake = intake;
        this.clock = clock;
        this.callbacks = new RateLimiter(CALLBACKS_PER_HOUR / 3600.0, CALLBACK_BURST, clock);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The channels of a published entry point: open now, expected wait, how to reach them")
    public Response menu(@PathParam("tenant") String tenant, @PathParam("entryPoint") String id) {
        EntryPoint ep = published(tenant, id);
        List<PublicOption> options = new ArrayList<>();
        for (int i = 0; i < ep.options().size(); i++) {
            Option o = ep.options().get(i);
            MenuOption live = menus.option(tenant, o);
            options.add(new PublicOption(i, o.channel(), o.label(), o.reach(), live.open(),
                    live.open() ? live.expectedWaitSeconds() : null,
                    o.reach().kind() == ReachKind.LINE ? "options/" + i + "/qr.svg" : null));
        }
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(new PublicMenu(id, ep.name(), clock.instant(), options)).cacheControl(noStore).build();
    }

    @GET
    @Path("options/{index}/qr.svg")
    @Produces("image/svg+xml")
    @Operation(summary = "The QR code of a LINE option's add-friend link, as SVG")
    public Response qr(@PathParam("tenant") String tenant, @PathParam("entryPoint") String id,
                       @PathParam("index") int index) {
        EntryPoint ep = published(tenant, id);
        if (index < 0 || index >= ep.options().size() || ep.options().get(index).reach().kind() != ReachKind.LINE) {
            throw new NotFoundException("no LINE option " + index);
        }
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(svg(ep.options().get(index).reach().value())).cacheControl(cache)
                .header("X-Content-Type-Options", "nosniff").build();
    }

    @POST
    @Path("callback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ask for a call-back at a chosen time (a voice interaction queued for an agent to dial)")
    public Response callback(@Context ContainerRequestContext request, @PathParam("tenant") String tenant,
                             @PathParam("entryPoint") String id, CallbackRequest body) {
        EntryPoint ep = published(tenant, id);
        if (body == null) {
            throw new BadRequestException("a body {phone, at, note} is required");
        }
        String phone = body.phone() == null ? "" : body.phone().strip();
        if (!PHONE.matcher(phone).matches()) {
            throw new BadRequestException("phone: a telephone number of 5 to 31 digits, e.g. +81312345678");
        }
        Instant now = clock.instant();
        Instant at = body.at() == null ? now : body.at();
        if (at.isBefore(now.plus(EARLIEST_CALLBACK)) || at.isAfter(now.plus(LATEST_CALLBACK))) {
            throw new BadRequestException("at: from now to " + LATEST_CALLBACK.toDays() + " days ahead");
        }
        if (body.note() != null && body.note().length() > MAX_NOTE) {
            throw new BadRequestException("note: at most " + MAX_NOTE + " characters");
        }
        Option option = ep.options().stream().filter(o -> o.reach().kind() == ReachKind.CALLBACK)
                .filter(o -> body.queueId() == null || body.queueId().equals(o.queueId())).findFirst()
                .orElseThrow(() -> new NotFoundException("this entry point offers no call-back"
                        + (body.queueId() == null ? "" : " for that queue")));
        Object address = request.getProperty(SecurityFilter.CLIENT_ADDRESS);
        long retryAfter = callbacks.acquire(tenant + "/" + address);
        if (retryAfter > 0) {
            return Response.fromResponse(Problem.of(Response.Status.TOO_MANY_REQUESTS,
                    "too many call-back requests, retry after " + retryAfter + " s").toResponse())
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter)).build();
        }
        Map<String, String> attributes = new HashMap<>(Map.of("callback", "true", "callbackAt", at.toString(),
                "entryPoint", id, "musubi.queue", option.queueId(), "public", "true"));
        if (body.note() != null && !body.note().isBlank()) {
            attributes.put("note", body.note().strip());
        }
        if (at.isAfter(now)) {
            // held back until then: the hub queues it at that time
            attributes.put(ScheduledInteractions.DUE_AT, at.toString());
        }
        String digits = phone.replaceAll("[ ()-]", "");
        Address tel = Address.parse("tel:" + digits);
        String eventId = "public-callback:" + UUID.randomUUID();
        intake.submit(new InboundEvent(eventId, InteractionIntake.API_SOURCE, tenant, Channel.VOICE,
                InteractionEventType.ARRIVED, tel, null, eventId, null, attributes, now));
        return Response.status(Response.Status.ACCEPTED).entity(new CallbackAccepted("requested", at)).build();
    }

    private EntryPoint published(String tenant, String id) {
        return menus.published(tenant, id).orElseThrow(() -> new NotFoundException("no published entry point"));
    }

    /** The QR code of {@code text} as a small SVG document (dark modules as one path). */
    static String svg(String text) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.CHARACTER_SET, "UTF-8");
        hints.put(EncodeHintType.MARGIN, 2);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException | IllegalArgumentException e) {
            throw new NotFoundException("this option's link cannot be drawn as a QR code");
        }
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                if (m.get(x, y)) {
                    path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + m.getWidth() + " " + m.getHeight()
                + "\" shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
                + "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }
}
