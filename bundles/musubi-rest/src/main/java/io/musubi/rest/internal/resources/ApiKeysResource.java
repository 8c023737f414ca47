package io.musubi.rest.internal.resources;

import io.musubi.rest.RestApi;

import io.musubi.store.ApiKey;
import io.musubi.store.ApiKeyRepository;
import io.musubi.store.IssuedApiKey;
import io.musubi.model.InputRules;
import io.musubi.model.InvalidInputException;
import io.musubi.rest.Allowed;
import io.musubi.rest.internal.security.Caller;
import io.musubi.rest.Role;
import io.musubi.rest.internal.security.Roles;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/api-keys}: the caller's tenant's API keys, for its administrators. {@code POST} creates a key and
 * shows it once; {@code GET} lists keys without secrets or digests; {@code DELETE /{id}} revokes one (another
 * tenant's key is not found). The tenant always comes from the caller, never from the request. A revoked key is
 * refused within the security filter's key cache time (docs/security.md).
 */
@Component(service = ApiKeysResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("api-keys")
@Allowed(Role.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "api-keys", description = "API keys of the tenant (admin)")
public final class ApiKeysResource {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeysResource.class);

    /** The body of {@code POST}: what the key is for, its roles and, for the agent role, the agent. */
    public record NewKey(String name, List<String> roles, String agentId) {
    }

    /** A key as listed: never its secret or digest. */
    public record KeyView(String id, String name, List<String> roles, String agentId, Instant createdAt,
                          Instant revokedAt) {
        static KeyView of(ApiKey key) {
            return new KeyView(key.id(), key.name(), List.copyOf(key.roles()), key.agentId(), key.createdAt(),
                    key.revokedAt());
        }
    }

    /** The answer to {@code POST}: the key itself, shown this once. */
    public record CreatedKey(String id, String name, List<String> roles, String agentId, Instant createdAt,
                             String key) {
        @Override
        public String toString() {
            return "CreatedKey[id=" + id + ", key=***]";
        }
    }

    /** The answer to {@code GET}. */
    public record KeyList(List<KeyView> items) {
    }

    private final ApiKeyRepository keys;

    @Activate
    public ApiKeysResource(@Reference ApiKeyRepository keys) {
        this.keys = keys;
    }

    @POST
    @Operation(summary = "Create an API key; the key is in this answer only")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, @Context UriInfo uri, NewKey body) {
        Caller caller = Caller.of(security);
        if (body == null) {
            throw new BadRequestException("a JSON body {\"name\", \"roles\", \"agentId\"?} is required");
        }
        String name = name(body.name());
        Set<String> roles = roles(body.roles());
        String agentId = agentId(roles, body.agentId());
        IssuedApiKey issued = keys.create(caller.tenantId(), name, roles, agentId);
        ApiKey key = issued.apiKey();
        LOG.info("tenant {}: API key {} created by {} with roles {}", caller.tenantId(), key.id(), caller.subject(),
                key.roles());
        CreatedKey created = new CreatedKey(key.id(), key.name(), List.copyOf(key.roles()), key.agentId(),
                key.createdAt(), issued.key());
        return Response.created(uri.getAbsolutePathBuilder().path(key.id()).build()).entity(created).build();
    }

    @GET
    @Operation(summary = "List the tenant's API keys (never the keys themselves)")
    public KeyList list(@Context SecurityContext security) {
        Caller caller = Caller.of(security);
        List<KeyView> out = new ArrayList<>();
        for (ApiKey key : keys.list(caller.tenantId())) {
            out.add(KeyView.of(key));
        }
        return new KeyList(out);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get one API key's description")
    public KeyView get(@Context SecurityContext security, @PathParam("id") String id) {
        Caller caller = Caller.of(security);
        return keys.find(keyId(id)).filter(k -> k.tenantId().equals(caller.tenantId())).map(KeyView::of)
                .orElseThrow(() -> new NotFoundException("no API key " + id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke an API key (refused everywhere within the key cache time)")
    public Response revoke(@Context SecurityContext security, @PathParam("id") String id) {
        Caller caller = Caller.of(security);
        if (!keys.revoke(caller.tenantId(), keyId(id))) {
            throw new NotFoundException("no API key " + id);
        }
        LOG.info("tenant {}: API key {} revoked by {}", caller.tenantId(), id, caller.subject());
        return Response.noContent().build();
    }

    private static String name(String name) {
        return InputRules.name("name", name, ApiKey.MAX_NAME);
    }

    private static Set<String> roles(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new BadRequestException(
                    "roles is required: one or more of agent, supervisor, admin, integration, metrics");
        }
        Set<String> roles = new TreeSet<>();
        for (String name : names) {
            Role role = Roles.parse(name);
            if (role == null) {
                throw new BadRequestException(
                        "unknown role; roles are agent, supervisor, admin, integration, metrics");
            }
            roles.add(role.claim());
        }
        return roles;
    }

    private static String agentId(Set<String> roles, String agentId) {
        boolean agent = roles.contains(Role.AGENT.claim());
        if (agent && agentId == null) {
            throw new InvalidInputException("agentId", "required with the agent role: " + InputRules.ID_RULE);
        }
        if (agent) {
            InputRules.id("agentId", agentId);
        }
        if (!agent && agentId != null) {
            throw new BadRequestException("agentId applies to the agent role only");
        }
        return agentId;
    }

    /** A key id from a path: 16 lower-case hexadecimal digits, else 400 (it cannot name any key). */
    private static String keyId(String id) {
        if (id == null || !id.matches("[0-9a-f]{16}")) {
            throw new InvalidInputException("id", "an API key id: 16 hexadecimal digits");
        }
        return id;
    }
}
