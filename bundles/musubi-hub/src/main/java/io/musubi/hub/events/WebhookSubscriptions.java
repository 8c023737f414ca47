package io.musubi.hub.events;

import io.musubi.store.WebhookDeliveryPage;
import io.musubi.store.WebhookSubscription;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's outbound webhooks (docs/events.md): the hub POSTs the events a subscription asks for to its URL, signed
 * with its secret, retried with back-off; this service manages the subscriptions and reads their delivery log. A
 * change applies to the delivery at once.
 *
 * <p>Everything is scoped by tenant: another tenant's webhook is not found.
 */
public interface WebhookSubscriptions {

    /**
     * Subscribes a URL to event types. The URL is checked as a receiver (https, or http to the loopback host when
     * allowed; no credentials in it; a host that resolves to public addresses only, or to an allowed internal
     * target: docs/security.md).
     *
     * @param eventTypes  {@link EventTypes#ALL} values, or {@code "*"} for every type
     * @param description optional, for people
     * @return the new subscription, with its signing secret (shown to the caller once)
     * @throws IllegalArgumentException naming the field ({@code url}, {@code events}, {@code description}) and the
     *                                  rule it breaks; nothing is stored
     * @throws IllegalStateException    when the tenant has the most webhooks allowed
     */
    WebhookSubscription create(String tenantId, String url, List<String> eventTypes, String description);

    /** The tenant's subscriptions. */
    List<WebhookSubscription> list(String tenantId);

    /** One subscription of the tenant. */
    Optional<WebhookSubscription> find(String tenantId, String id);

    /** Removes a subscription and its delivery log; false if the tenant has none with this id. */
    boolean delete(String tenantId, String id);

    /**
     * A page of a subscription's delivery log, newest first.
     *
     * @throws IllegalArgumentException when {@code cursor} is not a cursor of this log
     */
    WebhookDeliveryPage deliveries(String tenantId, String subscriptionId, String cursor, int limit);
}
