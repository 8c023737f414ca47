package io.musubi.spi;

/**
 * Attribute names of {@link io.musubi.model.InboundEvent}s and {@link io.musubi.model.OutboundMessage}s that the hub
 * and connectors agree on. Connector-specific attributes are prefixed with the connector type ({@code line.},
 * {@code mail.}, {@code twilio.}, {@code asterisk.}).
 */
public final class ConnectorAttributes {

    /**
     * Prefix of connector data that must travel with a reply: the hub keeps every inbound attribute with this prefix on
     * the interaction (the latest value of each wins) and copies them into every {@code OutboundMessage} of that
     * interaction. Example: LINE's reply token as {@code reply.line.replyToken} with {@code reply.line.replyTokenExpires}.
     * Never secrets: they are stored with the interaction.
     */
    public static final String REPLY_PREFIX = "reply.";

    /** Inbound: the (local) queue a new interaction goes to; absent: the tenant's default queue. */
    public static final String QUEUE = "musubi.queue";

    /**
     * Inbound, value {@code true}: the event belongs on the conversation's open interaction (a NOTE-like happening such
     * as LINE's unfollow or unsend) and never opens one. With no interaction open, the hub resolves the customer, tells
     * the {@code InboundEventListener}s and records the event as processed, and nothing else. Ignored on events
     * submitted over the REST API.
     */
    public static final String JOIN_ONLY = "musubi.joinOnly";

    /**
     * Inbound: a nonce the hub issued for a known customer ({@code POST /api/v1/customers/{id}/link-nonces}) and the
     * provider has confirmed (LINE's account-link event): the hub links the event's {@code from} address to that
     * customer (merging the customer it belonged to into it). A nonce is used once and expires; an unknown, used or
     * expired nonce links nothing. Ignored on events submitted over the REST API.
     */
    public static final String LINK_NONCE = "musubi.linkNonce";

    /**
     * Inbound {@code MESSAGE_STATUS} events: the hub interaction the outbound message belongs to
     * ({@code OutboundMessage#interactionId()}).
     */
    public static final String INTERACTION_ID = "musubi.interactionId";

    /** Inbound {@code MESSAGE_STATUS} events: the hub's id of the outbound message ({@code OutboundMessage#id()}). */
    public static final String MESSAGE_ID = "messageId";

    /** {@code MESSAGE_STATUS} events: the {@link DeliveryStatus#wireName()}. */
    public static final String STATUS = "status";

    /** {@code MESSAGE_STATUS} events: why it failed, a short category ({@code invalid-recipient}, {@code http-400}). */
    public static final String REASON = "reason";

    /** {@code MESSAGE_STATUS} events: the provider's id of the message. */
    public static final String PROVIDER_MESSAGE_ID = "providerMessageId";

    private ConnectorAttributes() {
    }
}
