package io.musubi.hub.internal.ingress;

import io.musubi.api.IngressBacklog;
import io.musubi.api.MetricSource;
import io.musubi.api.MetricWriter;
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
import java.util.Map;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The hub's {@link IngressGateway}: each event goes to the ingress queue in a persistent send that returns once the
 * broker has it on disk. The message group is the event's conversation (tenant, channel, thread), so the ingress
 * consumers take one conversation's events one at a time and in order. While the ingress queue is deeper than its
 * bound, submissions are held and then refused ({@link BacklogGate}); the outcomes are counted on the metrics
 * endpoint.
 */
@Component(service = {IngressGateway.class, MetricSource.class}, configurationPid = IngressGatewayConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = IngressGatewayConfiguration.class)
public final class BrokerIngressGateway implements IngressGateway, MetricSource {

    /** The JMS message group property (Artemis: one consumer at a time per group). */
    static final String GROUP_PROPERTY = "JMSXGroupID";

    private final ConnectionFactory broker;
    private volatile BacklogGate gate;
    /** The outcomes of the gates replaced by a new configuration (the counters stay monotonic). */
    private long delayedBefore;
    private long refusedBefore;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile IngressBacklog backlog;

    @Activate
    public BrokerIngressGateway(@Reference(target = "(musubi.broker=hub)") ConnectionFactory broker,
                                IngressGatewayConfiguration config) {
        this.broker = broker;
        this.gate = gate(config);
    }

    /** A new bound applies at once, without taking the gateway away from the connectors. */
    @Modified
    synchronized void modified(IngressGatewayConfiguration config) {
        BacklogGate old = gate;
        delayedBefore += old.delayed();
        refusedBefore += old.refused();
        gate = gate(config);
    }

    private BacklogGate gate(IngressGatewayConfiguration config) {
        return new BacklogGate(this::backlog, this::storageFull, config.maxIngressBacklog(),
                Duration.ofMillis(config.backlogWaitMillis()), Duration.ofMillis(50), config.maxHeldSubmissions(),
                Duration.ofSeconds(Math.max(1, config.retryAfterSeconds())));
    }

    private boolean storageFull() {
        IngressBacklog b = backlog;
        return b != null && b.storageFull();
    }

    private long backlog() {
        IngressBacklog b = backlog;
        return b == null ? -1 : b.ingressBacklog();
    }

    @Override
    public void submit(List<InboundEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        BacklogGate g = gate;
        g.awaitRoom();
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
        } finally {
            g.sent();
        }
    }

    @Override
    public void collect(MetricWriter out) {
        BacklogGate g;
        long delayed;
        long refused;
        synchronized (this) {
            g = gate;
            delayed = delayedBefore + g.delayed();
            refused = refusedBefore + g.refused();
        }
        String help = "Connector submissions that met a full ingress queue: held until it had room (delayed), or "
                + "refused after the wait (refused; the connector answered 503)";
        out.counter("musubi_ingress_backpressure_total", help, Map.of("outcome", "delayed"), delayed);
        out.counter("musubi_ingress_backpressure_total", help, Map.of("outcome", "refused"), refused);
        out.gauge("musubi_ingress_backlog_limit", "The ingress queue depth from which connectors' submissions are "
                + "held, then refused (maxIngressBacklog)", Map.of(), g.limit());
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
