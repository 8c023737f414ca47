package io.musubi.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A message the hub sends to a customer (an agent's reply, a bot's answer, a notification), addressed to the
 * connector instance that serves the conversation. It travels over that connector's durable egress queue, so it
 * waits while the connector is stopped, updated or not installed.
 *
 * @param id            message id, unique per tenant; the connector's de-duplication key
 * @param tenantId      tenant
 * @param interactionId the interaction it belongs to
 * @param connectorId   the connector instance that delivers it, e.g. {@code line.main}
 * @param channel       channel
 * @param to            the customer's address
 * @param content       what to send
 * @param attributes    channel hints (reply token, subject, In-Reply-To, ...)
 * @param createdAt     when the hub accepted it
 */
public record OutboundMessage(String id, String tenantId, String interactionId, String connectorId, Channel channel,
                              Address to, MessageContent content, Map<String, String> attributes, Instant createdAt) {

    public OutboundMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(interactionId, "interactionId");
        Objects.requireNonNull(connectorId, "connectorId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(content, "content");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "OutboundMessage[id=" + id + ", interactionId=" + interactionId + ", connectorId=" + connectorId
                + ", channel=" + channel + ", to=" + to.masked() + "]";
    }
}
