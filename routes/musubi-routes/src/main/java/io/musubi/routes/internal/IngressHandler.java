package io.musubi.routes.internal;

import io.musubi.model.InboundEvent;

/** What the ingress route does with a decoded event. */
@FunctionalInterface
interface IngressHandler {

    /**
     * Handles one event durably, including telling the {@code InboundEventListener}s, and records it as processed
     * last: an event whose handling failed anywhere is handled again in full when redelivered.
     *
     * @return false if the event was a duplicate and nothing was done
     * @throws Exception if it could not be handled; the route redelivers it
     */
    boolean handle(InboundEvent event) throws Exception;
}
