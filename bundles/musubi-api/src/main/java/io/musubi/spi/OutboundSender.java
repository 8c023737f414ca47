package io.musubi.spi;

import io.musubi.model.OutboundMessage;

/**
 * Delivers one outbound message to the provider; the connector's egress route (built by
 * {@code io.musubi.camel.ConnectorRoutes#egress}) calls it for each message of the connector's durable egress queue,
 * inside the broker transaction that removes the message from the queue.
 *
 * <p>After a crash the same message can be delivered again: pass {@link OutboundMessage#id()} to the provider as its
 * idempotency key where the provider has one (LINE {@code X-Line-Retry-Key}), or check your own record of it.
 */
@FunctionalInterface
public interface OutboundSender {

    /**
     * Delivers the message.
     *
     * @return what the provider said (SENT, or QUEUED/DELIVERED where the provider knows at once), recorded on the
     *         message as a {@code MESSAGE_STATUS} event
     * @throws RetryableDeliveryException when the provider or the network failed for now (timeout, 429, 5xx): the
     *                                    message stays queued and is redelivered with back-off
     * @throws PermanentDeliveryException when the message can never be delivered (invalid recipient, rejected
     *                                    content, 4xx): recorded as FAILED with the reason, not retried
     */
    DeliveryReceipt deliver(OutboundMessage message);
}
