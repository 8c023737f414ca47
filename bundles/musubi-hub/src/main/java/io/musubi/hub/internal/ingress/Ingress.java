package io.musubi.hub.internal.ingress;

import io.musubi.acd.AcdEngine;
import io.musubi.hub.definitions.AcdDefinitions;
import io.musubi.acd.QueueDefinition;
import io.musubi.api.InboundEventListener;
import io.musubi.api.IngressHandler;
import io.musubi.api.InteractionIntake;
import io.musubi.hub.internal.events.AcdHistoryRecorder;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.hub.internal.recovery.AcdRecovery;
import io.musubi.hub.internal.schedule.InteractionScheduler;
import io.musubi.identity.IdentityService;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.ScopedId;
import io.musubi.store.HistoryStore;
import io.musubi.store.IdempotencyRepository;
import io.musubi.store.StoreTransactions;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The hub's ingress: the processing of every inbound event (the ingress route hands each one from the durable queue
 * to {@link IngressHandler}; the REST API submits its own synchronously through {@link InteractionIntake}), wired to
 * identity, the store and the ACD. It starts only once the ACD's events are recorded ({@link AcdHistoryRecorder}), so
 * no routing decision goes unrecorded, and once the stored agents and queues are back in the engine
 * ({@link AcdDefinitions}), so no event waiting in the broker across a restart falls into the default queue for want
 * of its own, and once the ACD's routing state is rebuilt from the store ({@link AcdRecovery}), so no message of a
 * conversation that was waiting or assigned before the restart meets an ACD that does not know it; until then the
 * ingress route does not consume and inbound work waits in the broker. Configuration PID
 * {@code io.musubi.ingress}.
 */
@Component(service = {IngressHandler.class, InteractionIntake.class}, immediate = true,
        configurationPid = "io.musubi.ingress", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = IngressConfiguration.class)
public final class Ingress implements IngressHandler, InteractionIntake {

    /** The tenant whose default queue exists from the start (connectors without a tenant setting use it). */
    static final String DEFAULT_TENANT = "default";

    private final List<InboundEventListener> listeners = new CopyOnWriteArrayList<>();
    private final IngressProcessor processor;
    private final SubmitLimiter submits;

    @Activate
    public Ingress(IngressConfiguration config, @Reference IdentityService identity, @Reference HistoryStore history,
                   @Reference IdempotencyRepository idempotency, @Reference AcdEngine acd,
                   @Reference HubEvents events, @Reference AcdHistoryRecorder recorder,
                   @Reference AcdDefinitions definitions, @Reference AcdRecovery recovery,
                   @Reference StoreTransactions transactions, @Reference InteractionScheduler scheduler) {
        String defaultQueue = ScopedId.of(DEFAULT_TENANT, config.defaultQueue());
        if (config.createDefaultQueue() && acd.queueStatistics(defaultQueue).isEmpty()) {
            acd.defineQueue(QueueDefinition.builder(defaultQueue).name("Default").channels(Channel.values()).build());
        }
        this.submits = new SubmitLimiter(config.maxConcurrentSubmits(), Duration.ofMillis(config.submitWaitMillis()));
        this.processor = new IngressProcessor(identity, history, idempotency, acd, config.defaultQueue(),
                config.createDefaultQueue(), () -> listeners, events, transactions, scheduler::defer);
        this.processor.routeBeforeDurable(recorder::publishCommitted);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(InboundEventListener listener) {
        listeners.add(listener);
    }

    void removeListener(InboundEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public boolean handle(InboundEvent event) throws Exception {
        return processor.handle(event);
    }

    @Override
    public Interaction submit(InboundEvent event) {
        return submits.run(() -> processor.submit(event));
    }

    @Override
    public void record(InteractionEvent event) {
        processor.record(event);
    }
}
