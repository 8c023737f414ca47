package io.musubi.rest.internal.resources;

import io.musubi.rest.RestApi;

import static io.musubi.rest.Role.ADMIN;
import static io.musubi.rest.Role.AGENT;
import static io.musubi.rest.Role.INTEGRATION;
import static io.musubi.rest.Role.SUPERVISOR;

import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.Allowed;
import io.musubi.rest.internal.security.Caller;
import io.musubi.rest.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * Who the credentials of the request are: what a desktop asks right after sign-in to learn the agent it acts as and
 * the roles it has, whether it signed in with an API key or a JWT. Never echoes the credential itself.
 */
@Component(service = MeResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "me", description = "The caller: tenant, roles, the agent it acts as")
public final class MeResource {

    /**
     * @param subject API key id or token subject
     * @param agentId the local agent id the caller acts as (agent role), else absent
     */
    record Me(String tenantId, String subject, List<String> roles, String agentId) {
    }

    @GET
    @Allowed({AGENT, SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "The caller's tenant, subject, roles and agent")
    public Me me(@Context SecurityContext sc) {
        Caller caller = Caller.of(sc);
        return new Me(caller.tenantId(), caller.subject(), caller.roles().stream().map(Role::claim).sorted().toList(),
                caller.agentId());
    }
}
