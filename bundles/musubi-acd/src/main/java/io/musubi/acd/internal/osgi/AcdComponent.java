package io.musubi.acd.internal.osgi;

import io.musubi.acd.AcdConfig;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdListener;
import io.musubi.acd.internal.AcdCore;
import io.musubi.acd.spi.RoutingStrategy;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import java.time.Clock;
import java.util.Hashtable;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The ACD engine in OSGi: a Declarative Services component that holds a plain-Java {@link AcdCore} with the system
 * clock, registers it as the {@link AcdEngine} service while active, drives its timers from one daemon thread, and
 * feeds it the {@link RoutingStrategy} and {@link AcdListener} services (whiteboards). Configuration PID
 * {@code io.musubi.acd}.
 */
@Component(name = "io.musubi.acd", service = {}, immediate = true, configurationPid = "io.musubi.acd")
public final class AcdComponent {

    /** Component configuration (properties of PID {@code io.musubi.acd}). */
    public @interface Config {
        /** Tenant of unscoped agent and queue ids (and of their presence events). */
        String tenantId() default "default";

        /** Allowed away reason codes; empty: any. */
        String[] awayReasons() default {};

        /** How often the timers are checked, in milliseconds. */
        long tickMillis() default 100;
    }

    private static final System.Logger LOG = System.getLogger(AcdComponent.class.getName());

    private final AcdCore engine;
    private final ScheduledExecutorService ticker;
    private final String tenantId;
    private ServiceRegistration<AcdEngine> registration;

    @Activate
    public AcdComponent(Config config) {
        tenantId = config.tenantId();
        engine = new AcdCore(AcdConfig.defaults().withTenant(config.tenantId())
                .withAwayReasons(Set.of(config.awayReasons())), Clock.systemUTC());
        long period = Math.max(10, config.tickMillis());
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "musubi-acd-timers");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::safeTick, period, period, TimeUnit.MILLISECONDS);
    }

    /** After the references are bound (listeners first: no event goes unheard): the engine becomes a service. */
    @Activate
    void start(BundleContext context) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("musubi.tenant", tenantId);
        registration = context.registerService(AcdEngine.class, engine, properties);
    }

    private void safeTick() {
        try {
            engine.tick();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "ACD timer tick failed", e);
        }
    }

    @Deactivate
    void deactivate() {
        try {
            if (registration != null) {
                registration.unregister();
            }
        } catch (IllegalStateException alreadyUnregistered) {
            // the bundle is stopping: the framework has unregistered it
        }
        ticker.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStrategy(RoutingStrategy strategy) {
        engine.registerStrategy(strategy);
    }

    void unbindStrategy(RoutingStrategy strategy) {
        engine.unregisterStrategy(strategy.name());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindListener(AcdListener listener) {
        engine.addListener(listener);
    }

    void unbindListener(AcdListener listener) {
        engine.removeListener(listener);
    }
}
