package io.musubi.rest.internal.resources;

import io.musubi.rest.Role;
import io.musubi.rest.RestApi;

import static io.musubi.rest.Role.ADMIN;
import static io.musubi.rest.Role.AGENT;
import static io.musubi.rest.Role.INTEGRATION;
import static io.musubi.rest.Role.SUPERVISOR;

import io.musubi.store.LinkNonceRepository;
import io.musubi.identity.IdentityService;
import io.musubi.model.Customer;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.Allowed;
import io.musubi.rest.internal.security.Caller;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * Account-link nonces (DESIGN §7.1, docs/connectors/line.md): a company's web site, once a customer has logged in
 * there, asks for a nonce for that customer and redirects the customer to the provider's account-link endpoint with
 * it; the provider's event carrying the nonce then links the customer's channel identity (the LINE user) to this
 * customer. A nonce is shown once, used once and expires (default 10 minutes).
 */
@Component(service = LinkNoncesResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("customers/{id}/link-nonces")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "customers", description = "Customers: identity, merge/split, journey, export, erasure")
public final class LinkNoncesResource {

    static final long DEFAULT_TTL_SECONDS = 600;
    static final long MIN_TTL_SECONDS = 60;
    static final long MAX_TTL_SECONDS = 3600;

    private final IdentityService identity;
    private final LinkNonceRepository nonces;
    private final Clock clock;

    @Activate
    public LinkNoncesResource(@Reference IdentityService identity, @Reference LinkNonceRepository nonces) {
        this(identity, nonces, Clock.systemUTC());
    }

    LinkNoncesResource(IdentityService identity, LinkNonceRepository nonces, Clock clock) {
        this.identity = identity;
        this.nonces = nonces;
        this.clock = clock;
    }

    /** @param ttlSeconds how long the nonce links, 60 to 3600 (default 600) */
    record Body(Long ttlSeconds) {
    }

    /** The nonce, shown once; hand it to the provider (LINE: {@code ...accountLink?linkToken=...&nonce=<nonce>}). */
    record View(String nonce, String customerId, Instant expiresAt) {
        @Override
        public String toString() {
            return "View[customerId=" + customerId + ", expiresAt=" + expiresAt + ", nonce=***]";
        }
    }

    @POST
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Issue a single-use account-link nonce for the customer (shown once, expires)")
    public Response issue(@Context SecurityContext sc, @PathParam("id") String id, Body body) {
        Caller caller = Caller.of(sc);
        Customer customer = identity.find(caller.tenantId(), id)
                .orElseThrow(() -> new NotFoundException("no customer " + (id.length() > 64 ? id.substring(0, 64) : id)));
        long ttl = body == null || body.ttlSeconds() == null ? DEFAULT_TTL_SECONDS : body.ttlSeconds();
        if (ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS) {
            throw new BadRequestException("ttlSeconds must be " + MIN_TTL_SECONDS + " to " + MAX_TTL_SECONDS);
        }
        LinkNonceRepository.IssuedNonce issued = nonces.issue(caller.tenantId(), customer.id(),
                clock.instant().plus(Duration.ofSeconds(ttl)));
        return Response.status(Response.Status.CREATED).header("Cache-Control", "no-store")
                .entity(new View(issued.nonce(), issued.customerId(), issued.expiresAt())).build();
    }
}
