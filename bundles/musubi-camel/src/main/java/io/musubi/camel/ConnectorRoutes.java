package io.musubi.camel;

import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorEvents;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.DeliveryReceipt;
import io.musubi.spi.DeliveryStatus;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.OutboundSender;
import io.musubi.spi.PermanentDeliveryException;
import io.musubi.spi.RetryableDeliveryException;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

import org.apache.camel.Exchange;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The egress half of the connector contract, written once: a connector's durable egress queue consumed in a broker
 * transaction, each message handed to its {@link OutboundSender}, and the outcome recorded on the message as a
 * {@code MESSAGE_STATUS} event through the {@link IngressGateway}.
 *
 * <ul>
 *   <li>delivered: the receipt's status (SENT, QUEUED or DELIVERED) is recorded, the transaction commits;</li>
 *   <li>{@link PermanentDeliveryException}: FAILED with its reason is recorded, the transaction commits (no retry);</li>
 *   <li>{@link RetryableDeliveryException} (or any other failure): the builder's redelivery with back-off, then the
 *       dead-letter queue with the original message (an operator can replay it); a
 *       {@link RetryableDeliveryException#retryAfter()} (the provider's Retry-After) replaces the back-off's next delay,
 *       up to the builder's {@link MusubiRouteBuilder#maximumRedeliveryDelayMillis()};</li>
 *   <li>an undecodable message: the dead-letter queue at once.</li>
 * </ul>
 * A message stays in the queue while the connector is stopped, updated or not installed, and goes out when it returns.
 */
public final class ConnectorRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRoutes.class);

    private ConnectorRoutes() {
    }

    /**
     * Adds the egress route of one connector instance to a builder, with route id
     * {@code musubi.<type>.<connectorId>.egress}.
     */
    public static RouteDefinition egress(MusubiRouteBuilder builder, String type, String connectorId,
                                         OutboundSender sender, IngressGateway ingress, ConnectorStatus status,
                                         Clock clock) {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(ingress, "ingress");
        return builder.from(MusubiCamel.brokerQueue(MusubiCamel.egressQueue(connectorId)) + "?transacted=true")
                .routeId("musubi." + type + "." + connectorId + ".egress")
                .process(exchange -> deliver(exchange, sender, ingress, status, clock,
                        builder.maximumRedeliveryDelayMillis()));
    }

    private static void deliver(Exchange exchange, OutboundSender sender, IngressGateway ingress,
                                ConnectorStatus status, Clock clock, long maxDelayMillis) {
        OutboundMessage message;
        try {
            message = OutboundMessageCodec.decode(exchange.getIn().getMandatoryBody(byte[].class));
        } catch (Exception e) {
            status.increment(ConnectorStatus.MALFORMED);
            throw new MalformedInputException("undecodable outbound message: " + e.getClass().getSimpleName());
        }
        exchange.getIn().setHeader(MusubiCamel.EVENT_ID_HEADER, message.id());
        DeliveryReceipt receipt;
        try {
            receipt = sender.deliver(message);
        } catch (PermanentDeliveryException e) {
            status.increment(ConnectorStatus.FAILED);
            LOG.warn("Outbound message {} of interaction {} could not be delivered: {}", message.id(),
                    message.interactionId(), e.reason());
            ingress.submit(ConnectorEvents.messageStatus(message.id() + "/failed", message, DeliveryStatus.FAILED,
                    "", e.reason(), Map.of(), clock.instant()));
            return;
        } catch (RetryableDeliveryException e) {
            status.increment(ConnectorStatus.RETRIED);
            throw retryAfter(exchange, e, maxDelayMillis);
        }
        status.increment(ConnectorStatus.DELIVERED);
        ingress.submit(ConnectorEvents.messageStatus(message.id() + "/" + receipt.status().wireName(), message,
                receipt.status(), receipt.providerMessageId(), "", receipt.attributes(), clock.instant()));
    }

    /**
     * Makes the provider's {@link RetryableDeliveryException#retryAfter()} (when not zero) the next redelivery delay,
     * up to {@code maxDelayMillis}; zero leaves it to the back-off. Returns the exception, to be thrown.
     */
    static RetryableDeliveryException retryAfter(Exchange exchange, RetryableDeliveryException e,
                                                 long maxDelayMillis) {
        // Camel's error handler takes the next delay from this header when it is there.
        if (e.retryAfter().isZero()) {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        } else {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, Math.min(e.retryAfter().toMillis(), maxDelayMillis));
        }
        return e;
    }
}
