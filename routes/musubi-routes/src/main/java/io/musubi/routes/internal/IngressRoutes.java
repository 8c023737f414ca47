package io.musubi.routes.internal;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.QueueDefinition;
import io.musubi.api.HubEventListener;
import io.musubi.api.InboundEventListener;
import io.musubi.api.InteractionIntake;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.RouteContribution;
import io.musubi.store.HistoryStore;
import io.musubi.store.IdempotencyRepository;
import io.musubi.identity.IdentityService;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.ScopedId;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.RoutesBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Contributes the ingress pipeline to the hub's Camel runtime, wired to identity, history and the ACD, and records
 * the ACD's events in the history. It also offers the pipeline as a synchronous {@link InteractionIntake} for the
 * REST API, and tells the {@link HubEventListener}s about every event it and the ACD record. The route waits for all of them: without the store nothing is consumed, and
 * inbound work stays in the broker.
 */
@Component(service = {RouteContribution.class, InteractionIntake.class}, immediate = true,
        property = MusubiCamel.CONTEXT_PROPERTY + "=musubi-ingress",
        configurationPid = "io.musubi.ingress", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = IngressConfiguration.class)
public final class IngressRoutes implements RouteContribution, InteractionIntake {

    /** The tenant whose default queue exists from the start (connectors without a tenant setting use it). */
    static final String DEFAULT_TENANT = "default";

    private final List<InboundEventListener> listeners = new CopyOnWriteArrayList<>();
    private final HubEvents events = new HubEvents();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final IngressProcessor processor;
    private final AcdEngine acd;
    private final AcdHistoryRecorder recorder;
    private final int concurrentConsumers;

    @Activate
    public IngressRoutes(IngressConfiguration config, @Reference IdentityService identity,
                         @Reference HistoryStore history, @Reference IdempotencyRepository idempotency,
                         @Reference AcdEngine acd) {
        this.acd = acd;
        this.concurrentConsumers = Math.max(1, config.concurrentConsumers());
        String defaultQueue = ScopedId.of(DEFAULT_TENANT, config.defaultQueue());
        if (config.createDefaultQueue() && acd.queueStatistics(defaultQueue).isEmpty()) {
            acd.defineQueue(QueueDefinition.builder(defaultQueue).name("Default").channels(Channel.values()).build());
        }
        this.recorder = new AcdHistoryRecorder(history, events);
        acd.addListener(recorder);
        this.processor = new IngressProcessor(identity, history, idempotency, acd, config.defaultQueue(),
                config.createDefaultQueue(), () -> listeners, events);
    }

    @Deactivate
    void deactivate() {
        acd.removeListener(recorder);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(InboundEventListener listener) {
        listeners.add(listener);
    }

    void removeListener(InboundEventListener listener) {
        listeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEventListener(HubEventListener listener) {
        events.add(listener);
    }

    void removeEventListener(HubEventListener listener) {
        events.remove(listener);
    }

    @Override
    public Interaction submit(InboundEvent event) {
        return processor.submit(event);
    }

    @Override
    public void record(InteractionEvent event) {
        processor.record(event);
    }

    @Override
    public RoutesBuilder createRoutes() {
        String from = MusubiCamel.brokerQueue(MusubiCamel.INGRESS_QUEUE) + "?transacted=true&concurrentConsumers="
                + concurrentConsumers;
        return new IngressRouteBuilder(from, processor, malformed, duplicates, 200);
    }
}
