package io.musubi.history;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One event to be delivered to one webhook subscription, and how its delivery went. The payload is the event as
 * JSON (it may carry message text): {@link #toString()} leaves it out.
 *
 * @param id             delivery id, sent to the receiver as {@code Musubi-Webhook-Id} (the receiver's dedupe key)
 * @param tenantId       tenant
 * @param subscriptionId the subscription
 * @param eventId        the hub's event id
 * @param eventType      API event type ({@code offered}, {@code presence}, ...)
 * @param payload        the request body
 * @param status         pending, delivered or failed
 * @param attempts       attempts made so far
 * @param nextAttemptAt  pending: when it is due (or, while a worker holds it, when its claim ends); finished: when
 *                       it finished
 * @param lastStatus     HTTP status of the last attempt; 0 when there was none or no response
 * @param lastError      category of the last failure ({@code http-500}, {@code refused-target}, {@code timeout}:
 *                       docs/events.md); empty if none. Never the response body nor an exception text.
 * @param createdAt      when the row was written (the event's durability point)
 * @param deliveredAt    when the receiver accepted it, or null
 */
public record WebhookDelivery(String id, String tenantId, String subscriptionId, long eventId, String eventType,
                              String payload, WebhookDeliveryStatus status, int attempts, Instant nextAttemptAt,
                              int lastStatus, String lastError, Instant createdAt, Instant deliveredAt) {

    public WebhookDelivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        lastError = lastError == null ? "" : lastError;
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public Optional<Instant> deliveredAtIfAny() {
        return Optional.ofNullable(deliveredAt);
    }

    @Override
    public String toString() {
        return "WebhookDelivery[id=" + id + ", tenant=" + tenantId + ", subscription=" + subscriptionId + ", event="
                + eventId + " " + eventType + ", status=" + status + ", attempts=" + attempts + ", lastStatus="
                + lastStatus + "]";
    }
}
