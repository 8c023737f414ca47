package io.musubi.spi;

import io.musubi.model.Address;

import java.util.function.Consumer;

/**
 * A live side channel to a customer's open client — a web chat widget, a video page — for {@link LiveSignal}s that
 * are relayed and never recorded: typing indicators and WebRTC signalling (session descriptions, ICE candidates,
 * hang-up). A connector whose customers keep such a client open registers one instance as an OSGi service with
 * {@link Connector#ID_PROPERTY}; the hub relays between it and the agent handling an interaction that came in by that
 * connector ({@code POST/GET /api/v1/interactions/{id}/signals}), after checking that the caller handles the
 * interaction. Signals of one customer to one subscriber arrive in the order they were sent.
 *
 * <p>Implementations keep no signal for later: a signal for a customer whose client is not connected is dropped
 * ({@link #send} answers false). They must not block: both methods return at once.
 */
public interface LiveChannel {

    /**
     * Sends a signal to the customer's open clients.
     *
     * @param customer the interaction's customer address (its {@code from}, e.g. {@code webchat:v-3f…})
     * @return whether at least one client of the customer is connected and got it
     */
    boolean send(String tenantId, Address customer, LiveSignal signal);

    /**
     * Follows what the customer's clients send, until the returned handle is closed. The connector may start with
     * signals of its own for the new subscriber (e.g. {@code rtc.config} with the ICE servers to use).
     *
     * @param listener called on the connector's threads, quickly (it must not block)
     * @return the subscription; closing it twice is harmless
     */
    Subscription subscribe(String tenantId, Address customer, Consumer<LiveSignal> listener);

    /** An open subscription. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
