package io.musubi.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The outbound webhooks' durable state: each tenant's subscriptions and the delivery log the dispatcher works
 * through. Writing a delivery row is the durability point of a webhook event; claiming, recording outcomes and
 * paging the log are short transactions, so no connection is held while a receiver is called.
 *
 * <p>Every operation but the dispatcher's ({@link #activeSubscriptions()}, {@link #claimDue}, the outcome methods,
 * {@link #purgeFinishedBefore}) is scoped to a tenant: another tenant's id is simply not found.
 */
public interface WebhookRepository {

    /** Largest page of the delivery log. */
    int MAX_PAGE = 500;

    /**
     * Creates an active subscription.
     *
     * @param eventTypes API event types, or {@link WebhookSubscription#ALL_TYPES}; not empty
     */
    WebhookSubscription createSubscription(String tenantId, String url, Set<String> eventTypes, String description,
                                           String secret);

    Optional<WebhookSubscription> findSubscription(String tenantId, String id);

    /** A tenant's subscriptions, oldest first. */
    List<WebhookSubscription> subscriptions(String tenantId);

    /** The active subscriptions of every tenant (the dispatcher keeps them in memory to match events). */
    List<WebhookSubscription> activeSubscriptions();

    /**
     * Deletes a subscription and its delivery log; its pending deliveries are not attempted any more.
     *
     * @return whether it existed
     */
    boolean deleteSubscription(String tenantId, String id);

    /**
     * Writes one pending delivery of the event per subscription, due at once, in one transaction. Returns once
     * the rows are durable. A subscription that already has a row for this event is skipped (no duplicate
     * delivery if an event is offered twice).
     *
     * @return the rows written
     */
    List<WebhookDelivery> addDeliveries(String tenantId, List<String> subscriptionIds, long eventId, String eventType,
                                        String payload);

    Optional<WebhookDelivery> findDelivery(String tenantId, String id);

    /**
     * Claims up to {@code limit} pending deliveries due at {@code now}, oldest due first: each claimed row's next
     * attempt time moves to {@code claimUntil}, so no other worker (of this or another hub on the same database)
     * takes it, and a worker that dies leaves it due again at {@code claimUntil}.
     */
    List<WebhookDelivery> claimDue(Instant now, int limit, Instant claimUntil);

    /** Records a 2xx answer: the delivery is finished. */
    void recordDelivered(String tenantId, String id, int attempts, int httpStatus, Instant at);

    /** Records a failed attempt after which another follows at {@code nextAttemptAt}. */
    void recordRetry(String tenantId, String id, int attempts, int httpStatus, String error, Instant nextAttemptAt);

    /** Records the last failed attempt: the delivery is finished, as failed. */
    void recordFailed(String tenantId, String id, int attempts, int httpStatus, String error, Instant at);

    /** Gives a claimed delivery back, due at {@code at}, without counting an attempt (the hub is stopping). */
    void release(String tenantId, String id, Instant at);

    /**
     * A subscription's delivery log, newest first.
     *
     * @param cursor the previous page's {@link WebhookDeliveryPage#nextCursor()}, or null for the newest page
     * @param limit  1 to {@value #MAX_PAGE}
     * @throws IllegalArgumentException for a cursor this repository did not issue or a limit out of range
     */
    WebhookDeliveryPage deliveries(String tenantId, String subscriptionId, String cursor, int limit);

    /**
     * Retention: deletes delivered and failed deliveries that finished before the cutoff, for every tenant.
     *
     * @return how many were deleted
     */
    long purgeFinishedBefore(Instant cutoff);
}
