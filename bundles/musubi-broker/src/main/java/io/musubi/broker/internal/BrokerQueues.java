package io.musubi.broker.internal;

import io.musubi.api.Health;
import io.musubi.api.HealthContributor;
import io.musubi.api.IngressBacklog;
import io.musubi.api.MetricSource;
import io.musubi.api.MetricWriter;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Depths of the hub's queues in the embedded broker, for health and operators: {@code musubi.ingress} (work not
 * yet handled, including messages being delivered), every {@code musubi.egress.<connector>} (messages waiting for
 * their connector) and {@code musubi.dlq} (dead letters). DEGRADED while dead
 * letters wait: somebody has to look at them. DOWN while the broker's storage is beyond {@code max-disk-usage}
 * (etc/artemis.xml): the broker then blocks every producer, and the hub refuses events until disk space is freed.
 * Absent an embedded broker (a remote one) it reports nothing. The same depths are gauges on the metrics endpoint
 * ({@code musubi_broker_queue_messages{queue}}), with the disk's used share.
 */
@Component(service = {HealthContributor.class, MetricSource.class, IngressBacklog.class},
        property = HealthContributor.NAME_PROPERTY + "=queues")
public final class BrokerQueues implements HealthContributor, MetricSource, IngressBacklog {

    static final String INGRESS = "musubi.ingress";
    static final String DLQ = "musubi.dlq";
    static final String EGRESS_PREFIX = "musubi.egress.";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ActiveMQServer server;

    @Override
    public boolean storageFull() {
        ActiveMQServer s = server;
        return s != null && s.isActive() && s.getPagingManager() != null && s.getPagingManager().isDiskFull();
    }

    @Override
    public long ingressBacklog() {
        ActiveMQServer s = server;
        return s == null || !s.isActive() ? -1 : depth(s, INGRESS);
    }

    @Override
    public String name() {
        return "queues";
    }

    @Override
    public Health health() {
        ActiveMQServer s = server;
        if (s == null || !s.isActive()) {
            return new Health(Health.Status.UP, "no embedded broker to inspect", Map.of());
        }
        Map<String, String> depths = new LinkedHashMap<>();
        depths(s).forEach((queue, depth) -> depths.put(queue, Long.toString(depth)));
        if (storageFull()) {
            depths.put("diskStoreUsage", String.format(java.util.Locale.ROOT, "%.3f", s.getDiskStoreUsage()));
            return new Health(Health.Status.DOWN, "the broker's storage is beyond max-disk-usage: it blocks every "
                    + "producer and the hub refuses events until disk space is freed", depths);
        }
        long dead = depth(s, DLQ);
        if (dead > 0) {
            return new Health(Health.Status.DEGRADED, dead + " dead letter(s) in " + DLQ, depths);
        }
        return new Health(Health.Status.UP, "queue depths", depths);
    }

    @Override
    public void collect(MetricWriter out) {
        ActiveMQServer s = server;
        if (s == null || !s.isActive()) {
            return;
        }
        out.gauge("musubi_broker_disk_store_usage_ratio", "Used share of the disk holding the broker's journal; at "
                + "max-disk-usage (etc/artemis.xml) the broker blocks producers", Map.of(), s.getDiskStoreUsage());
        depths(s).forEach((queue, depth) -> out.gauge("musubi_broker_queue_messages", "Messages in the hub's queues "
                + "of the embedded broker: musubi.ingress (not yet handled, in delivery included), musubi.dlq (dead "
                + "letters), musubi.egress.<connector> (replies waiting for their connector)",
                Map.of("queue", queue), depth));
    }

    /** Ingress, dead letters, then every egress queue by name. */
    private static Map<String, Long> depths(ActiveMQServer s) {
        Map<String, Long> depths = new LinkedHashMap<>();
        depths.put(INGRESS, depth(s, INGRESS));
        depths.put(DLQ, depth(s, DLQ));
        // Every connector's egress queue, also of connectors that are not installed right now: their work waits.
        s.getPostOffice().getAddresses().stream().map(Object::toString).filter(a -> a.startsWith(EGRESS_PREFIX))
                .sorted().forEach(a -> depths.put(a, depth(s, a)));
        return depths;
    }

    private static long depth(ActiveMQServer s, String name) {
        Queue q = s.locateQueue(name);
        return q == null ? 0 : q.getMessageCount();
    }
}
