package io.musubi.hub.internal.events;

import io.musubi.acd.AcdAttributes;
import io.musubi.api.HubEventListener;
import io.musubi.model.InteractionEvent;
import io.musubi.model.PresenceChange;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's one fan-out of recorded events to the {@link HubEventListener} whiteboard (the SSE stream, the webhooks,
 * connectors): every part of the hub that records an event (ingress, egress, the ACD recorder) publishes it here. A listener that throws is logged (event id and
 * type only) and never stops the pipeline: the event is already recorded.
 *
 * <p>Every event also gets one INFO line in the log (logger {@value #JOURNEY_LOGGER}), so an operator can follow a
 * contact through the hub: type, interaction, tenant, channel, and where present queue, agent and connector. Never
 * an address, a name or message text.
 */
@Component(service = HubEvents.class)
public final class HubEvents {

    static final String JOURNEY_LOGGER = "io.musubi.journey";

    private static final Logger LOG = LoggerFactory.getLogger(HubEvents.class);
    private static final Logger JOURNEY = LoggerFactory.getLogger(JOURNEY_LOGGER);

    private final List<HubEventListener> listeners = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void add(HubEventListener listener) {
        listeners.add(listener);
    }

    public void remove(HubEventListener listener) {
        listeners.remove(listener);
    }

    public void publish(InteractionEvent event) {
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

    public void publish(PresenceChange change) {
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
