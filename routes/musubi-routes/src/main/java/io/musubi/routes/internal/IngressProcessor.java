package io.musubi.routes.internal;

import io.musubi.acd.AcdEngine;
import io.musubi.api.InboundEventListener;
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
 */
final class IngressProcessor implements IngressHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IngressProcessor.class);

    /** Interaction attribute naming the connector instance that serves the conversation. */
    static final String SOURCE_ATTRIBUTE = "musubi.source";

    private final IdentityService identity;
    private final HistoryStore history;
    private final IdempotencyRepository idempotency;
    private final AcdEngine acd;
    private final Function<InboundEvent, String> queueFor;
    private final Supplier<List<InboundEventListener>> listeners;

    IngressProcessor(IdentityService identity, HistoryStore history, IdempotencyRepository idempotency, AcdEngine acd,
                     Function<InboundEvent, String> queueFor, Supplier<List<InboundEventListener>> listeners) {
        this.listeners = listeners;
        this.identity = identity;
        this.history = history;
        this.idempotency = idempotency;
        this.acd = acd;
        this.queueFor = queueFor;
    }

    @Override
    public boolean handle(InboundEvent e) throws Exception {
        if (idempotency.isProcessed(e.tenantId(), e.source(), e.eventId())) {
            return false;
        }
        String customerId = resolveCustomer(e);
        String thread = e.threadKey().isEmpty() ? e.from().uri() : e.threadKey();
        Optional<Interaction> open = history.findOpenInteraction(e.tenantId(), e.channel(), thread);

        List<InteractionEvent> events = new ArrayList<>(2);
        Interaction interaction;
        boolean created = open.isEmpty();
        if (created) {
            Map<String, String> attributes = new java.util.HashMap<>(e.attributes());
            // Replies go back through the connector instance the conversation came in by.
            attributes.put(SOURCE_ATTRIBUTE, e.source());
            interaction = new Interaction(derivedId("i", e), e.tenantId(), e.channel(), customerId, e.from(), e.to(),
                    thread, queueFor.apply(e), 0, attributes, InteractionState.NEW, e.occurredAt(),
                    e.occurredAt(), "", "");
            history.saveInteraction(interaction);
            events.add(event(e, interaction, InteractionEventType.ARRIVED, "arrived", Map.of()));
        } else {
            interaction = open.get();
        }
        if (e.type() != InteractionEventType.ARRIVED) {
            InteractionEvent happened = new InteractionEvent(derivedId("e", e), e.tenantId(), interaction.id(),
                    interaction.customerId(), e.channel(), e.type(), e.occurredAt(), "customer",
                    Map.of("source", e.source(), "sourceEventId", e.eventId()), e.content());
            events.add(happened);
        }
        history.appendAll(events);

        // A new interaction, or one a crash left unqueued, goes to the ACD.
        if (acd != null && (created || interaction.state() == InteractionState.NEW)
                && acd.interaction(interaction.id()).isEmpty() && !interaction.queueId().isEmpty()) {
            acd.enqueue(interaction);
        }
        for (InboundEventListener listener : listeners.get()) {
            listener.onInbound(e);
        }
        idempotency.markProcessed(e.tenantId(), e.source(), e.eventId());
        return true;
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

    /** The default queue selection: the event's {@code musubi.queue} attribute, else the configured default. */
    static Function<InboundEvent, String> queueSelector(String defaultQueue) {
        return e -> {
            String q = e.attributes().get("musubi.queue");
            return q == null || q.isBlank() ? defaultQueue : q;
        };
    }

}
