package io.musubi.rest.internal.security;

import io.musubi.rest.Allowed;
import io.musubi.rest.Public;
import io.musubi.rest.Role;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeSet;

/** A resource with every kind of access declaration, answering with what the filter let through. */
@Path("probe")
@Allowed(Role.SUPERVISOR)
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {

    @GET
    @Path("public")
    @Public
    public Map<String, Object> open(@Context SecurityContext security) {
        return Map.of("authenticated", security.getUserPrincipal() instanceof Caller);
    }

    @GET
    @Path("admin")
    @Allowed(Role.ADMIN)
    public Map<String, Object> admin(@Context SecurityContext security) {
        return describe(Caller.of(security), security);
    }

    @GET
    @Path("agents")
    @Allowed({Role.AGENT, Role.SUPERVISOR})
    public Map<String, Object> agents(@Context SecurityContext security) {
        return describe(Caller.of(security), security);
    }

    /** Inherits {@code @Allowed(SUPERVISOR)} from the class. */
    @GET
    @Path("supervisor")
    public Map<String, Object> supervisor(@Context SecurityContext security) {
        return describe(Caller.of(security), security);
    }

    /** {@code @Public} on a method of an {@code @Allowed} class: the method wins. */
    @GET
    @Path("public-override")
    @Public
    public Map<String, Object> publicOverride() {
        return Map.of("ok", true);
    }

    /** Counts the bytes of a raw body. */
    @POST
    @Path("upload")
    @Allowed(Role.ADMIN)
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> upload(InputStream body) throws IOException {
        return Map.of("bytes", body.readAllBytes().length);
    }

    /** A JSON body. */
    @POST
    @Path("json")
    @Allowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> json(Map<String, Object> body) {
        return Map.of("keys", body.size());
    }

    private static Map<String, Object> describe(Caller caller, SecurityContext security) {
        return Map.of("tenant", caller.tenantId(), "subject", caller.subject(),
                "roles", new TreeSet<>(caller.roles().stream().map(Role::claim).toList()),
                "agentId", caller.agentId() == null ? "" : caller.agentId(),
                "scheme", security.getAuthenticationScheme(),
                "inRoleAdmin", security.isUserInRole("admin"));
    }
}
