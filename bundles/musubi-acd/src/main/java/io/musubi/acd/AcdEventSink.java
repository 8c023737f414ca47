package io.musubi.acd;

import io.musubi.model.InteractionEvent;
import io.musubi.model.PresenceChange;

/**
 * Receives every event of the ACD synchronously, <em>while the engine's lock is held</em>, in the order the engine
 * made the state changes: for a durable recorder that must see each decision in engine order before anyone else is
 * told of it (the {@link AcdListener}s are called after the command, outside the lock). At most one sink per engine
 * ({@link AcdEngine#setEventSink}).
 *
 * <p>A sink must be cheap and must not block (e.g. append to a buffer that another thread commits), must not call
 * back into the engine, and should not throw: an exception is logged (once per sink) and counted, and the command goes
 * on — the state change has already been made.
 */
public interface AcdEventSink {
    void onInteractionEvent(InteractionEvent event);

    void onPresenceChange(PresenceChange change);
}
