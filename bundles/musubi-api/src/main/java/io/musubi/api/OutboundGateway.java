package io.musubi.api;

import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;

import java.util.Map;

/**
 * Sends messages to customers. A message is accepted once it is durable in the egress queue of the connector that
 * serves the interaction (and recorded as MESSAGE_OUT in the history); the connector delivers it when it is there.
 */
public interface OutboundGateway {

    /**
     * Replies on an interaction through the connector it came in by.
     *
     * @param messageId  the caller's id for the message (an {@code Idempotency-Key}); sending the same id twice
     *                   sends once
     * @return the accepted message
     * @throws java.util.NoSuchElementException if the interaction does not exist in that tenant
     * @throws IllegalStateException if the interaction has no connector to answer through
     */
    OutboundMessage reply(String tenantId, String interactionId, String messageId, MessageContent content,
                          Map<String, String> attributes, String actor);
}
