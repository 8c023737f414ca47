package io.musubi.spi;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.OutboundMessage;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Builds the inbound events of the connector contract that every connector writes the same way. */
public final class ConnectorEvents {

    private ConnectorEvents() {
    }

    /**
     * A delivery status of an outbound message, recorded on the message's interaction as a {@code MESSAGE_STATUS}
     * event (not routed).
     *
     * @param eventId    the provider's id of this status report (e.g. Twilio's callback: MessageSid + status), or, for
     *                   the connector's own report after a delivery, {@code message.id() + "/" + status}
     * @param reason     a short category when the status is FAILED or UNDELIVERED, else empty
     * @param extra      more attributes (provider codes); never secrets or PII
     */
    public static InboundEvent messageStatus(String eventId, OutboundMessage message, DeliveryStatus status,
                                             String providerMessageId, String reason, Map<String, String> extra,
                                             Instant occurredAt) {
        return messageStatus(eventId, message.connectorId(), message.tenantId(), message.channel(), message.to(),
                message.interactionId(), message.id(), status, providerMessageId, reason, extra, occurredAt);
    }

    /** A delivery status of an outbound message known by its ids (a provider's status callback). */
    public static InboundEvent messageStatus(String eventId, String source, String tenantId, Channel channel,
                                             Address customer, String interactionId, String messageId,
                                             DeliveryStatus status, String providerMessageId, String reason,
                                             Map<String, String> extra, Instant occurredAt) {
        Map<String, String> attributes = new HashMap<>(extra);
        attributes.put(ConnectorAttributes.INTERACTION_ID, interactionId);
        attributes.put(ConnectorAttributes.MESSAGE_ID, messageId);
        attributes.put(ConnectorAttributes.STATUS, status.wireName());
        if (providerMessageId != null && !providerMessageId.isEmpty()) {
            attributes.put(ConnectorAttributes.PROVIDER_MESSAGE_ID, providerMessageId);
        }
        if (reason != null && !reason.isEmpty()) {
            attributes.put(ConnectorAttributes.REASON, reason);
        }
        return new InboundEvent(eventId, source, tenantId, channel, InteractionEventType.MESSAGE_STATUS, customer,
                null, "", null, attributes, occurredAt);
    }
}
