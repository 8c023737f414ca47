package io.musubi.hub.internal.ingress;

import io.musubi.acd.AcdAttributes;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.store.HistoryStore;
import io.musubi.store.InteractionMove;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.ScopedId;
import io.musubi.spi.ConnectorAttributes;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector-reported lifecycle (docs/connectors/writing-a-connector.md): what a connector saw happen to a contact
 * outside the hub (the agent answered the phone, the caller hung up, the call was put on hold or recorded) applied to
 * the ACD and the history.
 *
 * <ul>
 *   <li>{@code ACCEPTED} (attribute {@link ConnectorAttributes#AGENT_ID}): the offer to that agent is accepted; waiting,
 *       offered elsewhere or unknown to the ACD: force-assigned to the agent; connected to another agent: transferred to
 *       this one; connected to the same agent: nothing;</li>
 *   <li>{@code REJECTED} (agent): the offer to that agent is rejected (back to the head of the queue);</li>
 *   <li>{@code ENDED}: waiting or offered: abandoned (with its wait: the ACD's, or for an interaction the provider
 *       routes the {@code waitMs} it reported, else the time since arrival); connected or held: ended (wrap-up);</li>
 *   <li>{@code HELD} / {@code RESUMED}: hold and resume;</li>
 *   <li>{@code OFFERED}, {@code OFFER_TIMEOUT}, {@code TRANSFERRED}, {@code CONFERENCED}, {@code RECORDING_STARTED},
 *       {@code RECORDING_STOPPED}: recorded on the interaction as reported (actor {@code connector:<id>}, the event's
 *       attributes), changing no routing state.</li>
 * </ul>
 *
 * The ACD records what it does itself, so an applied event is not recorded twice. An interaction the ACD does not hold
 * (routed by the provider, or ended) gets the event recorded and its stored state moved. A report that does not fit
 * the current state (a race between the phone and the hub) changes nothing and is logged.
 */
final class ConnectorLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorLifecycle.class);

    private static final Set<InteractionEventType> APPLIED = EnumSet.of(InteractionEventType.ACCEPTED,
            InteractionEventType.REJECTED, InteractionEventType.ENDED, InteractionEventType.HELD,
            InteractionEventType.RESUMED);

    private static final Set<InteractionEventType> RECORDED = EnumSet.of(InteractionEventType.OFFERED,
            InteractionEventType.OFFER_TIMEOUT, InteractionEventType.TRANSFERRED, InteractionEventType.CONFERENCED,
            InteractionEventType.RECORDING_STARTED, InteractionEventType.RECORDING_STOPPED);

    private final HistoryStore history;
    private final AcdEngine acd;
    private final HubEvents events;

    ConnectorLifecycle(HistoryStore history, AcdEngine acd, HubEvents events) {
        this.history = history;
        this.acd = acd;
        this.events = events;
    }

    /** Whether an inbound event of this type is a lifecycle report (then the ingress does not record it as it is). */
    static boolean handles(InteractionEventType type) {
        return APPLIED.contains(type) || RECORDED.contains(type);
    }

    /** Whether the provider routes this interaction ({@link ConnectorAttributes#ROUTING_EXTERNAL}). */
    static boolean routedExternally(Interaction i) {
        return ConnectorAttributes.ROUTING_EXTERNAL.equals(i.attributes().get(ConnectorAttributes.ROUTING));
    }

    /** Applies one report to the interaction it joined (already stored, its ARRIVED recorded when new). */
    void apply(InboundEvent e, Interaction interaction) {
        String actor = Actors.connector(e.source());
        if (RECORDED.contains(e.type()) || acd == null) {
            record(e, interaction, e.type(), Map.of());
            return;
        }
        Optional<Interaction> live = acd.interaction(interaction.id());
        try {
            switch (e.type()) {
                case ACCEPTED -> accepted(e, interaction, live, actor);
                case REJECTED -> rejected(e, interaction, live);
                case ENDED -> ended(e, interaction, live, actor);
                case HELD -> held(e, interaction, live, actor, true);
                case RESUMED -> held(e, interaction, live, actor, false);
                default -> throw new IllegalStateException("not a lifecycle event: " + e.type());
            }
        } catch (IllegalStateException | NoSuchElementException | IllegalArgumentException ex) {
            // The phone and the hub raced (the offer timed out as the agent answered, ...): the report is kept.
            LOG.info("{} reported {} on interaction {}, which does not fit its state: {}", e.source(), e.type(),
                    interaction.id(), ex.getMessage());
            record(e, interaction, e.type(), Map.of("applied", "false"));
        }
    }

    private void accepted(InboundEvent e, Interaction stored, Optional<Interaction> live, String actor) {
        Optional<String> agent = agentOf(e);
        if (agent.isEmpty()) {
            record(e, stored, InteractionEventType.ACCEPTED, Map.of("applied", "false"));
            return;
        }
        String a = agent.get();
        if (live.isEmpty()) {
            if (stored.state().isTerminal()) {
                LOG.info("{} reported ACCEPTED on interaction {}, which has ended", e.source(), stored.id());
                record(e, stored, InteractionEventType.ACCEPTED, Map.of("applied", "false"));
                return;
            }
            acd.forceAssign(stored, a, actor);
            return;
        }
        Interaction i = live.get();
        switch (i.state()) {
            case OFFERED -> {
                if (offeredTo(i.id(), a)) {
                    acd.accept(i.id(), a);
                } else {
                    acd.forceAssign(i, a, actor);
                }
            }
            case NEW, QUEUED -> acd.forceAssign(i, a, actor);
            case CONNECTED, HELD -> {
                if (!a.equals(i.agentId())) {
                    acd.transferToAgent(i.id(), a, actor);
                    if (offeredTo(i.id(), a)) {
                        acd.accept(i.id(), a);
                    } else {
                        acd.forceAssign(acd.interaction(i.id()).orElseThrow(), a, actor);
                    }
                }
            }
            default -> throw new IllegalStateException("interaction is " + i.state());
        }
    }

    private void rejected(InboundEvent e, Interaction stored, Optional<Interaction> live) {
        Optional<String> agent = agentOf(e);
        if (live.isPresent() && agent.isPresent() && offeredTo(stored.id(), agent.get())) {
            acd.reject(stored.id(), agent.get(), e.attributes().getOrDefault(ConnectorAttributes.REASON, "connector"));
        } else {
            record(e, stored, InteractionEventType.REJECTED, Map.of("applied", "false"));
        }
    }

    private void ended(InboundEvent e, Interaction stored, Optional<Interaction> live, String actor) {
        if (live.isPresent()) {
            switch (live.get().state()) {
                case NEW, QUEUED, OFFERED -> acd.abandon(stored.id());
                case CONNECTED, HELD -> acd.end(stored.id(), actor);
                default -> {
                    // in wrap-up: the call is over already
                }
            }
            return;
        }
        // Not held by the ACD: routed by the provider, or the hub no longer routes it.
        switch (stored.state()) {
            case NEW, QUEUED, OFFERED -> {
                long waited = reportedWait(e).orElse(Math.max(0,
                        Duration.between(stored.createdAt(), e.occurredAt()).toMillis()));
                record(e, stored, InteractionEventType.ABANDONED, Map.of(AcdAttributes.WAIT_MS, Long.toString(waited),
                        AcdAttributes.QUEUE_ID, stored.queueId()));
                save(stored, InteractionState.ABANDONED, e);
            }
            case CONNECTED, HELD, WRAP_UP -> {
                record(e, stored, InteractionEventType.ENDED, Map.of(AcdAttributes.AGENT_ID, stored.agentId()));
                save(stored, InteractionState.ENDED, e);
            }
            default -> {
                // ended before: nothing to do
            }
        }
    }

    private void held(InboundEvent e, Interaction stored, Optional<Interaction> live, String actor, boolean hold) {
        InteractionState from = hold ? InteractionState.CONNECTED : InteractionState.HELD;
        if (live.isPresent()) {
            if (live.get().state() == from) {
                if (hold) {
                    acd.hold(stored.id(), actor);
                } else {
                    acd.resume(stored.id(), actor);
                }
            }
            return;
        }
        if (stored.state() == from) {
            record(e, stored, e.type(), Map.of());
            save(stored, hold ? InteractionState.HELD : InteractionState.CONNECTED, e);
        }
    }

    /** The wait the provider measured ({@code waitMs}), which is more exact than the hub's arrival time. */
    private static Optional<Long> reportedWait(InboundEvent e) {
        String w = e.attributes().get(AcdAttributes.WAIT_MS);
        if (w == null || !w.matches("[0-9]{1,12}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(w));
    }

    private boolean offeredTo(String interactionId, String agentId) {
        return acd.agent(agentId).map(s -> s.offered().contains(interactionId)).orElse(false);
    }

    private static Optional<String> agentOf(InboundEvent e) {
        String local = e.attributes().get(ConnectorAttributes.AGENT_ID);
        if (local == null || !ScopedId.isValidLocal(local)) {
            return Optional.empty();
        }
        return Optional.of(ScopedId.of(e.tenantId(), local));
    }

    /** Appends the report as an event of the interaction, with the connector's attributes. */
    private void record(InboundEvent e, Interaction i, InteractionEventType type, Map<String, String> extra) {
        Map<String, String> attributes = new HashMap<>();
        e.attributes().forEach((k, v) -> {
            if (!k.startsWith(ConnectorAttributes.REPLY_PREFIX)) {
                attributes.put(k, v);
            }
        });
        attributes.putAll(extra);
        attributes.put("source", e.source());
        attributes.put("sourceEventId", e.eventId());
        InteractionEvent event = new InteractionEvent(IngressProcessor.derivedId("e", e), e.tenantId(), i.id(),
                i.customerId(), i.channel(), type, e.occurredAt(), Actors.connector(e.source()), attributes, null);
        history.append(event);
        events.publish(event);
    }

    /** Only the state and its time: the ACD's recorder may be moving the row's other columns at the same time. */
    private void save(Interaction i, InteractionState state, InboundEvent e) {
        history.moveInteractions(List.of(new InteractionMove(i.tenantId(), i.id(), state, null, null, null,
                e.occurredAt())));
    }
}
