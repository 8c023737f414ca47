package io.musubi.rest.internal.security;

import io.musubi.rest.Role;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller of a request: its tenant, who it is (an API key id or a token subject), its roles and,
 * for the agent role, the agent it acts as. The authentication filter sets it as the request's
 * {@link SecurityContext} principal; resources read it with {@link #of(SecurityContext)}. Every object a resource
 * touches is looked up inside {@link #tenantId()}.
 *
 * @param tenantId tenant every request of this caller is scoped to
 * @param subject  API key id or token subject, for logs and audit (never a secret)
 * @param roles    roles, not empty
 * @param agentId  local agent id the caller acts as, or {@code null} when it is not an agent
 */
public record Caller(String tenantId, String subject, Set<Role> roles, String agentId) implements Principal {

    public Caller {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(subject, "subject");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a caller needs a role");
        }
        roles = Set.copyOf(EnumSet.copyOf(roles));
    }

    @Override
    public String getName() {
        return subject;
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Supervisor or admin: may act on any agent and queue of the tenant. */
    public boolean isManager() {
        return roles.contains(Role.SUPERVISOR) || roles.contains(Role.ADMIN);
    }

    /** An agent and nothing more: it sees and acts on only its own work. */
    public boolean isOnlyAgent() {
        return roles.contains(Role.AGENT) && !isManager() && !roles.contains(Role.INTEGRATION);
    }

    /** Whether the caller may act as this (local) agent: it is that agent, or it manages the tenant. */
    public boolean mayActAs(String localAgentId) {
        return !isOnlyAgent() || localAgentId.equals(agentId);
    }

    /** The caller of a request that passed authentication. */
    public static Caller of(SecurityContext context) {
        if (context != null && context.getUserPrincipal() instanceof Caller caller) {
            return caller;
        }
        throw new IllegalStateException("request was not authenticated");
    }

    @Override
    public String toString() {
        return "Caller[tenant=" + tenantId + ", subject=" + subject + ", roles=" + roles + "]";
    }
}
