package io.musubi.routes.internal;

import io.musubi.api.InboundEventRefusedException;
import io.musubi.api.IngressHandler;
import io.musubi.camel.InboundEventCodec;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.MusubiRouteBuilder;
import io.musubi.model.InboundEvent;
import io.musubi.spi.MalformedInputException;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable ingress pipeline: the ingress queue is consumed in a broker transaction; each message is
 * decoded and handed to the {@link IngressHandler} (de-duplication on the source-scoped provider event id,
 * identity, history, ACD, listeners). The transaction commits only after that
 * succeeded, so an event leaves the broker only once it is handled; a malformed message, or an event no queue can
 * take ({@link InboundEventRefusedException}), goes straight to the dead-letter queue with the reason (it can never
 * succeed) and is counted; a failure is redelivered with back-off first and
 * dead-lettered after, with the original message.
 */
final class IngressRouteBuilder extends MusubiRouteBuilder {

    static final String ROUTE_ID = "musubi.ingress";

    private static final Logger LOG = LoggerFactory.getLogger(IngressRouteBuilder.class);

    private final IngressHandler handler;
    private final IngressCounters counters;
    private final String fromUri;
    private final long redeliveryDelayMillis;

    IngressRouteBuilder(String fromUri, IngressHandler handler, IngressCounters counters, long redeliveryDelayMillis) {
        this.fromUri = fromUri;
        this.handler = handler;
        this.counters = counters;
        this.redeliveryDelayMillis = redeliveryDelayMillis;
    }

    @Override
    protected long redeliveryDelayMillis() {
        return redeliveryDelayMillis;
    }

    @Override
    protected void onMalformed(Exchange exchange, MalformedInputException cause) {
        counters.malformed.increment();
        LOG.warn("Rejected a malformed inbound event from {}: {}",
                exchange.getIn().getHeader(MusubiCamel.SOURCE_HEADER), cause == null ? "malformed" : cause.getMessage());
    }

    @Override
    protected void routes() {
        onException(IllegalArgumentException.class)
                .handled(true)
                .maximumRedeliveries(0)
                .process(exchange -> {
                    Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    String reason = cause == null ? "malformed" : cause.getMessage();
                    // Refused: well-formed, but no queue can take it (nothing was stored); malformed: anything else.
                    String kind = cause instanceof InboundEventRefusedException ? "refused" : "malformed";
                    (cause instanceof InboundEventRefusedException ? counters.refused : counters.malformed).increment();
                    exchange.getIn().setHeader(MusubiCamel.FAILURE_HEADER, kind + ": " + reason);
                    LOG.warn("Rejected a {} inbound event from {}: {}", kind,
                            exchange.getIn().getHeader(MusubiCamel.SOURCE_HEADER), reason);
                })
                .to(MusubiCamel.brokerQueue(MusubiCamel.DEAD_LETTER_QUEUE));

        from(fromUri)
                .routeId(ROUTE_ID)
                .process(exchange -> {
                    byte[] body = exchange.getIn().getMandatoryBody(byte[].class);
                    InboundEvent event = InboundEventCodec.decode(body);
                    exchange.getIn().setHeader(MusubiCamel.EVENT_ID_HEADER, event.dedupeKey());
                    if (handler.handle(event)) {
                        counters.processed.increment();
                    } else {
                        counters.duplicates.increment();
                    }
                });
    }
}
