package io.musubi.routes.internal;

import io.musubi.api.InboundEventListener;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.RouteContribution;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Contributes the ingress pipeline to the hub's Camel runtime and hands accepted events to every
 * {@link InboundEventListener} service.
 *
 * <p>De-duplication currently keeps the last 100 000 keys in memory: duplicates from redelivery while
 * the hub runs are dropped; the persistent repository of the history store replaces it (issue #4).
 */
@Component(service = RouteContribution.class, immediate = true,
        property = MusubiCamel.CONTEXT_PROPERTY + "=musubi-ingress")
public final class IngressRoutes implements RouteContribution {

    private final List<InboundEventListener> listeners = new CopyOnWriteArrayList<>();
    private final IdempotentRepository repository = MemoryIdempotentRepository.memoryIdempotentRepository(100_000);
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(InboundEventListener listener) {
        listeners.add(listener);
    }

    void removeListener(InboundEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public RoutesBuilder createRoutes() {
        String from = MusubiCamel.brokerQueue(MusubiCamel.INGRESS_QUEUE) + "?transacted=true&concurrentConsumers=1";
        return new IngressRouteBuilder(from, () -> listeners, repository, malformed, duplicates, 200);
    }
}
