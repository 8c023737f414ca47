package io.musubi.store;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A tenant's outbound webhook: where matching events are POSTed and the key they are signed with.
 * {@link #toString()} shows neither the secret nor the URL's path and query (they may carry tokens).
 *
 * @param id          subscription id
 * @param tenantId    tenant
 * @param url         the receiver's URL
 * @param eventTypes  API event types delivered ({@code offered}, {@code message_in}, {@code presence}, ...), or
 *                    {@value #ALL_TYPES} for every type; never empty
 * @param description free text for people; empty if none
 * @param secret      the HMAC-SHA256 signing key
 * @param active      whether new events are delivered to it
 * @param createdAt   when it was created
 */
public record WebhookSubscription(String id, String tenantId, String url, Set<String> eventTypes, String description,
                                  String secret, boolean active, Instant createdAt) {

    /** The event type that subscribes to every type. */
    public static final String ALL_TYPES = "*";

    public WebhookSubscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(url, "url");
        eventTypes = Set.copyOf(eventTypes);
        if (eventTypes.isEmpty()) {
            throw new IllegalArgumentException("a webhook subscription needs at least one event type");
        }
        description = description == null ? "" : description;
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether events of this API type go to this subscription. */
    public boolean wants(String eventType) {
        return eventTypes.contains(eventType) || eventTypes.contains(ALL_TYPES);
    }

    /** Scheme, host and port of {@code url}: what logs may show. */
    public static String maskedUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "<invalid url>";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/…";
        } catch (IllegalArgumentException e) {
            return "<invalid url>";
        }
    }

    @Override
    public String toString() {
        return "WebhookSubscription[id=" + id + ", tenant=" + tenantId + ", url=" + maskedUrl(url) + ", events="
                + eventTypes + ", active=" + active + "]";
    }
}
