package io.musubi.spi;

import io.musubi.model.InboundEvent;

import java.util.List;

/**
 * The one way a connector hands inbound events to the hub, provided by the hub as an OSGi service.
 *
 * <p>{@link #submit(List)} returns once every event is durable in the hub's ingress queue (the broker accepted
 * it): only then may the connector acknowledge the provider (answer a webhook, mark a mail seen, move a file).
 * Events of one conversation (tenant, channel and thread key, or the sender's address when there is no thread
 * key) are processed in the order they were submitted, one at a time; different conversations are processed in
 * parallel. The hub de-duplicates on {@link InboundEvent#dedupeKey()}, so submitting an event again (a provider's
 * redelivery, a retry after a crash) is harmless.
 *
 * <p>Rules for the events: {@link InboundEvent#source()} is the connector instance id ({@link Connector#id()});
 * {@link InboundEvent#eventId()} is the provider's own id of the happening (LINE {@code webhookEventId}, Twilio
 * {@code MessageSid}, a mail's UIDVALIDITY/UID, an AMI Uniqueid plus event), never a random one, so that a
 * redelivery carries the same id. See {@link ConnectorAttributes} for the attributes the hub reads.
 */
public interface IngressGateway {

    /**
     * Hands events to the hub, durably, in order.
     *
     * @throws IngressUnavailableException when the hub cannot take them now (broker unreachable, overloaded); nothing
     *                                     was acknowledged for the events not yet taken: do not acknowledge the
     *                                     provider, let it (or your own retry) deliver again
     */
    void submit(List<InboundEvent> events);

    /** Hands one event to the hub; see {@link #submit(List)}. */
    default void submit(InboundEvent event) {
        submit(List.of(event));
    }
}
