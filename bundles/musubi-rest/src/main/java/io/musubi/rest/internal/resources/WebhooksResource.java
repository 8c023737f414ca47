package io.musubi.rest.internal.resources;

import io.musubi.rest.RestApi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.musubi.hub.events.WebhookSubscriptions;
import io.musubi.store.WebhookDelivery;
import io.musubi.store.WebhookDeliveryPage;
import io.musubi.store.WebhookDeliveryStatus;
import io.musubi.store.WebhookSubscription;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.internal.app.ObjectMapperResolver;
import io.musubi.rest.Allowed;
import io.musubi.rest.internal.security.Caller;
import io.musubi.rest.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/webhooks}: a tenant's outbound webhooks and their delivery log (docs/events.md). The signing
 * secret is returned once, in the answer to the POST that creates the webhook. Another tenant's webhook is not
 * found (404), never forbidden. An adapter over the hub's {@link WebhookSubscriptions}: the rules a webhook must
 * pass are the hub's (a broken one is a 400 naming the field, the cap a 409).
 */
@Component(service = WebhooksResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("webhooks")
@Tag(name = "webhooks", description = "Outbound webhooks: subscriptions and the delivery log")
@Allowed({Role.ADMIN, Role.INTEGRATION})
@Produces(MediaType.APPLICATION_JSON)
public final class WebhooksResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final Logger LOG = LoggerFactory.getLogger(WebhooksResource.class);

    /** The body of {@code POST /webhooks}. */
    public record CreateRequest(String url, List<String> events, String description) {
    }

    /** A webhook as the API shows it; {@code secret} only in the answer to its creation. */
    public record WebhookView(String id, String url, List<String> events, String description, boolean active,
                              Instant createdAt, String secret) {
        static WebhookView of(WebhookSubscription s, boolean withSecret) {
            return new WebhookView(s.id(), s.url(), s.eventTypes().stream().sorted().toList(),
                    s.description().isEmpty() ? null : s.description(), s.active(), s.createdAt(),
                    withSecret ? s.secret() : null);
        }

        @Override
        public String toString() {
            return "WebhookView[id=" + id + ", url=" + WebhookSubscription.maskedUrl(url) + "]";
        }
    }

    public record WebhookList(List<WebhookView> items) {
    }

    /** One row of the delivery log. */
    public record DeliveryView(String id, String eventId, String eventType, String status, int attempts,
                               Instant nextAttemptAt, Integer lastStatus, String lastError, Instant createdAt,
                               Instant deliveredAt) {
        static DeliveryView of(WebhookDelivery d) {
            boolean pending = d.status() == WebhookDeliveryStatus.PENDING;
            return new DeliveryView(d.id(), Long.toString(d.eventId()), d.eventType(),
                    d.status().name().toLowerCase(Locale.ROOT), d.attempts(), pending ? d.nextAttemptAt() : null,
                    d.lastStatus() == 0 ? null : d.lastStatus(), d.lastError().isEmpty() ? null : d.lastError(),
                    d.createdAt(), d.deliveredAt());
        }
    }

    public record DeliveryList(List<DeliveryView> items, String nextCursor) {
    }

    private final WebhookSubscriptions webhooks;

    @Activate
    public WebhooksResource(@Reference WebhookSubscriptions webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Subscribe a URL to event types; the signing secret is in this answer only")
    public Response create(@Context SecurityContext security, @Context UriInfo uri, String json) {
        Caller caller = Caller.of(security);
        CreateRequest body = parse(json);
        WebhookSubscription s = webhooks.create(caller.tenantId(), body.url(), body.events(), body.description());
        LOG.info("webhook {} created in tenant {} by {}: {} {}", s.id(), s.tenantId(), caller.getName(),
                WebhookSubscription.maskedUrl(s.url()), s.eventTypes());
        return Response.created(uri.getAbsolutePathBuilder().path(s.id()).build())
                .entity(WebhookView.of(s, true)).build();
    }

    @GET
    @Operation(summary = "List the tenant's webhook subscriptions")
    public WebhookList list(@Context SecurityContext security) {
        Caller caller = Caller.of(security);
        return new WebhookList(webhooks.list(caller.tenantId()).stream()
                .map(s -> WebhookView.of(s, false)).toList());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get one subscription")
    public WebhookView get(@Context SecurityContext security, @PathParam("id") String id) {
        return WebhookView.of(find(Caller.of(security), id), false);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Remove a subscription")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        Caller caller = Caller.of(security);
        if (!webhooks.delete(caller.tenantId(), id)) {
            throw notFound();
        }
        LOG.info("webhook {} deleted in tenant {} by {}", id, caller.tenantId(), caller.getName());
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(summary = "The delivery log of a subscription, newest first, cursor-paged")
    public DeliveryList deliveries(@Context SecurityContext security, @PathParam("id") String id,
                                   @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        Caller caller = Caller.of(security);
        WebhookSubscription s = find(caller, id);
        int size = limit(limit);
        WebhookDeliveryPage page;
        try {
            page = webhooks.deliveries(caller.tenantId(), s.id(), cursor, size);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("cursor: not a cursor of this delivery log");
        }
        return new DeliveryList(page.items().stream().map(DeliveryView::of).toList(), page.nextCursor());
    }

    /**
     * Reads the POST body with the API's mapper. Parsed here rather than by the JSON provider so that a malformed
     * body is a problem+json naming the field, never the provider's text message quoting the input.
     */
    static CreateRequest parse(String json) {
        if (json == null || json.isBlank()) {
            throw new BadRequestException("a JSON body {url, events[], description?} is required");
        }
        try {
            CreateRequest body = ObjectMapperResolver.mapper().readValue(json, CreateRequest.class);
            if (body == null) {
                throw new BadRequestException("a JSON body {url, events[], description?} is required");
            }
            return body;
        } catch (UnrecognizedPropertyException e) {
            throw new BadRequestException("unknown field '" + e.getPropertyName() + "'; the fields are url, events, "
                    + "description");
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(Objects::nonNull).findFirst().orElse("body");
            throw new BadRequestException(field + ": wrong type");
        } catch (JsonProcessingException e) {
            throw new BadRequestException("body: malformed JSON");
        }
    }

    private WebhookSubscription find(Caller caller, String id) {
        return webhooks.find(caller.tenantId(), id).orElseThrow(WebhooksResource::notFound);
    }

    private static NotFoundException notFound() {
        return new NotFoundException("no such webhook");
    }

    static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException("limit: a number from 1 to " + MAX_LIMIT);
    }
}
