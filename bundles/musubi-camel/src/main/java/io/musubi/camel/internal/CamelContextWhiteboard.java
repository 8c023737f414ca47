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

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.sjms.SjmsComponent;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.osgi.framework.Bundle;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the hub creates CamelContexts: it tracks {@link RouteContribution} services carrying
 * {@link MusubiCamel#CONTEXT_PROPERTY} and gives each its own context, built with the registering bundle's
 * class space so that bundle's components and classes resolve. A context lives exactly as long as its
 * service, so a connector bundle that is stopped, updated or reconfigured takes its routes with it, and
 * nothing else stops.
 */
@Component(service = CamelRuntime.class, immediate = true)
public final class CamelContextWhiteboard implements CamelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(CamelContextWhiteboard.class);

    private final ConnectionFactory broker;
    private final Map<ServiceReference<RouteContribution>, CamelContext> contexts = new ConcurrentHashMap<>();
    private final ServiceTracker<RouteContribution, CamelContext> tracker;

    @Activate
    public CamelContextWhiteboard(BundleContext bundleContext,
                                  @Reference(target = "(musubi.broker=hub)") ConnectionFactory broker)
            throws InvalidSyntaxException {
        this.broker = broker;
        Filter filter = bundleContext.createFilter("(&(" + Constants.OBJECTCLASS + "=" + RouteContribution.class.getName()
                + ")(" + MusubiCamel.CONTEXT_PROPERTY + "=*))");
        this.tracker = new ServiceTracker<>(bundleContext, filter, null) {
            @Override
            public CamelContext addingService(ServiceReference<RouteContribution> reference) {
                return start(reference);
            }

            @Override
            public void removedService(ServiceReference<RouteContribution> reference, CamelContext context) {
                stop(reference, context);
                super.removedService(reference, context);
            }
        };
        tracker.open(true);
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    private CamelContext start(ServiceReference<RouteContribution> reference) {
        Bundle owner = reference.getBundle();
        BundleContext ownerContext = owner == null ? null : owner.getBundleContext();
        if (ownerContext == null) {
            return null;
        }
        String name = String.valueOf(reference.getProperty(MusubiCamel.CONTEXT_PROPERTY));
        RouteContribution contribution = ownerContext.getService(reference);
        if (contribution == null) {
            return null;
        }
        OsgiDefaultCamelContext context = new OsgiDefaultCamelContext(ownerContext);
        try {
            context.getCamelContextExtension().setName(name);
            context.getShutdownStrategy().setTimeout(10);
            context.getShutdownStrategy().setSuppressLoggingOnTimeout(false);
            SjmsComponent brokerComponent = new SjmsComponent();
            brokerComponent.setConnectionFactory(broker);
            context.addComponent(MusubiCamel.BROKER_COMPONENT, brokerComponent);
            context.addRoutes(contribution.createRoutes());
            context.start();
            contexts.put(reference, context);
            LOG.info("Started Camel context {} for bundle {} with {} routes", name, owner.getSymbolicName(),
                    context.getRoutes().size());
            return context;
        } catch (Exception e) {
            LOG.error("Could not start Camel context {} for bundle {}", name, owner.getSymbolicName(), e);
            try {
                context.stop();
            } catch (RuntimeException ignored) {
                // already failing; the first error is the one that matters
            }
            ownerContext.ungetService(reference);
            return null;
        }
    }

    private void stop(ServiceReference<RouteContribution> reference, CamelContext context) {
        contexts.remove(reference);
        Bundle owner = reference.getBundle();
        if (owner != null && owner.getBundleContext() != null) {
            owner.getBundleContext().ungetService(reference);
        }
        String name = context.getName();
        try {
            context.stop();
            LOG.info("Stopped Camel context {}", name);
        } catch (RuntimeException e) {
            LOG.warn("Camel context {} did not stop cleanly", name, e);
        }
    }

    @Override
    public List<ContextInfo> contexts() {
        List<ContextInfo> result = new ArrayList<>();
        contexts.forEach((ref, ctx) -> {
            Bundle b = ref.getBundle();
            List<Route> routes = ctx.getRoutes();
            int started = (int) routes.stream()
                    .filter(r -> ctx.getRouteController().getRouteStatus(r.getRouteId()).isStarted())
                    .count();
            result.add(new ContextInfo(ctx.getName(), b == null ? "" : b.getSymbolicName(),
                    ctx.getStatus().toString(), routes.size(), started));
        });
        result.sort(Comparator.comparing(ContextInfo::name));
        return result;
    }

}
