package io.musubi.hub.internal.ingress;

import io.musubi.camel.InboundEventCodec;
import io.musubi.camel.MusubiCamel;
import io.musubi.model.InboundEvent;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.IngressUnavailableException;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The hub's {@link IngressGateway}: each event goes to the ingress queue in a persistent send that returns once the
 * broker has it on disk. The message group is the event's conversation (tenant, channel, thread), so the ingress
 * consumers take one conversation's events one at a time and in order.
 */
@Component(service = IngressGateway.class)
public final class BrokerIngressGateway implements IngressGateway {

    /** The JMS message group property (Artemis: one consumer at a time per group). */
    static final String GROUP_PROPERTY = "JMSXGroupID";

    private final ConnectionFactory broker;

    @Activate
    public BrokerIngressGateway(@Reference(target = "(musubi.broker=hub)") ConnectionFactory broker) {
        this.broker = broker;
    }

    @Override
    public void submit(List<InboundEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try (Connection connection = broker.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer producer = session.createProducer(session.createQueue(MusubiCamel.INGRESS_QUEUE));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (InboundEvent event : events) {
                BytesMessage jms = session.createBytesMessage();
                jms.writeBytes(InboundEventCodec.encode(event));
                jms.setStringProperty(MusubiCamel.EVENT_ID_HEADER, event.dedupeKey());
                jms.setStringProperty(MusubiCamel.SOURCE_HEADER, event.source());
                jms.setStringProperty(GROUP_PROPERTY, conversationGroup(event));
                producer.send(jms);
            }
        } catch (JMSException e) {
            throw new IngressUnavailableException("the broker did not accept the events: "
                    + e.getClass().getSimpleName(), Duration.ofSeconds(1), e);
        }
    }

    /**
     * The message group of an event's conversation: a name-based UUID of tenant, channel and thread key (or the
     * sender's address without one), so no address travels in clear in a broker property.
     */
    static String conversationGroup(InboundEvent e) {
        String thread = e.threadKey().isEmpty() ? e.from().uri() : e.threadKey();
        String key = e.tenantId() + '|' + e.channel() + '|' + thread;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
