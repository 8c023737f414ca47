package io.musubi.rest.internal.metrics;

import io.musubi.api.Health;
import io.musubi.api.MetricSource;
import io.musubi.api.MetricWriter;
import io.musubi.spi.Connector;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Every connector instance's health and counters ({@link Connector#counters()}: received, malformed, rejected, ...),
 * labelled by connector id and type. The labels are the operators' configuration and the connectors' own counter
 * names, so their number stays bounded.
 */
@Component(service = MetricSource.class)
public final class ConnectorMetrics implements MetricSource {

    private final List<Connector> connectors = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addConnector(Connector connector) {
        connectors.add(connector);
    }

    public void removeConnector(Connector connector) {
        connectors.remove(connector);
    }

    @Override
    public void collect(MetricWriter out) {
        for (Connector c : connectors) {
            Map<String, String> labels = Map.of("connector", c.id(), "type", c.type());
            Health.Status status;
            Map<String, Long> counters;
            try {
                status = c.health().status();
                counters = c.counters();
            } catch (RuntimeException e) {
                status = Health.Status.DOWN;
                counters = Map.of();
            }
            out.gauge("musubi_connector_health", "Connector health: 2 UP, 1 DEGRADED, 0 DOWN",
                    Map.of("connector", c.id(), "type", c.type(), "channel", c.channel().name()),
                    switch (status) {
                        case UP -> 2;
                        case DEGRADED -> 1;
                        case DOWN -> 0;
                    });
            counters.forEach((counter, value) -> out.counter("musubi_connector_events_total",
                    "What a connector counted (received, malformed, rejected, delivered, failed, ...), by counter",
                    with(labels, "counter", counter), value));
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        java.util.HashMap<String, String> out = new java.util.HashMap<>(labels);
        out.put(name, value);
        return out;
    }
}
