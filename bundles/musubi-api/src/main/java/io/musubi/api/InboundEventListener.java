package io.musubi.api;

import io.musubi.model.InboundEvent;

/**
 * Receives every inbound event the ingress pipeline accepted: durable, validated and de-duplicated.
 * Registered as an OSGi service (whiteboard). The identity service, the history store and the ACD are
 * listeners; so are tests. A listener that throws makes the pipeline redeliver the event, so listeners
 * must be idempotent on {@link InboundEvent#dedupeKey()}.
 */
@FunctionalInterface
public interface InboundEventListener {

    void onInbound(InboundEvent event) throws Exception;
}
