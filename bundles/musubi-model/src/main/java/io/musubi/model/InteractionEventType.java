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
    DISPOSITION,
    /**
     * A delivery status of an outbound message (queued, sent, delivered, read, undelivered, failed), recorded on the
     * message's interaction in the order reported; attributes {@code messageId}, {@code status} and, for failures,
     * {@code reason}. Not routed.
     */
    MESSAGE_STATUS
}
