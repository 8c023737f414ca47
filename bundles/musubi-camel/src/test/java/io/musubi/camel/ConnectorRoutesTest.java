package io.musubi.camel;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.DeliveryReceipt;
import io.musubi.spi.OutboundSender;
import io.musubi.spi.PermanentDeliveryException;
import io.musubi.spi.RetryableDeliveryException;

import java.time.Clock;
import io.musubi.testkit.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The egress half of the connector contract on a plain CamelContext, the broker played by seda queues. */
class ConnectorRoutesTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private final List<InboundEvent> statuses = new CopyOnWriteArrayList<>();
    private final ConnectorStatus status = new ConnectorStatus();
    private CamelContext context;

    /** Seda standing in for the broker: it takes (and ignores) the JMS options of the real endpoint URIs. */
    static final class BrokerStandIn extends SedaComponent {
        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
                throws Exception {
            parameters.remove("transacted");
            return super.createEndpoint(uri, remaining, parameters);
        }
    }

    private ProducerTemplate start(OutboundSender sender, long firstDelayMillis) throws Exception {
        context = new DefaultCamelContext();
        context.addComponent(MusubiCamel.BROKER_COMPONENT, new BrokerStandIn());
        context.addRoutes(new MusubiRouteBuilder() {
            @Override
            protected long redeliveryDelayMillis() {
                return firstDelayMillis;
            }

            @Override
            protected long maximumRedeliveryDelayMillis() {
                return 5_000;
            }

            @Override
            protected void routes() {
                ConnectorRoutes.egress(this, "test", "test.one", sender, statuses::addAll, status,
                        Clock.systemUTC());
            }
        });
        context.start();
        return context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    private static OutboundMessage message(String id) {
        return new OutboundMessage(id, "t1", "i-1", "test.one", Channel.LINE, Address.parse("line:U1"),
                MessageContent.text("hello"), Map.of(), T0);
    }

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static void send(ProducerTemplate producer, OutboundMessage m) {
        producer.sendBody(MusubiCamel.brokerQueue(MusubiCamel.egressQueue("test.one")), OutboundMessageCodec.encode(m));
    }

    @Test
    void aDeliveryIsRecordedAsTheReceiptsStatus() throws Exception {
        ProducerTemplate producer = start(m -> DeliveryReceipt.sent("p-1"), 10);
        send(producer, message("o-1"));
        Await.until("a status", WAIT, () -> statuses.size() == 1);
        assertThat(statuses.get(0).eventId()).isEqualTo("o-1/sent");
        assertThat(statuses.get(0).attributes()).containsEntry(ConnectorAttributes.STATUS, "sent")
                .containsEntry(ConnectorAttributes.PROVIDER_MESSAGE_ID, "p-1");
        assertThat(status.count(ConnectorStatus.DELIVERED)).isEqualTo(1);
    }

    @Test
    void aPermanentFailureIsRecordedWithItsReasonAndNotRetried() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        ProducerTemplate producer = start(m -> {
            attempts.incrementAndGet();
            throw new PermanentDeliveryException("http-400", "refused");
        }, 10);
        send(producer, message("o-2"));
        Await.until("a status", WAIT, () -> statuses.size() == 1);
        assertThat(statuses.get(0).attributes()).containsEntry(ConnectorAttributes.STATUS, "failed")
                .containsEntry(ConnectorAttributes.REASON, "http-400");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void theProvidersRetryAfterReplacesTheBackOffDelay() throws Exception {
        List<Long> attemptsAt = new CopyOnWriteArrayList<>();
        ProducerTemplate producer = start(m -> {
            attemptsAt.add(System.nanoTime());
            if (attemptsAt.size() == 1) {
                throw new RetryableDeliveryException("429", Duration.ofMillis(700), null);
            }
            if (attemptsAt.size() == 2) {
                throw new RetryableDeliveryException("503");
            }
            return DeliveryReceipt.sent("p-3");
        }, 10);
        send(producer, message("o-3"));
        Await.until("delivered after two retries", WAIT, () -> statuses.size() == 1);
        assertThat(attemptsAt).hasSize(3);
        // The first retry waited for the provider's Retry-After, far beyond the 10 ms back-off; the second did not.
        assertThat(Duration.ofNanos(attemptsAt.get(1) - attemptsAt.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(statuses.get(0).attributes()).containsEntry(ConnectorAttributes.STATUS, "sent");
        assertThat(status.count(ConnectorStatus.RETRIED)).isEqualTo(2);
    }
}
