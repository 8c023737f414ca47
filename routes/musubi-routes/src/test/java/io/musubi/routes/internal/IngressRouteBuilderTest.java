package io.musubi.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.api.InboundEventListener;
import io.musubi.api.InboundEventRefusedException;
import io.musubi.camel.InboundEventCodec;
import io.musubi.camel.MusubiCamel;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;

import java.nio.charset.StandardCharsets;
import io.musubi.testkit.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ingress pipeline on a plain CamelContext, with the broker component played by seda queues. */
class IngressRouteBuilderTest {

    private static final String INGRESS = "broker:queue:" + MusubiCamel.INGRESS_QUEUE;
    private static final String DLQ = "broker:queue:" + MusubiCamel.DEAD_LETTER_QUEUE;

    private final List<InboundEvent> received = new CopyOnWriteArrayList<>();
    /** The handler under the route: here a set of handled keys; the real one is IngressProcessor. */
    private final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<InboundEventListener> listeners = new CopyOnWriteArrayList<>();
    private final IngressCounters counters = new IngressCounters();
    private CamelContext context;
    private ProducerTemplate producer;
    private ConsumerTemplate consumer;

    @BeforeEach
    void start() throws Exception {
        listeners.add(received::add);
        context = new DefaultCamelContext();
        context.addComponent(MusubiCamel.BROKER_COMPONENT, new SedaComponent());
        // The handler under the route, with the real processor's order: duplicate check, listeners, then mark.
        context.addRoutes(new IngressRouteBuilder(INGRESS, event -> {
            if (seen.contains(event.dedupeKey())) {
                return false;
            }
            for (InboundEventListener l : listeners) {
                l.onInbound(event);
            }
            seen.add(event.dedupeKey());
            return true;
        }, counters, 5));
        context.start();
        producer = context.createProducerTemplate();
        consumer = context.createConsumerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private static InboundEvent event(String id) {
        return new InboundEvent(id, "demo.test", "t1", Channel.WEBCHAT, InteractionEventType.MESSAGE_IN,
                Address.parse("webchat:visitor-1"), null, "", MessageContent.text("hello " + id), Map.of(),
                Instant.parse("2026-11-22T00:00:00Z"));
    }

    @Test
    void deliversEachEventOnceToEveryListener() throws Exception {
        producer.sendBody(INGRESS, InboundEventCodec.encode(event("1")));
        producer.sendBody(INGRESS, InboundEventCodec.encode(event("2")));
        producer.sendBody(INGRESS, InboundEventCodec.encode(event("1")));
        Await.until("two events received, the duplicate counted", Duration.ofSeconds(10),
                () -> received.size() == 2 && counters.duplicates.sum() == 1);
        assertThat(received).extracting(InboundEvent::eventId).containsExactly("1", "2");
        assertThat(counters.processed.sum()).isEqualTo(2);
    }

    @Test
    void malformedInputGoesToTheDeadLetterQueueWithTheReasonAndIsCounted() throws Exception {
        producer.sendBody(INGRESS, "{\"v\":1,\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        Exchange dead = consumer.receive(DLQ, 10_000);
        assertThat(dead).isNotNull();
        assertThat(dead.getIn().getHeader(MusubiCamel.FAILURE_HEADER, String.class)).startsWith("malformed:");
        assertThat(dead.getIn().getBody(String.class)).contains("\"eventId\":\"x\"");
        assertThat(counters.malformed.sum()).isEqualTo(1);
        assertThat(counters.refused.sum()).isZero();
        assertThat(received).isEmpty();
    }

    @Test
    void aRefusedEventIsDeadLetteredAtOnceWithTheReasonAndCounted() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        listeners.add(0, e -> {
            attempts.incrementAndGet();
            throw new InboundEventRefusedException(InboundEventRefusedException.Reason.CHANNEL_NOT_TAKEN, "default",
                    Channel.WEBCHAT, false);
        });
        byte[] original = InboundEventCodec.encode(event("r"));
        producer.sendBody(INGRESS, original);
        Exchange dead = consumer.receive(DLQ, 10_000);
        assertThat(dead).isNotNull();
        assertThat(dead.getIn().getBody(byte[].class)).isEqualTo(original);
        assertThat(dead.getIn().getHeader(MusubiCamel.FAILURE_HEADER, String.class))
                .isEqualTo("refused: the default queue 'default' does not take channel WEBCHAT");
        assertThat(counters.refused.sum()).isEqualTo(1);
        assertThat(counters.malformed.sum()).isZero();
        assertThat(attempts.get()).isEqualTo(1);
    }

    @Test
    void aFailingListenerIsRetriedAndTheEventIsNotLost() throws Exception {
        AtomicInteger failures = new AtomicInteger(2);
        listeners.add(0, e -> {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("store not ready");
            }
        });
        producer.sendBody(INGRESS, InboundEventCodec.encode(event("7")));
        Await.until("the event received", Duration.ofSeconds(10), () -> received.size() == 1);
        assertThat(received.get(0).eventId()).isEqualTo("7");
        assertThat(failures.get()).isNegative();
    }

    @Test
    void anEventThatFailsEveryRedeliveryIsDeadLetteredWithItsOriginalBodyAndCanBeDeliveredAgain() throws Exception {
        listeners.add(0, e -> {
            throw new IllegalStateException("store down");
        });
        byte[] original = InboundEventCodec.encode(event("9"));
        producer.sendBody(INGRESS, original);
        Exchange dead = consumer.receive(DLQ, 30_000);
        assertThat(dead).isNotNull();
        assertThat(dead.getIn().getBody(byte[].class)).isEqualTo(original);
        assertThat(dead.getIn().getHeader(MusubiCamel.FAILURE_HEADER, String.class)).contains("store down");

        // The event never completed, so its key was never recorded: replaying the dead letter delivers it.
        listeners.remove(0);
        producer.sendBody(INGRESS, original);
        Await.until("the event received", Duration.ofSeconds(10), () -> received.size() == 1);
    }
}
