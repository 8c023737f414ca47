package io.musubi.camel.internal;

import io.musubi.camel.CamelRuntime.ContextInfo;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.RouteContribution;

import jakarta.jms.ConnectionFactory;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.Route;
import org.apache.camel.component.sjms.SjmsComponent;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One contributed CamelContext: built from a {@link RouteContribution} under the contributing bundle's
 * BundleContext, with the {@code broker} component bound. Starting is retried with back-off (1 s doubling
 * to 60 s) until it succeeds or the contribution goes away.
 */
final class ManagedContext {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedContext.class);
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 60_000;

    private final ServiceReference<RouteContribution> reference;
    private final ConnectionFactory broker;
    private final ScheduledExecutorService retries;
    private final String name;
    private final String bundleName;
    private OsgiDefaultCamelContext context;
    private long nextRetryMillis = FIRST_RETRY_MILLIS;
    private boolean stopped;
    private String lastError = "";

    ManagedContext(ServiceReference<RouteContribution> reference, ConnectionFactory broker,
                   ScheduledExecutorService retries) {
        this.reference = reference;
        this.broker = broker;
        this.retries = retries;
        this.name = String.valueOf(reference.getProperty(MusubiCamel.CONTEXT_PROPERTY));
        Bundle b = reference.getBundle();
        this.bundleName = b == null ? "" : b.getSymbolicName();
    }

    synchronized void start() {
        if (stopped || context != null) {
            return;
        }
        Bundle owner = reference.getBundle();
        BundleContext ownerContext = owner == null ? null : owner.getBundleContext();
        if (ownerContext == null) {
            return;
        }
        RouteContribution contribution;
        try {
            // Under load SCR may give up waiting for the contributing component (its activation holds a lock): a
            // ServiceException, or null when the activation failed. Either way, try again later.
            contribution = ownerContext.getService(reference);
            if (contribution == null) {
                throw new IllegalStateException("the route contribution is not available yet");
            }
        } catch (RuntimeException e) {
            lastError = e.getClass().getSimpleName();
            retryLater(e);
            return;
        }
        OsgiDefaultCamelContext candidate = new OsgiDefaultCamelContext(ownerContext);
        try {
            candidate.getCamelContextExtension().setName(name);
            candidate.getShutdownStrategy().setTimeout(10);
            candidate.getShutdownStrategy().setSuppressLoggingOnTimeout(false);
            SjmsComponent brokerComponent = new SjmsComponent();
            brokerComponent.setConnectionFactory(broker);
            candidate.addComponent(MusubiCamel.BROKER_COMPONENT, brokerComponent);
            candidate.addRoutes(contribution.createRoutes());
            candidate.start();
            context = candidate;
            lastError = "";
            nextRetryMillis = FIRST_RETRY_MILLIS;
            LOG.info("Started Camel context {} for bundle {} with {} routes", name, bundleName,
                    candidate.getRoutes().size());
        } catch (Exception e) {
            lastError = e.getClass().getSimpleName();
            try {
                candidate.stop();
            } catch (RuntimeException ignored) {
                // the start failure is the one to report
            }
            ownerContext.ungetService(reference);
            retryLater(e);
        }
    }

    private void retryLater(Exception e) {
        LOG.warn("Could not start Camel context {} for bundle {}; retrying in {} ms", name, bundleName,
                nextRetryMillis, e);
        long delay = nextRetryMillis;
        nextRetryMillis = Math.min(MAX_RETRY_MILLIS, nextRetryMillis * 2);
        CamelContextWhiteboard.schedule(retries, this::start, delay);
    }

    synchronized void stop() {
        stopped = true;
        if (context == null) {
            return;
        }
        try {
            context.stop();
            LOG.info("Stopped Camel context {}", name);
        } catch (RuntimeException e) {
            LOG.warn("Camel context {} did not stop cleanly", name, e);
        } finally {
            context = null;
            Bundle owner = reference.getBundle();
            if (owner != null && owner.getBundleContext() != null) {
                owner.getBundleContext().ungetService(reference);
            }
        }
    }

    synchronized ContextInfo info() {
        if (context == null) {
            return new ContextInfo(name, bundleName, lastError.isEmpty() ? "Starting" : "Failed: " + lastError, 0, 0);
        }
        List<Route> routes = context.getRoutes();
        int started = (int) routes.stream()
                .filter(r -> context.getRouteController().getRouteStatus(r.getRouteId()).isStarted())
                .count();
        return new ContextInfo(name, bundleName, context.getStatus().toString(), routes.size(), started);
    }
}
