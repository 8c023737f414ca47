package io.musubi.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What the provider answered to a delivery.
 *
 * @param status            QUEUED, SENT or DELIVERED
 * @param providerMessageId the provider's id of the sent message (Twilio's MessageSid, a mail's Message-ID); may be
 *                          empty
 * @param attributes        extra data to record on the message's status event (never secrets or PII)
 */
public record DeliveryReceipt(DeliveryStatus status, String providerMessageId, Map<String, String> attributes) {

    public DeliveryReceipt {
        Objects.requireNonNull(status, "status");
        providerMessageId = providerMessageId == null ? "" : providerMessageId;
        attributes = Map.copyOf(attributes);
    }

    public static DeliveryReceipt sent(String providerMessageId) {
        return new DeliveryReceipt(DeliveryStatus.SENT, providerMessageId, Map.of());
    }
}
