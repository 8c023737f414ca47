package io.musubi.model;

/** Where an interaction is in its life. */
public enum InteractionState {
    /** Arrived, not yet queued (e.g. still in an IVR or bot). */
    NEW,
    QUEUED,
    OFFERED,
    /** Accepted by an agent and in progress. */
    CONNECTED,
    HELD,
    WRAP_UP,
    ENDED,
    /** The customer left while the interaction waited in a queue. */
    ABANDONED;

    public boolean isTerminal() {
        return this == ENDED || this == ABANDONED;
    }
}
