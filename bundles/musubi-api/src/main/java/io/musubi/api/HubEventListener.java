package io.musubi.api;

import io.musubi.model.InteractionEvent;
import io.musubi.model.PresenceChange;

/**
 * Receives every event the hub records, once it is recorded: the ACD's routing events, messages in and out,
 * notes and dispositions, and agents' presence changes. Registered as an OSGi service (whiteboard); the SSE
 * stream and the outbound webhooks are listeners. Calls come from the thread that recorded the event, so a
 * listener must return quickly and never throw; it hands the event on (a buffer, a durable table).
 */
public interface HubEventListener {

    void onInteractionEvent(InteractionEvent event);

    default void onPresenceChange(PresenceChange change) {
    }
}
