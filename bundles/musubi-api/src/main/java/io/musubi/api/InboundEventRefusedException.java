package io.musubi.api;

import io.musubi.model.Channel;

import java.util.Objects;

/**
 * The hub refuses an inbound event because no queue can take it (DESIGN §11: "a request that is refused stores
 * nothing"). It is thrown before anything is written: no customer, no interaction, no event. It never succeeds on
 * a retry of the same event, so the broker ingress dead-letters it at once; the REST API answers 400.
 */
public final class InboundEventRefusedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Why the event was refused. */
    public enum Reason {
        /** The event names a queue the tenant does not have. */
        UNKNOWN_QUEUE,
        /** The queue exists but does not take the event's channel. */
        CHANNEL_NOT_TAKEN,
        /** The event names no queue and the tenant has no default queue. */
        NO_DEFAULT_QUEUE
    }

    private final Reason reason;
    private final String queueId;
    private final Channel channel;
    private final boolean named;

    /**
     * @param reason  why
     * @param queueId the tenant-local id of the queue concerned (the one named, or the default queue)
     * @param channel the event's channel
     * @param named   whether the event named the queue (false: the tenant's default queue was concerned)
     */
    public InboundEventRefusedException(Reason reason, String queueId, Channel channel, boolean named) {
        super(message(reason, queueId, channel, named));
        this.reason = Objects.requireNonNull(reason, "reason");
        this.queueId = Objects.requireNonNull(queueId, "queueId");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.named = named;
    }

    private static String message(Reason reason, String queueId, Channel channel, boolean named) {
        String which = named ? "queue '" + queueId + "'" : "the default queue '" + queueId + "'";
        return switch (reason) {
            case UNKNOWN_QUEUE -> "there is no queue '" + queueId + "'";
            case CHANNEL_NOT_TAKEN -> which + " does not take channel " + channel;
            case NO_DEFAULT_QUEUE -> "no queue was named and the default queue '" + queueId + "' does not exist";
        };
    }

    public Reason reason() {
        return reason;
    }

    /** The tenant-local id of the queue concerned. */
    public String queueId() {
        return queueId;
    }

    public Channel channel() {
        return channel;
    }

    /** True when the event named the queue, false when the tenant's default queue was concerned. */
    public boolean queueNamed() {
        return named;
    }
}
