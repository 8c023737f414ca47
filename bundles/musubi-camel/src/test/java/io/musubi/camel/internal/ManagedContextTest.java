package io.musubi.camel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.camel.MusubiCamel;
import io.musubi.camel.RouteContribution;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A contributed context whose route contribution cannot be obtained at first (SCR still activating the component on
 * another thread: "Could not obtain lock") is tried again, instead of staying "Starting" for ever.
 */
class ManagedContextTest {

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        retries.shutdownNow();
    }

    /** A reference whose bundle's context answers getService as told. */
    @SuppressWarnings("unchecked")
    private static ServiceReference<RouteContribution> reference(AtomicInteger asked, boolean throwing) {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(ManagedContextTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getService" -> {
                        asked.incrementAndGet();
                        if (throwing) {
                            throw new org.osgi.framework.ServiceException("Could not obtain lock");
                        }
                        yield null;
                    }
                    case "ungetService" -> false;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Bundle bundle = (Bundle) Proxy.newProxyInstance(ManagedContextTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> "test.bundle";
                    case "getBundleContext" -> context;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ServiceReference<RouteContribution>) Proxy.newProxyInstance(
                ManagedContextTest.class.getClassLoader(), new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> MusubiCamel.CONTEXT_PROPERTY.equals(args[0]) ? "ctx.test" : null;
                    case "getBundle" -> bundle;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static void awaitAtLeast(AtomicInteger n, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (n.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("asked " + n.get() + " times, expected " + count);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aContributionNotYetObtainableIsAskedForAgain() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        ManagedContext managed = new ManagedContext(reference(asked, false), null, retries);
        managed.start();
        assertThat(managed.info().status()).startsWith("Failed");
        awaitAtLeast(asked, 2);
        managed.stop();
    }

    @Test
    void aServiceExceptionOnObtainingItIsRetriedToo() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        ManagedContext managed = new ManagedContext(reference(asked, true), null, retries);
        managed.start();
        awaitAtLeast(asked, 2);
        managed.stop();
        int after = asked.get();
        // Stopped: no more tries (the next scheduled one, if any, returns at once).
        assertThat(after).isGreaterThanOrEqualTo(2);
    }
}
