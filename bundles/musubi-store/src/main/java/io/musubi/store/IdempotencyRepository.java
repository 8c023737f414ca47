package io.musubi.store;

import java.time.Duration;
import java.util.Optional;

/**
 * The persisted set of provider events already processed, for inbound de-duplication (LINE
 * {@code webhookEventId}, Twilio {@code MessageSid}, IMAP Message-ID, AMI unique ids, ...). Survives restarts.
 * Keys: tenant, source (e.g. the connector instance {@code line~main}) and the provider's event id.
 */
public interface IdempotencyRepository {

    /**
     * Records the event as processed.
     *
     * @return true if it was not recorded before (process it); false for a duplicate (skip it)
     */
    default boolean markProcessed(String tenantId, String source, String eventId) {
        return markProcessed(tenantId, source, eventId, null);
    }

    /**
     * Records the event as processed, with the interaction it opened or joined, so that a repeat of it can be answered
     * with that interaction ({@link #processedInteraction}).
     *
     * @param interactionId the interaction's id, or null when the event has none
     * @return true if it was not recorded before (process it); false for a duplicate (skip it)
     */
    boolean markProcessed(String tenantId, String source, String eventId, String interactionId);

    boolean isProcessed(String tenantId, String source, String eventId);

    /**
     * The interaction a processed event opened or joined, as {@link #markProcessed(String, String, String, String)}
     * recorded it.
     *
     * @return empty when the event was not processed, or was marked without an interaction (or by a version before
     *         marks carried one)
     */
    Optional<String> processedInteraction(String tenantId, String source, String eventId);

    /**
     * Forgets an event, so a redelivery is processed again (for a pipeline that marks eagerly and then fails).
     *
     * @return true if it was recorded
     */
    boolean unmark(String tenantId, String source, String eventId);

    /**
     * Retention: forgets the tenant's events recorded more than {@code maxAge} ago by the store's clock (the clock
     * that stamped them). Providers redeliver for hours or days, not months; see docs/history.md.
     *
     * @param maxAge zero or positive
     * @return how many were forgotten
     */
    long purgeOlderThan(String tenantId, Duration maxAge);
}
