package io.musubi.api;

/**
 * How many inbound events wait in the hub's ingress queue, not yet handled (those being delivered included). The hub
 * compares it with a bound before it takes more events from connectors (back-pressure on the webhook side: issue #11).
 * Registered by the broker bundle when it runs the broker embedded.
 */
@FunctionalInterface
public interface IngressBacklog {

    /** @return the messages in the ingress queue, or -1 when this hub cannot tell (no embedded broker running) */
    long ingressBacklog();

    /**
     * Whether the broker's storage is beyond its limit ({@code max-disk-usage}), so that it blocks every producer
     * until space is freed: the hub then refuses events at once rather than letting connectors hang in the send.
     */
    default boolean storageFull() {
        return false;
    }
}
