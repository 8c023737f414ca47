package io.musubi.connector.twilio.internal;

import io.musubi.spi.DeliveryStatus;

import java.util.Locale;
import java.util.Optional;

/**
 * The statuses of an outbound Twilio message (Message resource {@code status}, status callbacks' {@code MessageStatus})
 * and how they map onto the hub's {@link DeliveryStatus}. The rank orders them for the "no regression" rule: a status
 * callback whose rank is below the highest already recorded for the message is dropped (Twilio's callbacks can arrive
 * out of order; its documentation says to treat the status as monotonic). Final statuses share the top rank, so a
 * late {@code delivered} after {@code undelivered} (a carrier's second report) is still recorded.
 */
enum TwilioStatus {
    ACCEPTED(DeliveryStatus.QUEUED, 1),
    SCHEDULED(DeliveryStatus.QUEUED, 1),
    QUEUED(DeliveryStatus.QUEUED, 1),
    SENDING(DeliveryStatus.SENT, 2),
    SENT(DeliveryStatus.SENT, 2),
    DELIVERED(DeliveryStatus.DELIVERED, 3),
    UNDELIVERED(DeliveryStatus.UNDELIVERED, 3),
    FAILED(DeliveryStatus.FAILED, 3),
    CANCELED(DeliveryStatus.FAILED, 3),
    READ(DeliveryStatus.READ, 4);

    private final DeliveryStatus delivery;
    private final int rank;

    TwilioStatus(DeliveryStatus delivery, int rank) {
        this.delivery = delivery;
        this.rank = rank;
    }

    DeliveryStatus delivery() {
        return delivery;
    }

    int rank() {
        return rank;
    }

    /** Twilio's lower-case name. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a Twilio name; empty for one of inbound messages ({@code received}) or an unknown one. */
    static Optional<TwilioStatus> of(String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(wire.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The rank of a hub status as recorded by the egress route (its receipt or a failure). */
    static int rankOf(DeliveryStatus status) {
        return switch (status) {
            case QUEUED -> 1;
            case SENT -> 2;
            case DELIVERED, UNDELIVERED, FAILED -> 3;
            case READ -> 4;
        };
    }
}
