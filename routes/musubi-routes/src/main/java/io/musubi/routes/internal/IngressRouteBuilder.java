package io.musubi.routes.internal;

import io.musubi.api.InboundEventListener;
import io.musubi.camel.InboundEventCodec;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.MusubiRouteBuilder;
import io.musubi.model.InboundEvent;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable ingress pipeline: the ingress queue is consumed in a broker transaction; each message is
 * decoded, de-duplicated on its source-scoped provider event id and handed to every
 * {@link InboundEventListener}. The transaction commits only after all listeners accepted the event, so an
 * event leaves the broker only once it is handled; a malformed message goes straight to the dead-letter
 * queue with the reason (it can never succeed), a listener failure is redelivered with back-off first.
 */
final class IngressRouteBuilder extends MusubiRouteBuilder {

    static final String ROUTE_ID = "musubi.ingress";
    static final String DEDUPE_KEY_PROPERTY = "musubi.dedupeKey";

    private static final Logger LOG = LoggerFactory.getLogger(IngressRouteBuilder.class);

    private final Supplier<List<InboundEventListener>> listeners;
    private final IdempotentRepository repository;
    private final AtomicLong malformed;
    private final AtomicLong duplicates;
    private final String fromUri;
    private final long redeliveryDelayMillis;

    IngressRouteBuilder(String fromUri, Supplier<List<InboundEventListener>> listeners, IdempotentRepository repository,
                        AtomicLong malformed, AtomicLong duplicates, long redeliveryDelayMillis) {
        this.fromUri = fromUri;
        this.redeliveryDelayMillis = redeliveryDelayMillis;
        this.listeners = listeners;
        this.repository = repository;
        this.malformed = malformed;
        this.duplicates = duplicates;
    }

    @Override
    protected long redeliveryDelayMillis() {
        return redeliveryDelayMillis;
    }

    /** A dead-lettered event was not handled: release its key so a replay from the DLQ goes through. */
    @Override
    protected void onDeadLetter(Exchange exchange) {
        // The dead-letter channel restores the original message, so the key travels as an exchange property.
        String key = exchange.getProperty(DEDUPE_KEY_PROPERTY, String.class);
        if (key != null) {
            repository.remove(key);
        }
    }

    @Override
    protected void routes() {
        onException(IllegalArgumentException.class)
                .handled(true)
                .maximumRedeliveries(0)
                .process(exchange -> {
                    malformed.incrementAndGet();
                    Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    String reason = cause == null ? "malformed" : cause.getMessage();
                    exchange.getIn().setHeader(MusubiCamel.FAILURE_HEADER, "malformed: " + reason);
                    LOG.warn("Rejected a malformed inbound event from {}: {}",
                            exchange.getIn().getHeader(MusubiCamel.SOURCE_HEADER), reason);
                })
                .to(MusubiCamel.brokerQueue(MusubiCamel.DEAD_LETTER_QUEUE));

        from(fromUri)
                .routeId(ROUTE_ID)
                .process(exchange -> {
                    byte[] body = exchange.getIn().getMandatoryBody(byte[].class);
                    InboundEvent event = InboundEventCodec.decode(body);
                    exchange.getIn().setBody(event);
                    exchange.getIn().setHeader(MusubiCamel.EVENT_ID_HEADER, event.dedupeKey());
                    exchange.setProperty(DEDUPE_KEY_PROPERTY, event.dedupeKey());
                })
                .idempotentConsumer(header(MusubiCamel.EVENT_ID_HEADER), repository)
                    .skipDuplicate(false)
                    .removeOnFailure(true)
                .choice()
                    .when(exchangeProperty(Exchange.DUPLICATE_MESSAGE).isEqualTo(true))
                        .process(exchange -> duplicates.incrementAndGet())
                    .otherwise()
                        .process(exchange -> {
                            InboundEvent event = exchange.getIn().getBody(InboundEvent.class);
                            for (InboundEventListener listener : listeners.get()) {
                                listener.onInbound(event);
                            }
                        })
                .end();
    }
}
