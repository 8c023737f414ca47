package io.musubi.camel;

/**
 * Names shared by every bundle that contributes Camel routes to the hub.
 *
 * <p>A bundle contributes routes by registering a {@link RouteContribution} OSGi service with
 * the property {@link #CONTEXT_PROPERTY}. The runtime creates one CamelContext per such service, under the
 * registering bundle's class space, with the {@link #BROKER_COMPONENT} bound to the hub's broker, and stops
 * it when the service goes away (bundle stopped, updated or its configuration deleted). Traffic between
 * contexts goes through durable broker queues, never through in-memory endpoints.
 */
public final class MusubiCamel {

    /** Service property naming the CamelContext built from a {@link RouteContribution} service. */
    public static final String CONTEXT_PROPERTY = "musubi.camel.context";

    /** The component bound to the hub's broker in every context ({@code broker:queue:<name>}). */
    public static final String BROKER_COMPONENT = "broker";

    /** The durable queue every connector hands normalised inbound events to. */
    public static final String INGRESS_QUEUE = "musubi.ingress";

    /** Where messages that failed all redeliveries go, with the original body and the reason. */
    public static final String DEAD_LETTER_QUEUE = "musubi.dlq";

    /** Prefix of the per-connector durable egress queues. */
    public static final String EGRESS_QUEUE_PREFIX = "musubi.egress.";

    /** Header carrying the provider's event id, the de-duplication key of the ingress pipeline. */
    public static final String EVENT_ID_HEADER = "MusubiEventId";

    /** Header naming the connector instance that produced a message. */
    public static final String SOURCE_HEADER = "MusubiSource";

    /** Header carrying the reason a message was dead-lettered. */
    public static final String FAILURE_HEADER = "MusubiFailure";

    private MusubiCamel() {
    }

    /** The egress queue of one connector instance, e.g. {@code musubi.egress.line.main}. */
    public static String egressQueue(String connectorId) {
        if (!connectorId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("connector id must be [A-Za-z0-9._-]+");
        }
        return EGRESS_QUEUE_PREFIX + connectorId;
    }

    /** A broker endpoint URI for a queue name produced by this class (never from outside input). */
    public static String brokerQueue(String queue) {
        return BROKER_COMPONENT + ":queue:" + queue;
    }
}
