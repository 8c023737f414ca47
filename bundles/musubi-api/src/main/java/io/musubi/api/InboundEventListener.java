package io.musubi.api;

import io.musubi.model.InboundEvent;

/**
 * Receives every inbound event the ingress pipeline accepts: validated and de-duplicated. Registered as an OSGi
 * service (whiteboard); the hub's account linker is one, so are tests.
 *
 * <p>A listener is called inside the event's store transaction, after the interaction and its events are written
 * and before the commit: what it writes through the store commits with the event, and a listener that throws rolls
 * the event back and makes the pipeline deliver it again, so listeners must be idempotent on
 * {@link InboundEvent#dedupeKey()}. Other connections read the event's interaction, customer and history only once
 * that transaction commits, a moment after the call: a listener used as a signal (a test waiting for an arrival)
 * must poll for what it then reads.
 */
@FunctionalInterface
public interface InboundEventListener {

    void onInbound(InboundEvent event) throws Exception;
}
