package io.musubi.routes.internal;

import io.musubi.api.HubEventListener;
import io.musubi.model.InteractionEvent;
import io.musubi.model.PresenceChange;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans recorded events out to the {@link HubEventListener} whiteboard. A listener that throws is logged (event id and
 * type only) and never stops the pipeline: the event is already recorded.
 */
final class HubEvents {

    private static final Logger LOG = LoggerFactory.getLogger(HubEvents.class);

    private final List<HubEventListener> listeners = new CopyOnWriteArrayList<>();

    void add(HubEventListener listener) {
        listeners.add(listener);
    }

    void remove(HubEventListener listener) {
        listeners.remove(listener);
    }

    void publish(InteractionEvent event) {
        for (HubEventListener listener : listeners) {
            try {
                listener.onInteractionEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Event listener {} failed on event {} ({})", listener.getClass().getName(), event.id(),
                        event.type(), e);
            }
        }
    }

    void publish(PresenceChange change) {
        for (HubEventListener listener : listeners) {
            try {
                listener.onPresenceChange(change);
            } catch (RuntimeException e) {
                LOG.warn("Event listener {} failed on presence event {}", listener.getClass().getName(), change.id(),
                        e);
            }
        }
    }
}
