package io.musubi.routes.internal;

import io.musubi.acd.AcdAttributes;
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
 *
 * <p>Every event also gets one INFO line in the log (logger {@value #JOURNEY_LOGGER}), so an operator can follow a
 * contact through the hub: type, interaction, tenant, channel, and where present queue, agent and connector. Never
 * an address, a name or message text.
 */
final class HubEvents {

    static final String JOURNEY_LOGGER = "io.musubi.journey";

    private static final Logger LOG = LoggerFactory.getLogger(HubEvents.class);
    private static final Logger JOURNEY = LoggerFactory.getLogger(JOURNEY_LOGGER);

    private final List<HubEventListener> listeners = new CopyOnWriteArrayList<>();

    void add(HubEventListener listener) {
        listeners.add(listener);
    }

    void remove(HubEventListener listener) {
        listeners.remove(listener);
    }

    void publish(InteractionEvent event) {
        if (JOURNEY.isInfoEnabled()) {
            JOURNEY.info(journeyLine(event));
        }
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
        if (JOURNEY.isInfoEnabled()) {
            JOURNEY.info(journeyLine(change));
        }
        for (HubEventListener listener : listeners) {
            try {
                listener.onPresenceChange(change);
            } catch (RuntimeException e) {
                LOG.warn("Event listener {} failed on presence event {}", listener.getClass().getName(), change.id(),
                        e);
            }
        }
    }

    /** {@code MESSAGE_IN interaction=i-… tenant=default channel=WEBCHAT source=demo}: ids and codes only. */
    static String journeyLine(InteractionEvent e) {
        StringBuilder sb = new StringBuilder(160).append(e.type()).append(" interaction=").append(e.interactionId())
                .append(" tenant=").append(e.tenantId()).append(" channel=").append(e.channel());
        appendIfPresent(sb, "queue", e.attributes().get(AcdAttributes.QUEUE_ID));
        appendIfPresent(sb, "agent", e.attributes().get(AcdAttributes.AGENT_ID));
        appendIfPresent(sb, "source", e.attributes().get("source"));
        return sb.toString();
    }

    /** {@code PRESENCE agent=default/alice tenant=default OFFLINE->AVAILABLE}. */
    static String journeyLine(PresenceChange c) {
        return "PRESENCE agent=" + c.agentId() + " tenant=" + c.tenantId() + " " + c.from() + "->" + c.to();
    }

    private static void appendIfPresent(StringBuilder sb, String key, String value) {
        if (value != null && !value.isEmpty()) {
            sb.append(' ').append(key).append('=').append(value);
        }
    }
}
