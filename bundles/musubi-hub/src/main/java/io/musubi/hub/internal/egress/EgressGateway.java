package io.musubi.hub.internal.egress;

import io.musubi.api.HubEventListener;
import io.musubi.api.InteractionIntake;
import io.musubi.api.OutboundGateway;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.OutboundMessageCodec;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.store.HistoryStore;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorAttributes;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Sends replies: the message goes durably (persistent send, acknowledged by the broker) to the egress queue of the
 * connector that serves the interaction, and only then into the history as MESSAGE_OUT. Ids derive from the
 * caller's message id, so a retried send is recorded once and the connector, which de-duplicates on the message id,
 * delivers it once.
 *
 * <p>An interaction opened over the REST API ({@link InteractionIntake#API_SOURCE}) has no connector: its replies are
 * only recorded, and the vendor's system receives them as MESSAGE_OUT events (SSE stream, webhooks).
 */
@Component(service = OutboundGateway.class)
public final class EgressGateway implements OutboundGateway {

    private final HistoryStore history;
    private final ConnectionFactory broker;
    private final Clock clock;
    private final HubEvents events;

    @Activate
    public EgressGateway(@Reference HistoryStore history,
                         @Reference(target = "(musubi.broker=hub)") ConnectionFactory broker,
                         @Reference HubEvents events) {
        this(history, broker, events, Clock.systemUTC());
    }

    EgressGateway(HistoryStore history, ConnectionFactory broker, HubEvents events, Clock clock) {
        this.history = history;
        this.broker = broker;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public OutboundMessage reply(String tenantId, String interactionId, String messageId, MessageContent content,
                                 Map<String, String> attributes, String actor) {
        Interaction interaction = history.findInteraction(tenantId, interactionId)
                .orElseThrow(() -> new NoSuchElementException("no interaction " + interactionId));
        String connector = interaction.attributes().get(ConnectorAttributes.SOURCE);
        if (connector == null || connector.isBlank()) {
            throw new IllegalStateException("interaction " + interactionId + " has no connector to reply through");
        }
        boolean viaApi = connector.equals(InteractionIntake.API_SOURCE);
        String key = tenantId + '/' + interactionId + '/' + messageId;
        String id = "o-" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
        OutboundMessage message = new OutboundMessage(id, tenantId, interactionId, connector, interaction.channel(),
                interaction.from(), content, withReplyData(interaction, attributes), clock.instant());
        if (!viaApi) {
            send(message);
        }
        InteractionEvent sent = new InteractionEvent("e-" + id.substring(2), tenantId, interactionId,
                interaction.customerId(), interaction.channel(), InteractionEventType.MESSAGE_OUT, message.createdAt(),
                actor, Map.of("messageId", id, "connector", connector), content);
        history.append(sent);
        events.publish(sent);
        return message;
    }

    /**
     * The caller's attributes plus the connector data kept on the interaction for replies ({@code reply.*}, e.g.
     * LINE's reply token); a caller cannot set {@code reply.*} itself.
     */
    public static Map<String, String> withReplyData(Interaction interaction, Map<String, String> attributes) {
        Map<String, String> all = new java.util.HashMap<>();
        attributes.forEach((k, v) -> {
            if (!k.startsWith(ConnectorAttributes.REPLY_PREFIX)) {
                all.put(k, v);
            }
        });
        interaction.attributes().forEach((k, v) -> {
            if (k.startsWith(ConnectorAttributes.REPLY_PREFIX)) {
                all.put(k, v);
            }
        });
        return all;
    }

    private void send(OutboundMessage message) {
        try (Connection connection = broker.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer producer = session.createProducer(
                    session.createQueue(MusubiCamel.egressQueue(message.connectorId())));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            BytesMessage jms = session.createBytesMessage();
            jms.writeBytes(OutboundMessageCodec.encode(message));
            jms.setStringProperty(MusubiCamel.EVENT_ID_HEADER, message.id());
            producer.send(jms);
        } catch (JMSException e) {
            throw new IllegalStateException("the broker did not accept the message: " + e.getClass().getSimpleName(), e);
        }
    }
}
