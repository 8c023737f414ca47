package io.musubi.hub.internal.webhooks;

import io.musubi.api.OutboundAddressPolicy;
import io.musubi.hub.events.WebhookSubscriptions;
import io.musubi.hub.internal.events.EventBus;
import io.musubi.store.WebhookRepository;
import java.time.Clock;
import java.time.Duration;

/** The webhook engine for tests outside its package (the REST adapter's): quick retries, receivers on loopback. */
public final class TestWebhooks {

    /** The answer to a receiver URL whose host is not an allowed target. */
    public static final String TARGET_NOT_ALLOWED = WebhookUrls.TARGET_NOT_ALLOWED;

    private TestWebhooks() {
    }

    /**
     * A started dispatcher fed by {@code bus}: 5 attempts, retries after 50 to 200 ms, 2 parallel calls; close it
     * after the test.
     */
    public static WebhookDispatcher dispatcher(WebhookRepository repository, boolean allowHttpLoopback,
                                               int maxPerTenant, OutboundAddressPolicy targets, EventBus bus) {
        WebhookDispatcher dispatcher = new WebhookDispatcher(repository, new WebhookDispatcher.Settings(
                allowHttpLoopback, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(50),
                Duration.ofMillis(200), 5, 2, Duration.ofMillis(20), Duration.ZERO, maxPerTenant, targets),
                Clock.systemUTC(), bus);
        dispatcher.start();
        return dispatcher;
    }

    /** The subscription service over {@code repository}, applying changes to {@code dispatcher}. */
    public static WebhookSubscriptions subscriptions(WebhookRepository repository, WebhookDispatcher dispatcher) {
        return new WebhookService(repository, dispatcher);
    }
}
