package io.musubi.api;

import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;

/**
 * The ingress pipeline as a synchronous call, for inbound contacts that do not travel through a connector and
 * the broker (an interaction created over the REST API by a vendor's own chat or a bot hand-off). It does
 * exactly what the ingress route does with an event from the queue: de-duplicates on
 * {@link InboundEvent#dedupeKey()} (for {@link #API_SOURCE} events also scoped by the sender address and the thread,
 * since a caller's message ids are unique only within a conversation), checks the queue before writing anything,
 * resolves the customer, joins the thread's open interaction or opens one,
 * records the events and queues a new interaction in the ACD.
 */
public interface InteractionIntake {

    /**
     * The source of events submitted over the REST API. Interactions from it have no connector: replies are
     * recorded and published as events for the vendor's system.
     */
    String API_SOURCE = "api";

    /**
     * Processes one inbound event; a repeat of an event already processed changes nothing.
     *
     * @return the interaction the event joined or opened, as recorded
     * @throws InboundEventRefusedException when no queue can take the event (an unknown queue, a queue that does not
     *         take the channel, no default queue); nothing was stored
     * @throws IllegalArgumentException when the event cannot be taken for another reason
     * @throws IntakeBusyException       when more submissions are in progress than the hub commits and this one could
     *                                   not start in time; nothing was stored
     */
    Interaction submit(InboundEvent event);

    /**
     * Appends an event the hub itself produced on an interaction (a note, a disposition) to the history and tells
     * the {@link HubEventListener}s.
     */
    void record(InteractionEvent event);
}
