package io.musubi.routes.internal;

import io.musubi.api.IngressHandler;
import io.musubi.api.MetricSource;
import io.musubi.api.MetricWriter;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.RouteContribution;

import org.apache.camel.RoutesBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Contributes the ingress route to the hub's Camel runtime: the durable ingress queue consumed in broker transactions,
 * each event handed to the hub's {@link IngressHandler}. The route waits for the handler: while the hub's pipeline is
 * not there (store, ACD, identity still starting), nothing is consumed and inbound work stays in the broker.
 * Configuration PID {@code io.musubi.ingress.route}. Its counters (processed, duplicate, malformed, refused) are on the
 * metrics endpoint ({@code musubi_ingress_events_total}).
 */
@Component(service = {RouteContribution.class, MetricSource.class}, immediate = true,
        property = MusubiCamel.CONTEXT_PROPERTY + "=musubi-ingress",
        configurationPid = "io.musubi.ingress.route", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = IngressRoutes.Config.class)
public final class IngressRoutes implements RouteContribution, MetricSource {

    @ObjectClassDefinition(name = "Musubi ingress route", description = "How the durable ingress queue is consumed")
    public @interface Config {
        @AttributeDefinition(description = "Parallel consumers of the ingress queue")
        int concurrentConsumers() default 32;
    }

    private final IngressCounters counters = new IngressCounters();
    private final IngressHandler handler;
    private final int concurrentConsumers;

    @Activate
    public IngressRoutes(Config config, @Reference IngressHandler handler) {
        this.handler = handler;
        this.concurrentConsumers = Math.max(1, config.concurrentConsumers());
    }

    @Override
    public RoutesBuilder createRoutes() {
        String from = MusubiCamel.brokerQueue(MusubiCamel.INGRESS_QUEUE) + "?transacted=true&concurrentConsumers="
                + concurrentConsumers;
        return new IngressRouteBuilder(from, handler, counters, 200);
    }

    @Override
    public void collect(MetricWriter out) {
        counters.collect(out);
    }
}
