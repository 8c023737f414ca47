package io.musubi.api;

import io.musubi.model.InboundEvent;

/**
 * The hub's handling of one event from the durable ingress queue: the ingress route (a thin Camel adapter) decodes each
 * message and hands it here inside the broker transaction, which commits only when this returns.
 */
@FunctionalInterface
public interface IngressHandler {

    /**
     * Handles one event durably, including telling the {@code InboundEventListener}s, and records it as processed
     * last: an event whose handling failed anywhere is handled again in full when redelivered.
     *
     * @return false if the event was a duplicate and nothing was done
     * @throws Exception if it could not be handled; the route redelivers it
     */
    boolean handle(InboundEvent event) throws Exception;
}
