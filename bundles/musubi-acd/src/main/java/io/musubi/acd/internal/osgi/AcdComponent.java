package io.musubi.acd.internal.osgi;

import io.musubi.acd.AcdConfig;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdListener;
import io.musubi.acd.internal.AcdCore;
import io.musubi.acd.spi.RoutingStrategy;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The ACD engine as a Declarative Services component: the plain-Java {@link AcdCore} with the system clock, a
 * single daemon thread that drives its timers, and whiteboards for {@link RoutingStrategy} and {@link AcdListener}
 * services. Configuration PID {@code io.musubi.acd}.
 */
@Component(name = "io.musubi.acd", service = AcdEngine.class, immediate = true,
        configurationPid = "io.musubi.acd")
public class AcdComponent extends AcdCore {

    /** Component configuration (properties of PID {@code io.musubi.acd}). */
    public @interface Config {
        /** Tenant of unscoped agent and queue ids (and of their presence events). */
        String tenantId() default "default";

        /** Allowed away reason codes; empty: any. */
        String[] awayReasons() default {};

        /** How often the timers are checked, in milliseconds. */
        long tickMillis() default 100;
    }

    private final ScheduledExecutorService ticker;

    @Activate
    public AcdComponent(Config config) {
        super(AcdConfig.defaults().withTenant(config.tenantId()).withAwayReasons(Set.of(config.awayReasons())),
                Clock.systemUTC());
        long period = Math.max(10, config.tickMillis());
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "musubi-acd-timers");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::safeTick, period, period, TimeUnit.MILLISECONDS);
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            System.getLogger(AcdComponent.class.getName()).log(System.Logger.Level.ERROR, "ACD timer tick failed", e);
        }
    }

    @Deactivate
    void deactivate() {
        ticker.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStrategy(RoutingStrategy strategy) {
        registerStrategy(strategy);
    }

    void unbindStrategy(RoutingStrategy strategy) {
        unregisterStrategy(strategy.name());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindListener(AcdListener listener) {
        addListener(listener);
    }

    void unbindListener(AcdListener listener) {
        removeListener(listener);
    }
}
