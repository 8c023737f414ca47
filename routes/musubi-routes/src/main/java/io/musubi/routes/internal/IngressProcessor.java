package io.musubi.routes.internal;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.QueueDefinition;
import io.musubi.api.InboundEventListener;
import io.musubi.api.InteractionIntake;
import io.musubi.history.HistoryStore;
import io.musubi.history.IdempotencyRepository;
import io.musubi.identity.IdentityService;
import io.musubi.identity.InvalidAddressException;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.ScopedId;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.MalformedInputException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's handling of one inbound event (DESIGN §3, issue #4): de-duplicate on the provider's event id, resolve
 * the customer, find the conversation's open interaction or open a new one, append the events to the history, and
 * hand a new interaction to the ACD, and tell the {@link InboundEventListener}s.
 *
 * <p>Crash safety without a distributed transaction: every id this writes is derived from
 * {@code tenant/source/eventId}, and the history store ignores an event id it already has. If the hub dies
 * half-way, the broker redelivers the event and the second pass writes nothing new; the event is marked processed
 * only at the very end, so a crash can never mark an event whose effects are missing.
 *
 * <p>The same processing serves the REST API synchronously ({@link InteractionIntake}). Events of one conversation
 * are processed one at a time (a lock stripe per tenant, channel and thread), so two callers can never open two
 * interactions for one thread.
 *
 * <p>Queues are tenant-scoped: an event is queued in {@code <tenant>/<musubi.queue attribute>} if that queue exists,
 * else in the tenant's default queue, which is created when missing if so configured.
 */
final class IngressProcessor implements IngressHandler, InteractionIntake {

    private static final Logger LOG = LoggerFactory.getLogger(IngressProcessor.class);

    /** Interaction attribute naming the connector instance that serves the conversation. */
    static final String SOURCE_ATTRIBUTE = "musubi.source";

    /** Event attribute choosing the (local) queue of a new interaction. */
    static final String QUEUE_ATTRIBUTE = "musubi.queue";

    private final IdentityService identity;
    private final HistoryStore history;
    private final IdempotencyRepository idempotency;
    private final AcdEngine acd;
    private final String defaultQueue;
    private final boolean createDefaultQueue;
    private final Supplier<List<InboundEventListener>> listeners;
    private final HubEvents events;
    private final ConnectorLifecycle lifecycle;
    private final Object[] stripes = new Object[64];

    IngressProcessor(IdentityService identity, HistoryStore history, IdempotencyRepository idempotency, AcdEngine acd,
                     String defaultQueue, boolean createDefaultQueue, Supplier<List<InboundEventListener>> listeners,
                     HubEvents events) {
        this.listeners = listeners;
        this.identity = identity;
        this.history = history;
        this.idempotency = idempotency;
        this.acd = acd;
        this.defaultQueue = defaultQueue;
        this.createDefaultQueue = createDefaultQueue;
        this.events = events;
        this.lifecycle = new ConnectorLifecycle(history, acd, events);
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    @Override
    public boolean handle(InboundEvent e) throws Exception {
        return process(e) != null;
    }

    @Override
    public Interaction submit(InboundEvent e) {
        try {
            Interaction done = process(e);
            if (done != null) {
                return done;
            }
        } catch (RuntimeException ex) {
            throw ex;
        } catch (Exception ex) {
            throw new IllegalStateException("inbound event could not be processed", ex);
        }
        // A repeat: answer with what the first pass produced.
        if (e.type() == InteractionEventType.MESSAGE_STATUS) {
            return history.findInteraction(e.tenantId(), e.attributes().get(ConnectorAttributes.INTERACTION_ID))
                    .orElseThrow(() -> new IllegalStateException("the interaction of status " + e.eventId()
                            + " is gone"));
        }
        return history.findInteraction(e.tenantId(), derivedId("i", e))
                .or(() -> history.findOpenInteraction(e.tenantId(), e.channel(), threadOf(e)))
                .orElseThrow(() -> new IllegalStateException("event " + e.eventId() + " was processed before, "
                        + "but its interaction is no longer open"));
    }

    @Override
    public void record(InteractionEvent event) {
        history.append(event);
        events.publish(event);
    }

    /** @return the interaction the event joined or opened, or null if the event was a duplicate */
    private Interaction process(InboundEvent e) throws Exception {
        if (e.type() == InteractionEventType.MESSAGE_STATUS) {
            return recordStatus(e);
        }
        String thread = threadOf(e);
        synchronized (stripes[Math.floorMod((e.tenantId() + '|' + e.channel() + '|' + thread).hashCode(),
                stripes.length)]) {
            if (idempotency.isProcessed(e.tenantId(), e.source(), e.eventId())) {
                return null;
            }
            String customerId = resolveCustomer(e);
            Optional<Interaction> open = history.findOpenInteraction(e.tenantId(), e.channel(), thread);

            List<InteractionEvent> recorded = new ArrayList<>(2);
            Interaction interaction;
            boolean created = open.isEmpty();
            if (created) {
                Map<String, String> attributes = new java.util.HashMap<>(e.attributes());
                // Replies go back through the connector instance the conversation came in by.
                attributes.put(SOURCE_ATTRIBUTE, e.source());
                interaction = new Interaction(derivedId("i", e), e.tenantId(), e.channel(), customerId, e.from(),
                        e.to(), thread, queueFor(e), 0, attributes, InteractionState.NEW, e.occurredAt(),
                        e.occurredAt(), "", "");
                history.saveInteraction(interaction);
                // Naming the inbound event lets its connector tie the interaction to its own call or thread.
                recorded.add(event(e, interaction, InteractionEventType.ARRIVED, "arrived",
                        Map.of("source", e.source(), "sourceEventId", e.eventId())));
            } else {
                interaction = withReplyData(open.get(), e);
                if (interaction != open.get()) {
                    history.saveInteraction(interaction);
                }
            }
            if (e.type() != InteractionEventType.ARRIVED && !ConnectorLifecycle.handles(e.type())) {
                InteractionEvent happened = new InteractionEvent(derivedId("e", e), e.tenantId(), interaction.id(),
                        interaction.customerId(), e.channel(), e.type(), e.occurredAt(), "customer",
                        Map.of("source", e.source(), "sourceEventId", e.eventId()), e.content());
                recorded.add(happened);
            }
            history.appendAll(recorded);
            recorded.forEach(events::publish);

            // A connector-reported lifecycle step goes to the ACD as such; a new interaction, or one a crash left
            // unqueued, is queued unless its provider routes it.
            if (ConnectorLifecycle.handles(e.type())) {
                lifecycle.apply(e, interaction);
            } else if (acd != null && (created || interaction.state() == InteractionState.NEW)
                    && acd.interaction(interaction.id()).isEmpty() && !interaction.queueId().isEmpty()
                    && !ConnectorLifecycle.routedExternally(interaction)) {
                acd.enqueue(interaction);
            }
            for (InboundEventListener listener : listeners.get()) {
                listener.onInbound(e);
            }
            idempotency.markProcessed(e.tenantId(), e.source(), e.eventId());
            return interaction;
        }
    }

    /**
     * A delivery status of an outbound message: recorded on the message's interaction (named by the event) in the
     * order reported; never routed, never opens an interaction.
     */
    private Interaction recordStatus(InboundEvent e) {
        String interactionId = e.attributes().get(ConnectorAttributes.INTERACTION_ID);
        if (interactionId == null || interactionId.isBlank()) {
            throw new MalformedInputException("a message status names no interaction");
        }
        synchronized (stripes[Math.floorMod((e.tenantId() + '|' + interactionId).hashCode(), stripes.length)]) {
            if (idempotency.isProcessed(e.tenantId(), e.source(), e.eventId())) {
                return null;
            }
            Interaction interaction = history.findInteraction(e.tenantId(), interactionId)
                    .orElseThrow(() -> new MalformedInputException("a message status names an unknown interaction"));
            InteractionEvent status = new InteractionEvent(derivedId("e", e), e.tenantId(), interaction.id(),
                    interaction.customerId(), interaction.channel(), InteractionEventType.MESSAGE_STATUS,
                    e.occurredAt(), "connector:" + e.source(), e.attributes(), null);
            history.append(status);
            events.publish(status);
            idempotency.markProcessed(e.tenantId(), e.source(), e.eventId());
            return interaction;
        }
    }

    /**
     * The interaction with the event's connector data that must travel with replies ({@code reply.*} attributes,
     * the latest value of each wins); the same instance when the event carries none or nothing changed.
     */
    static Interaction withReplyData(Interaction i, InboundEvent e) {
        Map<String, String> merged = null;
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
            if (a.getKey().startsWith(ConnectorAttributes.REPLY_PREFIX)
                    && !a.getValue().equals(i.attributes().get(a.getKey()))) {
                if (merged == null) {
                    merged = new java.util.HashMap<>(i.attributes());
                }
                merged.put(a.getKey(), a.getValue());
            }
        }
        if (merged == null) {
            return i;
        }
        return new Interaction(i.id(), i.tenantId(), i.channel(), i.customerId(), i.from(), i.to(), i.threadKey(),
                i.queueId(), i.priority(), merged, i.state(), i.createdAt(), e.occurredAt(), i.agentId(),
                i.disposition());
    }

    private static String threadOf(InboundEvent e) {
        return e.threadKey().isEmpty() ? e.from().uri() : e.threadKey();
    }

    /**
     * The scoped queue of a new interaction: the event's {@code musubi.queue} attribute if the tenant has that
     * queue, else the tenant's default queue (created here when missing and so configured).
     */
    private String queueFor(InboundEvent e) {
        String wanted = e.attributes().get(QUEUE_ATTRIBUTE);
        if (acd != null && wanted != null && ScopedId.isValidLocal(wanted)) {
            String scoped = ScopedId.of(e.tenantId(), wanted);
            if (acd.queueStatistics(scoped).isPresent()) {
                return scoped;
            }
            LOG.info("Inbound event {} asks for queue {}, which tenant {} does not have: default queue used",
                    e.eventId(), wanted, e.tenantId());
        }
        String fallback = ScopedId.of(e.tenantId(), defaultQueue);
        if (acd != null && createDefaultQueue && acd.queueStatistics(fallback).isEmpty()) {
            acd.defineQueue(QueueDefinition.builder(fallback).name("Default").channels(Channel.values()).build());
        }
        return fallback;
    }

    private String resolveCustomer(InboundEvent e) {
        try {
            return identity.resolve(e.tenantId(), e.from()).customer().id();
        } catch (InvalidAddressException ex) {
            // Withheld or invalid caller ids are never merged into one customer: the interaction has none.
            LOG.info("Inbound event {} from {} has no resolvable customer: {}", e.eventId(), e.from().masked(),
                    ex.getClass().getSimpleName());
            return "";
        }
    }

    private static InteractionEvent event(InboundEvent e, Interaction i, InteractionEventType type, String suffix,
                                          Map<String, String> attributes) {
        return InteractionEvent.of(derivedId("e", e) + "-" + suffix, e.tenantId(), i.id(), i.customerId(), e.channel(),
                type, e.occurredAt(), "connector:" + e.source(), attributes);
    }

    /** A stable id for what one inbound event creates, so a redelivery recreates the same ids. */
    static String derivedId(String kind, InboundEvent e) {
        String key = e.tenantId() + '/' + e.source() + '/' + e.eventId();
        return kind + "-" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }


}
