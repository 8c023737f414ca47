package io.musubi.store;

import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The history store (DESIGN §7.2): append-only interaction events plus the current state of interactions,
 * the journey query, export and erasure per customer, and retention. Every call is tenant-scoped; a call
 * returns only after its writes are committed (durable per the store's configuration, see docs/history.md).
 */
public interface HistoryStore {

    /**
     * Appends one event. Idempotent on {@code (tenantId, id)}: appending an event whose id is already stored
     * changes nothing and returns false.
     *
     * @return true if the event was stored by this call
     */
    boolean append(InteractionEvent event);

    /**
     * Appends events in one transaction, skipping those whose id is already stored (in the store or earlier
     * in the list).
     *
     * @return how many events were stored by this call
     */
    int appendAll(List<InteractionEvent> events);

    /**
     * Creates or replaces the current state of an interaction. When it is QUEUED in a queue other than the one it
     * was last queued in, the store also notes its {@code updatedAt} as the time it was queued there
     * ({@link AcdStateRepository.OpenInteraction#queuedAt()}).
     */
    void saveInteraction(Interaction interaction);

    /** {@link #saveInteraction} of several interactions in one transaction, with batched statements. */
    void saveInteractions(List<Interaction> interactions);

    /**
     * Applies ACD decisions to their interactions' rows in the order given, in one transaction with one batched
     * statement: only the state, queue, agent, disposition and {@code updatedAt} change (see {@link InteractionMove}),
     * and the time queued as {@link #saveInteraction} notes it. Moves of interactions the store does not hold are
     * skipped.
     */
    void moveInteractions(List<InteractionMove> moves);

    /**
     * Replaces one interaction's attributes and its {@code updatedAt}, and nothing else of its row (the ACD's
     * columns may be moving at the same time).
     *
     * @return false if the store holds no such interaction
     */
    boolean updateInteractionAttributes(String tenantId, String interactionId, Map<String, String> attributes,
                                        Instant updatedAt);

    Optional<Interaction> findInteraction(String tenantId, String interactionId);

    /**
     * The newest interaction of a conversation thread that has not ended (state neither ENDED nor ABANDONED):
     * where the next inbound message on that thread belongs.
     */
    Optional<Interaction> findOpenInteraction(String tenantId, Channel channel, String threadKey);

    /** One interaction's events in time order. */
    List<InteractionEvent> interactionEvents(String tenantId, String interactionId);

    /** One page of a customer's journey. */
    JourneyPage journey(JourneyQuery query);

    /**
     * Event counts per channel for a customer (and those merged into it). Kept after erasure.
     */
    Map<Channel, Long> eventCounts(String tenantId, String customerId);

    /**
     * Writes everything stored about one customer (and the customers merged into it) as one JSON document
     * (format {@code musubi.customer-export/1}, see docs/history.md). The stream is not closed.
     *
     * @throws UnknownCustomerException if the customer does not exist
     */
    void exportCustomer(String tenantId, String customerId, OutputStream out) throws IOException;

    /**
     * Right to erasure: removes the customer's name, addresses, tags and CRM references, the content, attachment
     * references and attributes of their events, and the addresses, thread keys and attributes of their
     * interactions. Event rows stay, anonymised, so counts and statistics are kept. Applies to the customer and
     * every customer merged into it. Idempotent.
     *
     * @throws UnknownCustomerException if the customer does not exist
     */
    ErasureReport eraseCustomer(String tenantId, String customerId, String actor);

    /**
     * Retention: deletes the tenant's events older than {@code cutoff}, and its ended or abandoned interactions
     * last updated before it.
     *
     * @return the number of events deleted
     */
    long purgeBefore(String tenantId, Instant cutoff);
}
