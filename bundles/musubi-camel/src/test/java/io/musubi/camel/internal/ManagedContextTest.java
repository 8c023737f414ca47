package io.musubi.camel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.camel.MusubiCamel;
import io.musubi.camel.RouteContribution;
import java.lang.reflect.Proxy;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceException;
import org.osgi.framework.ServiceReference;

/** Starting a contributed context when its contribution cannot be had yet. */
class ManagedContextTest {

    private final ScheduledThreadPoolExecutor retries = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        retries.shutdownNow();
    }

    @SuppressWarnings("unchecked")
    private static ServiceReference<RouteContribution> reference(BundleContext context) {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(ManagedContextTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (p, m, a) -> switch (m.getName()) {
                    case "getBundleContext" -> context;
                    case "getSymbolicName" -> "io.musubi.routes";
                    default -> null;
                });
        return (ServiceReference<RouteContribution>) Proxy.newProxyInstance(
                ManagedContextTest.class.getClassLoader(), new Class<?>[] {ServiceReference.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getBundle" -> bundle;
                    case "getProperty" -> MusubiCamel.CONTEXT_PROPERTY.equals(a[0]) ? "musubi-ingress" : null;
                    default -> null;
                });
    }

    @Test
    void aContributionSCRCouldNotHandOutInTimeIsTriedAgainLater() {
        AtomicInteger asked = new AtomicInteger();
        // SCR under load: the contributing component's activation holds its lock longer than SCR waits.
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> {
                    if (m.getName().equals("getService")) {
                        asked.incrementAndGet();
                        throw new ServiceException("Service factory exception: Could not obtain lock",
                                ServiceException.FACTORY_EXCEPTION);
                    }
                    return null;
                });
        ManagedContext managed = new ManagedContext(reference(context), null, retries);

        managed.start();

        assertThat(asked.get()).isEqualTo(1);
        assertThat(retries.getQueue()).as("a retry is scheduled").hasSize(1);
        assertThat(managed.info().status()).isEqualTo("Failed: ServiceException");
    }
}
