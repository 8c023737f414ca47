package io.musubi.connector.twilio.internal;

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
 * The connector's durable queue of MMS media to fetch, {@code musubi.connector.<id>.media}: a persistent send per
 * job that returns once the broker has it, so a job survives a restart and is fetched by the media route with
 * back-off, after Twilio got its answer.
 */
final class MediaJobs implements TwilioWebhook.MediaQueue {

    private final ConnectionFactory broker;
    private final String queue;

    MediaJobs(ConnectionFactory broker, String connectorId) {
        this.broker = broker;
        this.queue = queueOf(connectorId);
    }

    /** The queue of one connector instance. */
    static String queueOf(String connectorId) {
        MusubiCamel.egressQueue(connectorId); // validates the id
        return "musubi.connector." + connectorId + ".media";
    }

    String queue() {
        return queue;
    }

    @Override
    public void enqueue(List<MediaJob> jobs) throws JMSException {
        if (jobs.isEmpty()) {
            return;
        }
        try (Connection connection = broker.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (MediaJob job : jobs) {
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(job.encode());
                m.setStringProperty(MusubiCamel.EVENT_ID_HEADER, job.key());
                producer.send(m);
            }
        }
    }
}
