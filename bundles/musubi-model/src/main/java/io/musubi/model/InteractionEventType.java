package io.musubi.model;

/** Everything that can happen to an interaction; the history is a sequence of these. */
public enum InteractionEventType {
    ARRIVED,
    MESSAGE_IN,
    MESSAGE_OUT,
    QUEUED,
    OFFERED,
    ACCEPTED,
    REJECTED,
    OFFER_TIMEOUT,
    TRANSFERRED,
    HELD,
    RESUMED,
    CONFERENCED,
    RECORDING_STARTED,
    RECORDING_STOPPED,
    WRAP_UP,
    ENDED,
    ABANDONED,
    CALLBACK_SCHEDULED,
    NOTE,
    DISPOSITION
}
