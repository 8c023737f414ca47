package io.musubi.camel;

import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.JobQueue;
import io.musubi.spi.RetryableDeliveryException;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.camel.model.RouteDefinition;

/**
 * A connector instance's durable queue of work to do after a webhook was answered (content to fetch from the
 * provider), {@code musubi.connector.<id>.<name>}: {@link #enqueue} is a persistent send per job that returns once the
 * broker has it, so a job survives a restart; {@link #route} consumes the queue in a broker transaction, so a job
 * leaves it only once done, and waits there while the provider or the connector is away.
 *
 * @param <J> the connector's job
 */
public final class ConnectorJobs<J> implements JobQueue<J> {

    private final ConnectionFactory broker;
    private final String connectorId;
    private final String name;
    private final String queue;
    private final Function<J, byte[]> encode;
    private final Function<J, String> eventId;

    /**
     * @param name    the queue's last segment and the route's, e.g. {@code media}
     * @param encode  a job's bytes (the route decodes them)
     * @param eventId the id a job is known by ({@link MusubiCamel#EVENT_ID_HEADER}, for the dead-letter queue)
     */
    public ConnectorJobs(ConnectionFactory broker, String connectorId, String name, Function<J, byte[]> encode,
                         Function<J, String> eventId) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.connectorId = connectorId;
        this.name = name;
        this.queue = queueOf(connectorId, name);
        this.encode = encode;
        this.eventId = eventId;
    }

    /** The queue of one connector instance, e.g. {@code musubi.connector.twilio.main.media}. */
    public static String queueOf(String connectorId, String name) {
        MusubiCamel.egressQueue(connectorId); // validates the id
        if (!name.matches("[a-z]+")) {
            throw new IllegalArgumentException("job queue name must be [a-z]+");
        }
        return "musubi.connector." + connectorId + "." + name;
    }

    public String queue() {
        return queue;
    }

    /** Queues the jobs durably; nothing to do for none. */
    @Override
    public void enqueue(List<J> jobs) throws JMSException {
        if (jobs.isEmpty()) {
            return;
        }
        try (Connection connection = broker.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (J job : jobs) {
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(encode.apply(job));
                m.setStringProperty(MusubiCamel.EVENT_ID_HEADER, eventId.apply(job));
                producer.send(m);
            }
        }
    }

    /**
     * Adds the route that works off this queue to a builder, with route id {@code musubi.<type>.<connectorId>.<name>}:
     * each job decoded and handed to {@code work}; a {@link RetryableDeliveryException} counts {@code <name>Retried}
     * and leaves the job to the builder's redelivery with back-off, its {@link RetryableDeliveryException#retryAfter()}
     * (when not zero) replacing the next delay up to {@link MusubiRouteBuilder#maximumRedeliveryDelayMillis()}.
     */
    public RouteDefinition route(MusubiRouteBuilder builder, String type, Function<byte[], J> decode, Consumer<J> work,
                                 ConnectorStatus status) {
        String retried = name + "Retried";
        return builder.from(MusubiCamel.brokerQueue(queue) + "?transacted=true")
                .routeId("musubi." + type + "." + connectorId + "." + name)
                .process(exchange -> {
                    J job = decode.apply(exchange.getIn().getMandatoryBody(byte[].class));
                    try {
                        work.accept(job);
                    } catch (RetryableDeliveryException e) {
                        status.increment(retried);
                        throw ConnectorRoutes.retryAfter(exchange, e, builder.maximumRedeliveryDelayMillis());
                    }
                });
    }
}
