package io.musubi.connector.line.internal;

import io.musubi.camel.MusubiCamel;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.List;

/**
 * The connector's durable queue of media to fetch, {@code musubi.connector.<id>.content}: a persistent send per job,
 * returning once the broker has it, so a job survives a restart and is fetched by the content route with back-off.
 */
final class ContentJobs implements LineWebhook.ContentQueue {

    private final ConnectionFactory broker;
    private final String queue;

    ContentJobs(ConnectionFactory broker, String connectorId) {
        this.broker = broker;
        this.queue = queueOf(connectorId);
    }

    /** The queue of one connector instance. */
    static String queueOf(String connectorId) {
        MusubiCamel.egressQueue(connectorId); // validates the id
        return "musubi.connector." + connectorId + ".content";
    }

    String queue() {
        return queue;
    }

    /** Queues the jobs durably; nothing to do for none. */
    @Override
    public void enqueue(List<ContentJob> jobs) throws JMSException {
        if (jobs.isEmpty()) {
            return;
        }
        try (Connection connection = broker.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (ContentJob job : jobs) {
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(job.encode());
                m.setStringProperty(MusubiCamel.EVENT_ID_HEADER, job.eventId());
                producer.send(m);
            }
        }
    }
}
