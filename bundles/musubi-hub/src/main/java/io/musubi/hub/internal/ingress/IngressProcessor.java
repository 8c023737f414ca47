package io.musubi.hub.internal.ingress;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.QueueDefinition;
import io.musubi.api.InboundEventListener;
import io.musubi.api.IngressHandler;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.api.InboundEventRefusedException;
import io.musubi.api.InteractionIntake;
import io.musubi.api.ScheduledInteractions;
import io.musubi.store.HistoryStore;
import io.musubi.store.IdempotencyRepository;
import io.musubi.store.StoreTransactions;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
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
 * <p>Queues are tenant-scoped. A new interaction goes to {@code <tenant>/<musubi.queue attribute>}, or to the
 * tenant's default queue when the event names none (created when missing if so configured). Everything that can
 * refuse an event (the queue exists, it takes the channel) is checked <em>before</em> anything is written, so a
 * refused event stores nothing (DESIGN §11) and throws {@link InboundEventRefusedException}. A synchronous caller
 * ({@link #submit}, the REST API) is refused when the queue it names cannot take the event; an event from the broker
 * ({@link #handle}, a connector configured by an operator) that names such a queue goes to the default queue
 * instead, with one warning per tenant, queue and reason, and is refused only when the default queue cannot take it
 * either. Should the ACD still refuse an interaction after these checks (its queue was changed in between), the
 * interaction is closed (ENDED, outcome {@code refused}) rather than left NEW.
 *
 * <p>Events submitted over the API ({@link InteractionIntake#API_SOURCE}) carry the caller's message id, which is
 * unique only within one conversation: their de-duplication key is scoped by the sender address and the thread, so
 * another customer's message with the same id is never taken for a repeat.
 */
public final class IngressProcessor implements IngressHandler, InteractionIntake {

    private static final Logger LOG = LoggerFactory.getLogger(IngressProcessor.class);

    /** Interaction attribute naming the connector instance that serves the conversation. */
    static final String SOURCE_ATTRIBUTE = ConnectorAttributes.SOURCE;

    /** Event attribute choosing the (local) queue of a new interaction. */
    static final String QUEUE_ATTRIBUTE = "musubi.queue";

    private static final int MAX_WARNED = 1024;

    private final IdentityService identity;
    private final HistoryStore history;
    private final IdempotencyRepository idempotency;
    private final AcdEngine acd;
    private final String defaultQueue;
    private final boolean createDefaultQueue;
    private final Supplier<List<InboundEventListener>> listeners;
    private final HubEvents events;
    private final ConnectorLifecycle lifecycle;
    private final StoreTransactions transactions;
    /** Takes a new interaction that is to be queued later (a call-back for a chosen time); true: not queued now. */
    private final Predicate<Interaction> deferred;
    /**
     * Publishes events this processor committed, in order with the ACD's decisions made after the call, once durable
     * ({@code AcdHistoryRecorder#publishCommitted}); null: a new interaction is routed only after its own flush.
     */
    private volatile Consumer<List<InteractionEvent>> publishCommitted;
    /** Lock stripes per conversation: many, so that distinct conversations rarely wait for each other's commit. */
    private final Object[] stripes = new Object[1024];
    /** Connector queue problems already warned about (tenant/queue/reason), bounded. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public IngressProcessor(IdentityService identity, HistoryStore history, IdempotencyRepository idempotency, AcdEngine acd,
                     String defaultQueue, boolean createDefaultQueue, Supplier<List<InboundEventListener>> listeners,
                     HubEvents events, StoreTransactions transactions) {
        this(identity, history, idempotency, acd, defaultQueue, createDefaultQueue, listeners, events, transactions,
                i -> false);
    }

    /**
     * @param deferred offered each new interaction before it is queued (and one a crash left unqueued): true when it
     *                 holds it back until its time ({@code io.musubi.hub.internal.schedule.InteractionScheduler#defer})
     */
    public IngressProcessor(IdentityService identity, HistoryStore history, IdempotencyRepository idempotency, AcdEngine acd,
                     String defaultQueue, boolean createDefaultQueue, Supplier<List<InboundEventListener>> listeners,
                     HubEvents events, StoreTransactions transactions, Predicate<Interaction> deferred) {
        this.deferred = deferred;
        this.listeners = listeners;
        this.transactions = transactions;
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

    /**
     * Routes a new interaction as soon as its transaction committed, before that commit is durable: its arrival
     * events go to {@code publish} (which publishes them once durable, before the ACD's decisions on it), the ACD's
     * offer is published only once the recorder's flush (which covers the earlier commit) is durable, and the event
     * is still acknowledged only once its own commit is durable. One flush less between an arrival and its offer.
     */
    public void routeBeforeDurable(Consumer<List<InteractionEvent>> publish) {
        this.publishCommitted = publish;
    }

    @Override
    public boolean handle(InboundEvent e) throws Exception {
        if (joinsOnly(e) && recordedWithoutInteraction(e)) {
            return true;
        }
        return process(e, false) != null;
    }

    /** A connector's event that belongs on an open interaction only ({@link ConnectorAttributes#JOIN_ONLY}). */
    static boolean joinsOnly(InboundEvent e) {
        return "true".equals(e.attributes().get(ConnectorAttributes.JOIN_ONLY))
                && !InteractionIntake.API_SOURCE.equals(e.source());
    }

    /**
     * A join-only event whose conversation has no open interaction: the customer is resolved and the listeners are
     * told, nothing is opened or queued.
     *
     * @return true if it was handled so; false when it is a duplicate or an interaction is open (then
     *         {@link #process} handles it as usual)
     */
    private boolean recordedWithoutInteraction(InboundEvent e) throws Exception {
        String thread = threadOf(e);
        synchronized (stripes[Math.floorMod((e.tenantId() + '|' + e.channel() + '|' + thread).hashCode(),
                stripes.length)]) {
            try {
                return transactions.inTransaction(() -> {
                    if (idempotency.isProcessed(e.tenantId(), e.source(), e.eventId())
                            || history.findOpenInteraction(e.tenantId(), e.channel(), thread).isPresent()) {
                        return false;
                    }
                    resolveCustomer(e);
                    tellListeners(e);
                    idempotency.markProcessed(e.tenantId(), e.source(), e.eventId());
                    return true;
                });
            } catch (ListenerFailure f) {
                throw f.cause;
            }
        }
    }

    /** The {@link InboundEventListener}s, inside the caller's transaction: one that throws rolls it back. */
    private void tellListeners(InboundEvent e) {
        for (InboundEventListener listener : listeners.get()) {
            try {
                listener.onInbound(e);
            } catch (RuntimeException ex) {
                throw ex;
            } catch (Exception ex) {
                throw new ListenerFailure(ex);
            }
        }
    }

    @Override
    public Interaction submit(InboundEvent e) {
        try {
            Interaction done = process(e, true);
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
        // The mark names the interaction; marks of an older version do not, and their ids were derived without time.
        return idempotency.processedInteraction(e.tenantId(), e.source(), eventKey(e))
                .flatMap(id -> history.findInteraction(e.tenantId(), id))
                .or(() -> history.findInteraction(e.tenantId(), derivedId("i", e)))
                .or(() -> history.findOpenInteraction(e.tenantId(), e.channel(), threadOf(e)))
                .orElseThrow(() -> new IllegalStateException("event " + e.eventId() + " was processed before, "
                        + "but its interaction is no longer open"));
    }

    @Override
    public void record(InteractionEvent event) {
        history.append(event);
        events.publish(event);
    }

    /**
     * @param strict refuse an event whose named queue cannot take it (a synchronous caller can be told); else use the
     *               default queue for it
     * @return the interaction the event joined or opened, or null if the event was a duplicate
     */
    private Interaction process(InboundEvent e, boolean strict) throws Exception {
        if (e.type() == InteractionEventType.MESSAGE_STATUS) {
            return recordStatus(e);
        }
        String thread = threadOf(e);
        synchronized (stripes[Math.floorMod((e.tenantId() + '|' + e.channel() + '|' + thread).hashCode(),
                stripes.length)]) {
            Consumer<List<InteractionEvent>> early = publishCommitted;
            Stored stored;
            try {
                stored = early == null ? transactions.inTransaction(() -> store(e, thread, strict))
                        : transactions.inTransactionCommitted(() -> store(e, thread, strict));
            } catch (ListenerFailure f) {
                throw f.cause;
            }
            if (stored == null) {
                requeueIfStranded(e, thread);
                return null;
            }
            Interaction interaction = stored.interaction;
            if (early != null) {
                // A call-back for a later time is held back by the scheduler, which tells of it at once: it takes
                // the durable-first path below, so that its CALLBACK_SCHEDULED follows its ARRIVED.
                if (!ConnectorLifecycle.handles(e.type()) && stored.toQueue
                        && !interaction.attributes().containsKey(ScheduledInteractions.DUE_AT)
                        && !deferred.test(interaction)) {
                    // Committed, not yet known durable: routed now; everyone is told only once it is durable.
                    early.accept(stored.recorded);
                    try {
                        enqueue(e, interaction, ended -> early.accept(List.of(ended)));
                    } finally {
                        transactions.awaitDurable(); // acknowledged (or answered) only once durable
                    }
                    return interaction;
                }
                transactions.awaitDurable();
            }
            // Durable now: told to the API's listeners, then routed.
            stored.recorded.forEach(events::publish);
            if (ConnectorLifecycle.handles(e.type())) {
                // A lifecycle report is marked processed only once applied: a crash in between applies it again.
                lifecycle.apply(e, interaction);
                idempotency.markProcessed(e.tenantId(), e.source(), eventKey(e), interaction.id());
            } else if (stored.toQueue && !deferred.test(interaction)) {
                enqueue(e, interaction, events::publish);
            }
            return interaction;
        }
    }

    /** What {@link #store} wrote: the interaction, its events to publish, whether it is to be queued. */
    private record Stored(Interaction interaction, List<InteractionEvent> recorded, boolean toQueue) {
    }

    /** A listener's checked exception, carried out of the store transaction (which it rolls back). */
    private static final class ListenerFailure extends RuntimeException {
        private final Exception cause;

        ListenerFailure(Exception cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }

    /**
     * Inside one store transaction: the duplicate check, the checks that can refuse the event, the customer, the
     * interaction row, its events, the {@link InboundEventListener}s (a listener that throws rolls it all back and
     * the event is delivered again) and the idempotency mark, so they commit together or not at all.
     *
     * @return null for a duplicate
     */
    private Stored store(InboundEvent e, String thread, boolean strict) {
        String eventKey = eventKey(e);
        if (idempotency.isProcessed(e.tenantId(), e.source(), eventKey)) {
            return null;
        }
        // Checks first: nothing is written before everything that can refuse the event has passed.
        Optional<Interaction> open = history.findOpenInteraction(e.tenantId(), e.channel(), thread);
        Interaction stale = null;
        if (open.isPresent() && open.get().state() == InteractionState.NEW && unqueued(open.get())
                && !ConnectorLifecycle.routedExternally(open.get())
                && refusal(open.get().queueId(), open.get().channel(), isVip(open.get().attributes())) != null) {
            // Left NEW by a refused request of an older version: it can never be queued, so it is closed below.
            stale = open.get();
            open = Optional.empty();
        }
        String queueId = open.isEmpty() ? queueFor(e, strict) : null;
        if (open.isPresent() && strict) {
            checkNamedQueue(e);
        }

        String customerId = resolveCustomer(e);
        String newId = derivedId("i", e);
        List<InteractionEvent> recorded = new ArrayList<>(3);
        if (stale != null && !stale.id().equals(newId)) {
            // close() writes its ENDED itself; it is published with the rest once the transaction commits.
            recorded.add(close(stale, e.occurredAt(), "its queue " + ScopedId.localOf(stale.queueId())
                    + " cannot take it"));
        }
        int appendFrom = recorded.size();
        Interaction interaction;
        boolean created = open.isEmpty();
        if (created) {
            Map<String, String> attributes = new java.util.HashMap<>(e.attributes());
            // Replies go back through the connector instance the conversation came in by.
            attributes.put(SOURCE_ATTRIBUTE, e.source());
            interaction = new Interaction(newId, e.tenantId(), e.channel(), customerId, e.from(),
                    e.to(), thread, queueId, 0, attributes, InteractionState.NEW, e.occurredAt(),
                    e.occurredAt(), "", "");
            history.saveInteraction(interaction);
            // Naming the inbound event lets its connector tie the interaction to its own call or thread.
            recorded.add(event(e, interaction, InteractionEventType.ARRIVED, "arrived",
                    Map.of("source", e.source(), "sourceEventId", e.eventId())));
        } else {
            interaction = withReplyData(open.get(), e);
            if (interaction != open.get()) {
                // Only the attributes: the ACD's recorder may be moving the row's state at the same time.
                history.updateInteractionAttributes(interaction.tenantId(), interaction.id(),
                        interaction.attributes(), interaction.updatedAt());
            }
        }
        if (e.type() != InteractionEventType.ARRIVED && !ConnectorLifecycle.handles(e.type())) {
            InteractionEvent happened = new InteractionEvent(derivedId("e", e), e.tenantId(), interaction.id(),
                    interaction.customerId(), e.channel(), e.type(), e.occurredAt(), "customer",
                    Map.of("source", e.source(), "sourceEventId", e.eventId()), e.content());
            recorded.add(happened);
        }
        history.appendAll(recorded.subList(appendFrom, recorded.size()));
        // A new interaction, or one a crash left unqueued, is queued unless its provider routes it.
        boolean toQueue = !ConnectorLifecycle.handles(e.type())
                && (created || interaction.state() == InteractionState.NEW) && unqueued(interaction)
                && !interaction.queueId().isEmpty() && !ConnectorLifecycle.routedExternally(interaction);
        tellListeners(e);
        if (!ConnectorLifecycle.handles(e.type())) {
            idempotency.markProcessed(e.tenantId(), e.source(), eventKey, interaction.id());
        }
        return new Stored(interaction, recorded, toQueue);
    }

    /**
     * Hands a stored interaction to the ACD. Its QUEUED is recorded by the ACD's recorder in its next batch; the
     * ingress does not wait for it (a crash before it is written leaves the interaction NEW in the store, and recovery
     * queues it at start; the REST API waits before it answers). Should the ACD refuse it after the checks (its queue changed in between), the interaction is closed
     * (ENDED, outcome {@code refused}) rather than left NEW, and the event is refused.
     */
    private void enqueue(InboundEvent e, Interaction interaction, Consumer<InteractionEvent> publish) {
        try {
            acd.enqueue(interaction);
        } catch (IllegalArgumentException | NoSuchElementException refused) {
            boolean named = e.attributes().containsKey(QUEUE_ATTRIBUTE);
            InboundEventRefusedException.Reason reason = refused instanceof IllegalArgumentException
                    ? InboundEventRefusedException.Reason.CHANNEL_NOT_TAKEN
                    : named ? InboundEventRefusedException.Reason.UNKNOWN_QUEUE
                    : InboundEventRefusedException.Reason.NO_DEFAULT_QUEUE;
            InboundEventRefusedException x = new InboundEventRefusedException(reason,
                    ScopedId.localOf(interaction.queueId()), e.channel(), named);
            x.initCause(refused);
            publish.accept(close(interaction, e.occurredAt(), x.getMessage()));
            throw x;
        }
    }

    /**
     * A repeat of an event whose first pass committed but did not reach the ACD (it failed, or the hub stopped in
     * between): the conversation's interaction is still NEW and unknown to the ACD, so it is queued now rather than
     * stranded.
     */
    private void requeueIfStranded(InboundEvent e, String thread) {
        if (acd == null || ConnectorLifecycle.handles(e.type())) {
            return;
        }
        history.findOpenInteraction(e.tenantId(), e.channel(), thread)
                .filter(i -> i.state() == InteractionState.NEW && unqueued(i) && !i.queueId().isEmpty()
                        && !ConnectorLifecycle.routedExternally(i))
                .filter(i -> !deferred.test(i))
                .ifPresent(i -> {
                    LOG.info("Interaction {} of tenant {} was stored but not queued; queued now", i.id(), i.tenantId());
                    enqueue(e, i, events::publish);
                });
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
            InteractionEvent[] status = new InteractionEvent[1];
            Interaction interaction = transactions.inTransaction(() -> {
                if (idempotency.isProcessed(e.tenantId(), e.source(), e.eventId())) {
                    return null;
                }
                Interaction i = history.findInteraction(e.tenantId(), interactionId)
                        .orElseThrow(() -> new MalformedInputException("a message status names an unknown interaction"));
                status[0] = new InteractionEvent(derivedId("e", e), e.tenantId(), i.id(), i.customerId(), i.channel(),
                        InteractionEventType.MESSAGE_STATUS, e.occurredAt(), "connector:" + e.source(),
                        e.attributes(), null);
                history.append(status[0]);
                idempotency.markProcessed(e.tenantId(), e.source(), e.eventId(), i.id());
                return i;
            });
            if (interaction != null) {
                events.publish(status[0]);
            }
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

    /** Whether the interaction is known to the ACD's waiting/working state (false without an ACD). */
    private boolean unqueued(Interaction i) {
        return acd != null && acd.interaction(i.id()).isEmpty();
    }

    /**
     * Ends an interaction that can never be queued, so it is not left NEW and no longer holds its conversation: the
     * ENDED event carries outcome {@code refused} and the reason. Returns the event; the caller publishes it once it
     * is durable (inside the ingress transaction, that is after its commit).
     */
    private InteractionEvent close(Interaction i, Instant at, String reason) {
        InteractionEvent ended = InteractionEvent.of(i.id() + "-refused", i.tenantId(), i.id(), i.customerId(),
                i.channel(), InteractionEventType.ENDED, at, "system",
                Map.of(AcdAttributes.OUTCOME, "refused", AcdAttributes.REASON, reason == null ? "refused" : reason));
        transactions.runInTransaction(() -> {
            history.saveInteraction(new Interaction(i.id(), i.tenantId(), i.channel(), i.customerId(), i.from(),
                    i.to(), i.threadKey(), i.queueId(), i.priority(), i.attributes(), InteractionState.ENDED,
                    i.createdAt(), at, i.agentId(), i.disposition()));
            history.append(ended);
        });
        LOG.warn("Interaction {} of tenant {} could not be queued in {} and was closed: {}", i.id(), i.tenantId(),
                i.queueId(), reason);
        return ended;
    }

    /**
     * The key the event is de-duplicated on (and its ids derived from) within its tenant and source: the provider's
     * event id for a connector, whose ids are unique per source; for the API, the caller's message id scoped by the
     * sender address and the conversation, because vendors number messages per conversation.
     */
    static String eventKey(InboundEvent e) {
        if (!InteractionIntake.API_SOURCE.equals(e.source())) {
            return e.eventId();
        }
        return e.from().uri() + '\n' + threadOf(e) + '\n' + e.eventId();
    }

    private static String threadOf(InboundEvent e) {
        return e.threadKey().isEmpty() ? e.from().uri() : e.threadKey();
    }

    /**
     * The scoped queue of a new interaction: the event's {@code musubi.queue} attribute if the tenant has that queue
     * and it takes the channel, else (or when the event names none) the tenant's default queue, created here when
     * missing and so configured. Strict: a named queue that cannot take the event refuses it.
     *
     * @throws InboundEventRefusedException when no queue can take the event
     */
    private String queueFor(InboundEvent e, boolean strict) {
        String fallback = ScopedId.of(e.tenantId(), defaultQueue);
        if (acd == null) {
            return fallback;
        }
        String wanted = e.attributes().get(QUEUE_ATTRIBUTE);
        if (wanted != null) {
            InboundEventRefusedException.Reason reason = ScopedId.isValidLocal(wanted)
                    ? refusal(ScopedId.of(e.tenantId(), wanted), e.channel(), isVip(e.attributes()))
                    : InboundEventRefusedException.Reason.UNKNOWN_QUEUE;
            if (reason == null) {
                return ScopedId.of(e.tenantId(), wanted);
            }
            if (strict) {
                throw new InboundEventRefusedException(reason, wanted, e.channel(), true);
            }
            warnOnce(e, wanted, reason);
        }
        if (createDefaultQueue && acd.queue(fallback).isEmpty()) {
            acd.defineQueue(QueueDefinition.builder(fallback).name("Default").channels(Channel.values()).build());
        }
        InboundEventRefusedException.Reason reason = refusal(fallback, e.channel(), isVip(e.attributes()));
        if (reason != null) {
            throw new InboundEventRefusedException(reason == InboundEventRefusedException.Reason.UNKNOWN_QUEUE
                    ? InboundEventRefusedException.Reason.NO_DEFAULT_QUEUE : reason, defaultQueue, e.channel(), false);
        }
        return fallback;
    }

    /** A synchronous caller's named queue must be usable even when its message joins an open interaction. */
    private void checkNamedQueue(InboundEvent e) {
        String wanted = e.attributes().get(QUEUE_ATTRIBUTE);
        if (acd == null || wanted == null) {
            return;
        }
        InboundEventRefusedException.Reason reason = ScopedId.isValidLocal(wanted)
                ? refusal(ScopedId.of(e.tenantId(), wanted), e.channel(), isVip(e.attributes()))
                : InboundEventRefusedException.Reason.UNKNOWN_QUEUE;
        if (reason != null) {
            throw new InboundEventRefusedException(reason, wanted, e.channel(), true);
        }
    }

    /**
     * Why the ACD would refuse to queue an interaction of this channel in this queue, or null if it would take it:
     * the same rule as the ACD's enqueue (a VIP interaction goes to the queue's VIP queue when that takes the
     * channel).
     */
    private InboundEventRefusedException.Reason refusal(String scopedQueueId, Channel channel, boolean vip) {
        Optional<QueueDefinition> queue = acd.queue(scopedQueueId);
        if (queue.isEmpty()) {
            return InboundEventRefusedException.Reason.UNKNOWN_QUEUE;
        }
        QueueDefinition q = queue.get();
        if (vip && !q.vipQueueId().isEmpty()) {
            Optional<QueueDefinition> vipQueue = acd.queue(q.vipQueueId());
            if (vipQueue.isPresent() && vipQueue.get().channels().contains(channel)) {
                return null;
            }
        }
        return q.channels().contains(channel) ? null : InboundEventRefusedException.Reason.CHANNEL_NOT_TAKEN;
    }

    private static boolean isVip(Map<String, String> attributes) {
        return "true".equalsIgnoreCase(attributes.get(AcdAttributes.VIP));
    }

    /** A connector's misconfigured queue: said once per tenant, queue and reason, not on every event. */
    private void warnOnce(InboundEvent e, String wanted, InboundEventRefusedException.Reason reason) {
        if (warned.size() >= MAX_WARNED) {
            warned.clear();
        }
        if (warned.add(e.tenantId() + '/' + wanted + '/' + reason)) {
            LOG.warn("Connector {} sends events of tenant {} to queue {}, which {}: they go to the default queue {} "
                    + "(said once per queue)", e.source(), e.tenantId(), wanted,
                    reason == InboundEventRefusedException.Reason.UNKNOWN_QUEUE ? "does not exist"
                            : "does not take channel " + e.channel(), defaultQueue);
        }
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

    /**
     * A stable id for what one inbound event creates, so a redelivery recreates the same ids: the kind, the event's
     * time as 12 hex digits of its epoch milliseconds, and a name-based UUID of tenant, source and event key. The time
     * first makes the ids of new interactions and events sort by arrival, so the store's indexes on them grow at their
     * end (one page written again per commit) instead of at a random page each (issue #11: H2 writes every changed
     * page in full on each commit).
     */
    static String derivedId(String kind, InboundEvent e) {
        String key = e.tenantId() + '/' + e.source() + '/' + eventKey(e);
        String time = Long.toHexString(Math.max(0, e.occurredAt().toEpochMilli()));
        return kind + "-" + "0".repeat(Math.max(0, 12 - time.length())) + time + "-"
                + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }


}
