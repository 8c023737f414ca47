package io.musubi.camel.internal;

import io.musubi.camel.CamelRuntime;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.RouteContribution;

import jakarta.jms.ConnectionFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The one place where the hub creates CamelContexts: it tracks {@link RouteContribution} services carrying
 * {@link MusubiCamel#CONTEXT_PROPERTY} and gives each its own context, built with the registering bundle's
 * class space so that bundle's components and classes resolve. A context lives exactly as long as its
 * service, so a connector bundle that is stopped, updated or reconfigured takes its routes with it, and
 * nothing else stops. A context that fails to start is retried with back-off while its service exists.
 */
@Component(service = CamelRuntime.class, immediate = true)
public final class CamelContextWhiteboard implements CamelRuntime {

    private final ConnectionFactory broker;
    private final Map<ServiceReference<RouteContribution>, ManagedContext> contexts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries;
    private final ServiceTracker<RouteContribution, ManagedContext> tracker;

    @Activate
    public CamelContextWhiteboard(BundleContext bundleContext,
                                  @Reference(target = "(musubi.broker=hub)") ConnectionFactory broker)
            throws InvalidSyntaxException {
        this.broker = broker;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "musubi-camel-retry");
            t.setDaemon(true);
            return t;
        });
        Filter filter = bundleContext.createFilter("(&(" + Constants.OBJECTCLASS + "=" + RouteContribution.class.getName()
                + ")(" + MusubiCamel.CONTEXT_PROPERTY + "=*))");
        this.tracker = new ServiceTracker<>(bundleContext, filter, null) {
            @Override
            public ManagedContext addingService(ServiceReference<RouteContribution> reference) {
                if (reference.getBundle() == null || reference.getBundle().getBundleContext() == null) {
                    return null;
                }
                ManagedContext managed = new ManagedContext(reference, CamelContextWhiteboard.this.broker, retries);
                contexts.put(reference, managed);
                managed.start();
                return managed;
            }

            @Override
            public void removedService(ServiceReference<RouteContribution> reference, ManagedContext managed) {
                contexts.remove(reference);
                managed.stop();
            }
        };
        tracker.open(true);
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        retries.shutdownNow();
    }

    @Override
    public List<ContextInfo> contexts() {
        List<ContextInfo> result = new ArrayList<>();
        for (ManagedContext m : contexts.values()) {
            result.add(m.info());
        }
        result.sort(Comparator.comparing(ContextInfo::name));
        return result;
    }

    static void schedule(ScheduledExecutorService executor, Runnable task, long delayMillis) {
        if (!executor.isShutdown()) {
            executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
    }
}
