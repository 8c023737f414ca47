package io.musubi.rest.internal.resources;

import io.musubi.acd.Actors;
import io.musubi.store.HistoryStore;
import io.musubi.model.InputRules;
import io.musubi.model.Interaction;
import io.musubi.model.ScopedId;
import io.musubi.rest.internal.security.Caller;
import io.musubi.rest.Role;
import jakarta.ws.rs.NotFoundException;

/**
 * Tenant scoping of every look-up: local ids become the engine's scoped ids inside the caller's tenant, and
 * anything outside it is "not found" (a 404, never a 403, so ids of other tenants cannot be probed). An id that
 * breaks the id rule ({@link InputRules}) cannot name anything in any tenant: a 400 naming the parameter or field.
 */
final class Scope {

    private Scope() {
    }

    /**
     * The engine's id of an agent, queue or entry point of the caller's tenant.
     *
     * @param field the path parameter or body field the id came in, named by the 400 for a malformed id
     */
    static String scoped(Caller caller, String field, String localId) {
        return ScopedId.of(caller.tenantId(), InputRules.id(field, localId));
    }

    /** An agent the caller may act as: itself for an agent, any of the tenant's for others. */
    static String actingAgent(Caller caller, String localId) {
        String id = scoped(caller, "id", localId);
        if (!caller.mayActAs(localId)) {
            throw new NotFoundException("no agent " + localId);
        }
        return id;
    }

    static Interaction interaction(HistoryStore history, Caller caller, String interactionId) {
        return history.findInteraction(caller.tenantId(), InputRules.reference("id", interactionId))
                .orElseThrow(() -> new NotFoundException("no interaction " + interactionId));
    }

    /** The actor recorded for what the caller does. */
    static String actor(Caller caller) {
        if (caller.has(Role.AGENT) && caller.agentId() != null && !caller.isManager()) {
            return Actors.agent(caller.agentId());
        }
        return Actors.supervisor(caller.subject());
    }
}
