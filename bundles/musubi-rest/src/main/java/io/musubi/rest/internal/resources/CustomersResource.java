package io.musubi.rest.internal.resources;

import io.musubi.rest.Role;
import io.musubi.rest.RestApi;

import static io.musubi.rest.Role.ADMIN;
import static io.musubi.rest.Role.AGENT;
import static io.musubi.rest.Role.INTEGRATION;
import static io.musubi.rest.Role.SUPERVISOR;

import io.musubi.store.ErasureReport;
import io.musubi.store.HistoryStore;
import io.musubi.store.JourneyPage;
import io.musubi.store.JourneyQuery;
import io.musubi.store.MergeRecord;
import io.musubi.identity.IdentityService;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Customer;
import io.musubi.model.InputRules;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InvalidInputException;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.Allowed;
import io.musubi.rest.internal.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/** Customers of the tenant (design point ④): search by address, link, merge and split, journey, export, erasure. */
@Component(service = CustomersResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("customers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "customers", description = "Customers: identity, merge/split, journey, export, erasure")
public final class CustomersResource {

    private final IdentityService identity;
    private final HistoryStore history;

    @Activate
    public CustomersResource(@Reference IdentityService identity, @Reference HistoryStore history) {
        this.identity = identity;
        this.history = history;
    }

    record View(String id, String displayName, List<String> addresses, Map<String, String> externalRefs,
                Set<String> tags, boolean vip) {
        static View of(Customer c) {
            return new View(c.id(), c.displayName(), c.addresses().stream().map(Address::uri).sorted().toList(),
                    c.externalRefs(), new TreeSet<>(c.tags()), c.tags().contains(Customer.VIP_TAG));
        }
    }

    record AddressBody(String address) {
    }

    record MergeBody(String mergedId) {
    }

    record MergeView(String id, String survivorId, String mergedId, Instant mergedAt, String mergedBy,
                     Instant splitAt, String splitBy) {
        static MergeView of(MergeRecord m) {
            return new MergeView(m.id(), m.survivorId(), m.mergedId(), m.mergedAt(), m.mergedBy(), m.splitAt(),
                    m.splitBy());
        }
    }

    @GET
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Find the customer owning an address (tel:, mailto:, line:, webchat: ...): one page of 0 or 1")
    public Page<View> search(@Context SecurityContext sc, @QueryParam("address") String address) {
        if (address == null || address.isBlank()) {
            throw new InvalidInputException("address", "required: the query parameter address, e.g. tel:+81312345678");
        }
        Caller caller = Caller.of(sc);
        return Page.all(identity.findByAddress(caller.tenantId(), parse("address", address)).map(View::of).stream()
                .toList());
    }

    @GET
    @Path("{id}")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Get a customer (a merged id answers with the surviving customer)")
    public View get(@Context SecurityContext sc, @PathParam("id") String id) {
        return View.of(customer(Caller.of(sc), "id", id));
    }

    @POST
    @Path("{id}/addresses")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Link an address to the customer (409 if another customer owns it)")
    public View link(@Context SecurityContext sc, @PathParam("id") String id, AddressBody body) {
        Caller caller = Caller.of(sc);
        customer(caller, "id", id);
        if (body == null || body.address() == null) {
            throw new InvalidInputException("address", "required");
        }
        return View.of(identity.link(caller.tenantId(), id, parse("address", body.address())));
    }

    @DELETE
    @Path("{id}/addresses/{address}")
    @Allowed({SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "Unlink an address from the customer")
    public View unlink(@Context SecurityContext sc, @PathParam("id") String id, @PathParam("address") String address) {
        Caller caller = Caller.of(sc);
        customer(caller, "id", id);
        return View.of(identity.unlink(caller.tenantId(), id, parse("address", address)));
    }

    @POST
    @Path("{id}/merge")
    @Allowed({SUPERVISOR, ADMIN})
    @Operation(summary = "Merge another customer into this one (recorded, so it can be split again)")
    public MergeView merge(@Context SecurityContext sc, @PathParam("id") String id, MergeBody body) {
        Caller caller = Caller.of(sc);
        customer(caller, "id", id);
        if (body == null || body.mergedId() == null) {
            throw new InvalidInputException("mergedId", "required");
        }
        customer(caller, "mergedId", body.mergedId());
        return MergeView.of(identity.merge(caller.tenantId(), id, body.mergedId(), Scope.actor(caller)));
    }

    @GET
    @Path("{id}/merges")
    @Allowed({SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "The merges the customer took part in (one page)")
    public Page<MergeView> merges(@Context SecurityContext sc, @PathParam("id") String id) {
        Caller caller = Caller.of(sc);
        customer(caller, "id", id);
        return Page.all(identity.merges(caller.tenantId(), id).stream().map(MergeView::of).toList());
    }

    @POST
    @Path("merges/{mergeId}/split")
    @Allowed({SUPERVISOR, ADMIN})
    @Operation(summary = "Undo a merge: the merged customer gets its addresses and history back")
    public View split(@Context SecurityContext sc, @PathParam("mergeId") String mergeId) {
        Caller caller = Caller.of(sc);
        return View.of(identity.split(caller.tenantId(), InputRules.reference("mergeId", mergeId),
                Scope.actor(caller)));
    }

    @GET
    @Path("{id}/journey")
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "The customer's unified history across channels, cursor-paged")
    public Page<InteractionJson.EventView> journey(@Context SecurityContext sc, @PathParam("id") String id,
                                                   @QueryParam("cursor") String cursor,
                                                   @QueryParam("limit") @DefaultValue("50") int limit,
                                                   @QueryParam("channel") List<Channel> channels,
                                                   @QueryParam("type") List<InteractionEventType> types,
                                                   @QueryParam("newestFirst") boolean newestFirst) {
        Caller caller = Caller.of(sc);
        customer(caller, "id", id);
        if (limit < 1 || limit > JourneyQuery.MAX_LIMIT) {
            throw new InvalidInputException("limit", "1 to " + JourneyQuery.MAX_LIMIT);
        }
        JourneyQuery query = JourneyQuery.of(caller.tenantId(), id).withLimit(limit).newestFirst(newestFirst);
        if (channels != null && !channels.isEmpty()) {
            query = query.withChannels(EnumSet.copyOf(channels));
        }
        if (types != null && !types.isEmpty()) {
            query = query.withTypes(EnumSet.copyOf(types));
        }
        if (cursor != null && !cursor.isBlank()) {
            query = query.after(cursor);
        }
        JourneyPage page;
        try {
            page = history.journey(query);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("cursor", "a nextCursor of this journey");
        }
        return new Page<>(page.events().stream().map(InteractionJson.EventView::of).toList(),
                page.nextCursorIfAny().orElse(null));
    }

    @GET
    @Path("{id}/export")
    @Allowed({SUPERVISOR, ADMIN})
    @Operation(summary = "Everything held about the customer, as one JSON document (data subject access)")
    public StreamingOutput export(@Context SecurityContext sc, @PathParam("id") String id) {
        Caller caller = Caller.of(sc);
        customer(caller, "id", id);
        return out -> history.exportCustomer(caller.tenantId(), id, out);
    }

    @DELETE
    @Path("{id}")
    @Allowed(ADMIN)
    @Operation(summary = "Erase the customer: addresses removed, history anonymised, counts kept")
    public ErasureReport erase(@Context SecurityContext sc, @PathParam("id") String id) {
        Caller caller = Caller.of(sc);
        customer(caller, "id", id);
        return history.eraseCustomer(caller.tenantId(), id, Scope.actor(caller));
    }

    /** A customer of the caller's tenant; 400 for an id that breaks the reference rule, 404 for an unknown one. */
    private Customer customer(Caller caller, String field, String id) {
        return identity.find(caller.tenantId(), InputRules.reference(field, id))
                .orElseThrow(() -> new NotFoundException("no customer " + id));
    }

    private static Address parse(String field, String uri) {
        return InteractionsResource.address(uri, field);
    }
}
