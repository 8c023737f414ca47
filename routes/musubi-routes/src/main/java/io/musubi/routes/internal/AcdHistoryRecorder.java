package io.musubi.routes.internal;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdListener;
import io.musubi.history.HistoryStore;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceChange;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the ACD does (queued, offered, accepted, wrap-up, ended, ...) into the history and keeps the
 * interaction's current state there, so the journey shows routing and the ingress finds open conversations.
 */
final class AcdHistoryRecorder implements AcdListener {

    private static final Logger LOG = LoggerFactory.getLogger(AcdHistoryRecorder.class);

    private final HistoryStore history;
    private final HubEvents events;

    AcdHistoryRecorder(HistoryStore history, HubEvents events) {
        this.history = history;
        this.events = events;
    }

    @Override
    public void onPresenceChange(PresenceChange change) {
        events.publish(change);
    }

    @Override
    public void onInteractionEvent(InteractionEvent event) {
        try {
            history.append(event);
            if (stateAfter(event).isPresent() || event.type() == InteractionEventType.DISPOSITION) {
                // A disposition changes no state but is part of the interaction's current picture.
                history.findInteraction(event.tenantId(), event.interactionId()).ifPresent(i -> history
                        .saveInteraction(updated(i, stateAfter(event).orElse(i.state()), event)));
            }
            events.publish(event);
        } catch (RuntimeException e) {
            // The ACD must not stop for the store: the event is logged by id and type only.
            LOG.error("Could not record ACD event {} ({}) of interaction {}", event.id(), event.type(),
                    event.interactionId(), e);
        }
    }

    static Optional<InteractionState> stateAfter(InteractionEvent e) {
        return Optional.ofNullable(switch (e.type()) {
            case QUEUED, REJECTED, OFFER_TIMEOUT -> InteractionState.QUEUED;
            case OFFERED -> InteractionState.OFFERED;
            case ACCEPTED, RESUMED -> InteractionState.CONNECTED;
            case HELD -> InteractionState.HELD;
            case WRAP_UP -> InteractionState.WRAP_UP;
            case ENDED -> InteractionState.ENDED;
            case ABANDONED -> InteractionState.ABANDONED;
            default -> null;
        });
    }

    private static Interaction updated(Interaction i, InteractionState state, InteractionEvent e) {
        String agent = e.attributes().getOrDefault(AcdAttributes.AGENT_ID, i.agentId());
        String queue = e.attributes().getOrDefault(AcdAttributes.QUEUE_ID, i.queueId());
        String disposition = e.attributes().getOrDefault(AcdAttributes.DISPOSITION, i.disposition());
        return new Interaction(i.id(), i.tenantId(), i.channel(), i.customerId(), i.from(), i.to(), i.threadKey(),
                queue, i.priority(), i.attributes(), state, i.createdAt(), e.timestamp(), agent, disposition);
    }
}
