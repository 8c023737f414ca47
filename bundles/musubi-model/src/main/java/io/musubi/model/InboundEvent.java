package io.musubi.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a connector hands to the hub: one normalised inbound happening (a message, a call arriving, a
 * follow, a status change), before identity resolution and routing. It travels over the durable ingress
 * queue; the hub acknowledges the provider only once it is there.
 *
 * @param eventId    the provider's event id (LINE webhookEventId, Twilio MessageSid, mail Message-ID,
 *                   AMI Uniqueid + event): the de-duplication key, unique per {@code source}
 * @param source     the connector instance id, e.g. {@code line.main}
 * @param tenantId   tenant
 * @param channel    channel
 * @param type       what happened, in interaction-event terms (ARRIVED, MESSAGE_IN, ENDED, ...)
 * @param from       the customer's address
 * @param to         our address (the LINE channel, the DNIS, the mailbox); may be null
 * @param threadKey  the provider's conversation key; may be empty; a name by {@link InputRules} (one line, no
 *                   control characters), at most {@value InputRules#STORED_THREAD_KEY_MAX} characters
 * @param content    message content, or null
 * @param attributes channel data (IVR variables, subject, ...)
 * @param occurredAt when the provider says it happened
 */
public record InboundEvent(String eventId, String source, String tenantId, Channel channel, InteractionEventType type,
                           Address from, Address to, String threadKey, MessageContent content,
                           Map<String, String> attributes, Instant occurredAt) {

    public InboundEvent {
        requireText(eventId, "eventId");
        requireText(source, "source");
        requireText(tenantId, "tenantId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(from, "from");
        threadKey = InputRules.optionalName("threadKey", threadKey, InputRules.STORED_THREAD_KEY_MAX);
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    /** The de-duplication key: the event id scoped by its source. */
    public String dedupeKey() {
        return source + '/' + eventId;
    }

    @Override
    public String toString() {
        return "InboundEvent[eventId=" + eventId + ", source=" + source + ", channel=" + channel + ", type=" + type
                + ", from=" + from.masked() + "]";
    }
}
