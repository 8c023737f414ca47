package io.musubi.hub.internal.events;

import java.util.Optional;

/**
 * Finds the assignment of an interaction the event stream has not seen since it started (after a restart of the
 * hub), from the history store.
 */
@FunctionalInterface
interface AssignmentLookup {

    AssignmentLookup NONE = (tenantId, interactionId) -> Optional.empty();

    Optional<Assignment> find(String tenantId, String interactionId);
}
