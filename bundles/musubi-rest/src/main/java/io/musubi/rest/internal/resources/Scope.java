package io.musubi.rest.internal.resources;

import io.musubi.acd.Actors;
import io.musubi.history.HistoryStore;
import io.musubi.model.Interaction;
import io.musubi.model.ScopedId;
import io.musubi.rest.internal.security.Caller;
import io.musubi.rest.internal.security.Role;
import jakarta.ws.rs.NotFoundException;

/**
 * Tenant scoping of every look-up: local ids become the engine's scoped ids inside the caller's tenant, and
 * anything outside it is "not found" (a 404, never a 403, so ids of other tenants cannot be probed).
 */
final class Scope {

    private Scope() {
    }

    static String agentId(Caller caller, String localId) {
        return scoped(caller, localId, "agent");
    }

    static String queueId(Caller caller, String localId) {
        return scoped(caller, localId, "queue");
    }

    /** The engine's id of a {@code what} (agent, queue, entry point) of the caller's tenant; 404 for a bad id. */
    static String scoped(Caller caller, String localId, String what) {
        if (!ScopedId.isValidLocal(localId)) {
            throw new NotFoundException("no " + what + " " + safe(localId));
        }
        return ScopedId.of(caller.tenantId(), localId);
    }

    /** An agent the caller may act as: itself for an agent, any of the tenant's for others. */
    static String actingAgent(Caller caller, String localId) {
        String id = agentId(caller, localId);
        if (!caller.mayActAs(localId)) {
            throw new NotFoundException("no agent " + localId);
        }
        return id;
    }

    static Interaction interaction(HistoryStore history, Caller caller, String interactionId) {
        return history.findInteraction(caller.tenantId(), interactionId)
                .orElseThrow(() -> new NotFoundException("no interaction " + safe(interactionId)));
    }

    /** The actor recorded for what the caller does. */
    static String actor(Caller caller) {
        if (caller.has(Role.AGENT) && caller.agentId() != null && !caller.isManager()) {
            return Actors.agent(caller.agentId());
        }
        return Actors.supervisor(caller.subject());
    }

    private static String safe(String id) {
        return id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "…" : id;
    }
}
