package io.musubi.spi;

import java.util.Locale;

/**
 * Where an outbound message stands, as recorded on it in {@code MESSAGE_STATUS} events (attribute
 * {@link ConnectorAttributes#STATUS}, lower case). A provider's own statuses map onto these (Twilio: queued, sent,
 * delivered, undelivered, failed; LINE knows only sent).
 */
public enum DeliveryStatus {
    /** The provider accepted it and will send it. */
    QUEUED,
    /** Sent to the customer's network or device. */
    SENT,
    /** The provider confirmed delivery to the device or mailbox. */
    DELIVERED,
    /** The customer read it (where the channel says so). */
    READ,
    /** The provider could not deliver it (it was accepted, then failed). */
    UNDELIVERED,
    /** It could not be sent at all. */
    FAILED;

    /** The lower-case name used in event attributes. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a wire name, case-insensitive. */
    public static DeliveryStatus ofWireName(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
