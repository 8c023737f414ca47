package io.musubi.acd.internal;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.Actors;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the {@link InteractionEvent} of an interaction's change, stamped with the command's time and the next event
 * id, and posts it to the {@link EventOutbox}. Builds nothing while nobody listens (no listener, no sink). Fixed-arity
 * methods: no varargs array per event.
 *
 * <p>No lock of its own: only called under the engine's lock, in the order of the changes. It never calls back into
 * the engine.
 */
final class InteractionEvents {
    private final EventOutbox outbox;
    private final EngineTime time;

    InteractionEvents(EventOutbox outbox, EngineTime time) {
        this.outbox = outbox;
        this.time = time;
    }

    void emit(WorkItem w, InteractionEventType type, String actor, String k1, String v1) {
        if (outbox.emitting()) {
            post(w, type, actor, Map.of(k1, v1));
        }
    }

    void emit(WorkItem w, InteractionEventType type, String actor, String k1, String v1, String k2, String v2) {
        if (outbox.emitting()) {
            post(w, type, actor, Map.of(k1, v1, k2, v2));
        }
    }

    void emit(WorkItem w, InteractionEventType type, String actor, String k1, String v1, String k2, String v2,
              String k3, String v3) {
        if (outbox.emitting()) {
            post(w, type, actor, Map.of(k1, v1, k2, v2, k3, v3));
        }
    }

    /**
     * The QUEUED of an interaction starting to wait in {@code q}: with the agent it waits for and until when
     * (last-agent routing, transfer), so that the store knows it (restore).
     */
    void queued(WorkItem w, QueueState q) {
        if (!outbox.emitting()) {
            return;
        }
        if (w.pinned == null) {
            post(w, InteractionEventType.QUEUED, Actors.SYSTEM, Map.of(AcdAttributes.QUEUE_ID, q.id()));
            return;
        }
        Map<String, String> attrs = new HashMap<>(8);
        attrs.put(AcdAttributes.QUEUE_ID, q.id());
        attrs.put(AcdAttributes.WAITS_FOR, w.pinned.id());
        if (w.pinUntil != WaitPolicy.NEVER) {
            attrs.put(AcdAttributes.WAITS_UNTIL, Instant.ofEpochMilli(w.pinUntil).toString());
        }
        post(w, InteractionEventType.QUEUED, Actors.SYSTEM, Map.copyOf(attrs));
    }

    private void post(WorkItem w, InteractionEventType type, String actor, Map<String, String> attrs) {
        outbox.post(InteractionEvent.of(outbox.nextEventId(), w.src.tenantId(), w.id, w.customerId, w.channel, type,
                time.instant(), actor, attrs));
    }
}
