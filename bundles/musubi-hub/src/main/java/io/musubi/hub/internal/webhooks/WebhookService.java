package io.musubi.hub.internal.webhooks;

import io.musubi.hub.events.EventTypes;
import io.musubi.hub.events.WebhookSubscriptions;
import io.musubi.model.InputRules;
import io.musubi.store.WebhookDeliveryPage;
import io.musubi.store.WebhookRepository;
import io.musubi.store.WebhookSubscription;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The tenants' webhook subscriptions over the store, with the rules a new one must pass (its URL as a receiver under
 * the dispatcher's settings, known event types, the per-tenant cap); every change is applied to the
 * {@link WebhookDispatcher} at once.
 */
@Component(service = WebhookSubscriptions.class)
public final class WebhookService implements WebhookSubscriptions {

    static final int MAX_DESCRIPTION = 256;

    private final WebhookRepository repository;
    private final WebhookDispatcher dispatcher;

    @Activate
    public WebhookService(@Reference WebhookRepository repository, @Reference WebhookDispatcher dispatcher) {
        this.repository = repository;
        this.dispatcher = dispatcher;
    }

    @Override
    public WebhookSubscription create(String tenantId, String url, List<String> eventTypes, String description) {
        WebhookDispatcher.Settings settings = dispatcher.settings();
        String urlProblem = WebhookUrls.problem(url, settings.allowHttpLoopback(), settings.targets());
        if (urlProblem != null) {
            throw new IllegalArgumentException(urlProblem);
        }
        Set<String> types = types(eventTypes);
        String checkedDescription = InputRules.optionalName("description", description, MAX_DESCRIPTION);
        int max = settings.maxSubscriptionsPerTenant();
        if (repository.subscriptions(tenantId).size() >= max) {
            throw new IllegalStateException("at most " + max + " webhooks per tenant");
        }
        WebhookSubscription s = repository.createSubscription(tenantId, url, types, checkedDescription,
                WebhookSignature.newSecret());
        dispatcher.refresh();
        return s;
    }

    /** The event types asked for: known ones, or {@code *}; at least one. */
    static Set<String> types(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("events: at least one event type (or \"*\") is required");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String e : events) {
            if (e == null || !(EventTypes.ALL.contains(e) || e.equals(WebhookSubscription.ALL_TYPES))) {
                throw new IllegalArgumentException("events: unknown event type; \"*\" or one of "
                        + String.join(", ", EventTypes.ALL));
            }
            types.add(e);
        }
        return types;
    }

    @Override
    public List<WebhookSubscription> list(String tenantId) {
        return repository.subscriptions(tenantId);
    }

    @Override
    public Optional<WebhookSubscription> find(String tenantId, String id) {
        return repository.findSubscription(tenantId, id);
    }

    @Override
    public boolean delete(String tenantId, String id) {
        if (!repository.deleteSubscription(tenantId, id)) {
            return false;
        }
        dispatcher.refresh();
        return true;
    }

    @Override
    public WebhookDeliveryPage deliveries(String tenantId, String subscriptionId, String cursor, int limit) {
        return repository.deliveries(tenantId, subscriptionId, cursor, limit);
    }
}
