package io.musubi.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing that happened to an interaction. Events are append-only; together they are the history
 * (the customer journey) and the feed for REST, SSE, webhooks and Kafka.
 *
 * @param id            unique event id
 * @param tenantId      tenant
 * @param interactionId the interaction it belongs to
 * @param customerId    the customer, once resolved; empty string before identity resolution
 * @param channel       the interaction's channel
 * @param type          what happened
 * @param timestamp     when it happened
 * @param actor         who caused it: {@code agent:<id>}, {@code customer}, {@code system}, {@code connector:<id>}
 * @param attributes    small typed-by-convention values (queue id, agent id, reason, disposition code, ...)
 * @param content       message content for MESSAGE_IN / MESSAGE_OUT / NOTE, else null
 */
public record InteractionEvent(String id, String tenantId, String interactionId, String customerId,
                               Channel channel, InteractionEventType type, Instant timestamp, String actor,
                               Map<String, String> attributes, MessageContent content) {

    public InteractionEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(interactionId, "interactionId");
        customerId = customerId == null ? "" : customerId;
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(actor, "actor");
        attributes = Map.copyOf(attributes);
    }

    public static InteractionEvent of(String id, String tenantId, String interactionId, String customerId,
                                      Channel channel, InteractionEventType type, Instant timestamp,
                                      String actor, Map<String, String> attributes) {
        return new InteractionEvent(id, tenantId, interactionId, customerId, channel, type, timestamp, actor,
                attributes, null);
    }

    public Optional<MessageContent> contentIfAny() {
        return Optional.ofNullable(content);
    }

    public InteractionEvent withCustomerId(String newCustomerId) {
        return new InteractionEvent(id, tenantId, interactionId, newCustomerId, channel, type, timestamp, actor,
                attributes, content);
    }
}
