package io.musubi.acd;

import io.musubi.model.InteractionEvent;
import io.musubi.model.PresenceChange;

/**
 * Receives every state change of the ACD, in the order the engine made them. Called outside the engine's lock
 * by one thread at a time; a listener may call back into the engine (its own events are delivered after it returns).
 * Exceptions are logged and swallowed.
 */
public interface AcdListener {
    default void onInteractionEvent(InteractionEvent event) {
    }

    default void onPresenceChange(PresenceChange change) {
    }
}
