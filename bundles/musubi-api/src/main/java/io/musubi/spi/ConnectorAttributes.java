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

    /**
     * On an interaction: the connector instance it came in by (its {@code InboundEvent.source()}), the one replies go
     * back through; {@code api} for interactions created over the REST API. Set by the hub.
     */
    public static final String SOURCE = "musubi.source";

    /** Inbound: the (local) queue a new interaction goes to; absent: the tenant's default queue. */
    public static final String QUEUE = "musubi.queue";

    /**
     * Inbound: how a new interaction is routed. Absent: the hub's ACD queues and offers it. {@link #ROUTING_EXTERNAL}:
     * the provider routes it itself (a PBX's own queue): the hub records it and keeps the agents' load by the
     * connector-reported lifecycle (ACCEPTED force-assigns it), but never queues or offers it.
     */
    public static final String ROUTING = "musubi.routing";

    /** The value of {@link #ROUTING} for interactions the provider routes. */
    public static final String ROUTING_EXTERNAL = "external";

    /**
     * Inbound lifecycle events ({@code ACCEPTED}, {@code REJECTED}, {@code OFFERED}, {@code OFFER_TIMEOUT}): the agent
     * concerned, as the local agent id of the event's tenant. See {@code docs/connectors/writing-a-connector.md},
     * "Connector-reported lifecycle".
     */
    public static final String AGENT_ID = "musubi.agentId";

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
