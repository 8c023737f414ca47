package io.musubi.spi;

import io.musubi.model.InboundEvent;
import io.musubi.model.OutboundMessage;

import java.util.List;

/**
 * A connector's two-way mapping between its provider's wire format and the hub's model: an external message becomes
 * inbound events, an outbound model message becomes the provider's request. Pure: no I/O, no clock but the input's,
 * no randomness (ids derive from the input), so that it is unit-tested on fixtures captured from the provider's
 * documentation and a redelivery maps to the same events.
 *
 * @param <I> the provider's inbound message (a parsed webhook body, a MIME message, an AMI event)
 * @param <O> the provider's outbound request (a JSON body, a MIME message, an AMI action)
 */
public interface MessageMapper<I, O> {

    /**
     * The events an external message means; empty when it means nothing for the hub (a verification request, an
     * event type the connector ignores).
     *
     * @throws MalformedInputException when the message cannot be understood
     */
    List<InboundEvent> toEvents(I external);

    /**
     * The provider's request for an outbound message.
     *
     * @throws PermanentDeliveryException when the message cannot be expressed for this provider (e.g. an attachment
     *                                    type the channel cannot carry)
     */
    O toExternal(OutboundMessage message);
}
