package io.musubi.history.internal.osgi;

import io.musubi.history.ApiIdempotencyRepository;
import io.musubi.history.ApiKey;
import io.musubi.history.ApiKeyRepository;
import io.musubi.history.CustomerRepository;
import io.musubi.history.CustomerResolution;
import io.musubi.history.DefinitionRepository;
import io.musubi.history.ErasureReport;
import io.musubi.history.HistoryStore;
import io.musubi.history.IdempotencyRepository;
import io.musubi.history.IssuedApiKey;
import io.musubi.history.JdbcHistory;
import io.musubi.history.JdbcSettings;
import io.musubi.history.JourneyPage;
import io.musubi.history.JourneyQuery;
import io.musubi.history.LinkNonceRepository;
import io.musubi.history.MergeRecord;
import io.musubi.history.WebhookDelivery;
import io.musubi.history.WebhookDeliveryPage;
import io.musubi.history.WebhookRepository;
import io.musubi.history.WebhookSubscription;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Customer;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the JDBC history store as the services {@link HistoryStore}, {@link CustomerRepository},
 * {@link IdempotencyRepository}, {@link ApiKeyRepository} and {@link WebhookRepository} (by delegation), and
 * {@link DefinitionRepository} and {@link ApiIdempotencyRepository} (registered as they are), configured by PID
 * {@code io.musubi.history}. A configuration change restarts the component (and its pool); the password is never
 * logged.
 */
@Component(configurationPid = "io.musubi.history", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {HistoryStore.class, CustomerRepository.class, IdempotencyRepository.class, ApiKeyRepository.class,
            WebhookRepository.class})
@Designate(ocd = HistoryConfig.class)
public final class HistoryComponent implements HistoryStore, CustomerRepository, IdempotencyRepository,
        ApiKeyRepository, WebhookRepository {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryComponent.class);

    private JdbcHistory history;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Activate
    void activate(BundleContext context, HistoryConfig config) {
        JdbcSettings settings = new JdbcSettings(url(config), config.user(), config.password(), config.maxPoolSize(),
                config.syncCommits());
        String node = config.nodeId() == null || config.nodeId().isBlank() ? JdbcHistory.defaultNodeId()
                : config.nodeId().trim();
        history = JdbcHistory.open(settings, Clock.systemUTC(), node);
        // Repositories added after the first three are registered as they are, without delegation.
        registrations.add(context.registerService(DefinitionRepository.class, history.definitions(), null));
        registrations.add(context.registerService(ApiIdempotencyRepository.class, history.apiIdempotency(), null));
        registrations.add(context.registerService(LinkNonceRepository.class, history.linkNonces(), null));
        LOG.info("history store on {} ({}), node {}", settings.maskedUrl(), history.databaseProduct(), node);
    }

    static String url(HistoryConfig config) {
        String url = config.jdbcUrl() == null ? "" : config.jdbcUrl().trim();
        if (!url.isEmpty()) {
            return url;
        }
        Path base = Path.of(System.getProperty("karaf.data", "data"), "musubi", "history");
        return "jdbc:h2:file:" + base.toAbsolutePath();
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
        if (history != null) {
            history.close();
            history = null;
        }
    }

    // ---------------------------------------------------------------- HistoryStore

    @Override
    public boolean append(InteractionEvent event) {
        return history.store().append(event);
    }

    @Override
    public int appendAll(List<InteractionEvent> events) {
        return history.store().appendAll(events);
    }

    @Override
    public void saveInteraction(Interaction interaction) {
        history.store().saveInteraction(interaction);
    }

    @Override
    public Optional<Interaction> findInteraction(String tenantId, String interactionId) {
        return history.store().findInteraction(tenantId, interactionId);
    }

    @Override
    public Optional<Interaction> findOpenInteraction(String tenantId, Channel channel, String threadKey) {
        return history.store().findOpenInteraction(tenantId, channel, threadKey);
    }

    @Override
    public List<InteractionEvent> interactionEvents(String tenantId, String interactionId) {
        return history.store().interactionEvents(tenantId, interactionId);
    }

    @Override
    public JourneyPage journey(JourneyQuery query) {
        return history.store().journey(query);
    }

    @Override
    public Map<Channel, Long> eventCounts(String tenantId, String customerId) {
        return history.store().eventCounts(tenantId, customerId);
    }

    @Override
    public void exportCustomer(String tenantId, String customerId, OutputStream out) throws IOException {
        history.store().exportCustomer(tenantId, customerId, out);
    }

    @Override
    public ErasureReport eraseCustomer(String tenantId, String customerId, String actor) {
        return history.store().eraseCustomer(tenantId, customerId, actor);
    }

    @Override
    public long purgeBefore(String tenantId, Instant cutoff) {
        return history.store().purgeBefore(tenantId, cutoff);
    }

    // ---------------------------------------------------------------- CustomerRepository

    @Override
    public CustomerResolution resolveOrCreate(String tenantId, Address address) {
        return history.customers().resolveOrCreate(tenantId, address);
    }

    @Override
    public Optional<Customer> findByAddress(String tenantId, Address address) {
        return history.customers().findByAddress(tenantId, address);
    }

    @Override
    public Optional<Customer> find(String tenantId, String customerId) {
        return history.customers().find(tenantId, customerId);
    }

    @Override
    public Optional<String> survivorOf(String tenantId, String customerId) {
        return history.customers().survivorOf(tenantId, customerId);
    }

    @Override
    public Customer create(String tenantId, String displayName) {
        return history.customers().create(tenantId, displayName);
    }

    @Override
    public Customer linkAddress(String tenantId, String customerId, Address address) {
        return history.customers().linkAddress(tenantId, customerId, address);
    }

    @Override
    public Customer unlinkAddress(String tenantId, String customerId, Address address) {
        return history.customers().unlinkAddress(tenantId, customerId, address);
    }

    @Override
    public Customer setDisplayName(String tenantId, String customerId, String displayName) {
        return history.customers().setDisplayName(tenantId, customerId, displayName);
    }

    @Override
    public Customer addTags(String tenantId, String customerId, Set<String> tags) {
        return history.customers().addTags(tenantId, customerId, tags);
    }

    @Override
    public Customer removeTags(String tenantId, String customerId, Set<String> tags) {
        return history.customers().removeTags(tenantId, customerId, tags);
    }

    @Override
    public Customer putExternalRef(String tenantId, String customerId, String system, String reference) {
        return history.customers().putExternalRef(tenantId, customerId, system, reference);
    }

    @Override
    public Customer removeExternalRef(String tenantId, String customerId, String system) {
        return history.customers().removeExternalRef(tenantId, customerId, system);
    }

    @Override
    public Optional<Customer> findByExternalRef(String tenantId, String system, String reference) {
        return history.customers().findByExternalRef(tenantId, system, reference);
    }

    @Override
    public MergeRecord merge(String tenantId, String survivorId, String mergedId, String actor) {
        return history.customers().merge(tenantId, survivorId, mergedId, actor);
    }

    @Override
    public Customer split(String tenantId, String mergeId, String actor) {
        return history.customers().split(tenantId, mergeId, actor);
    }

    @Override
    public List<MergeRecord> merges(String tenantId, String customerId) {
        return history.customers().merges(tenantId, customerId);
    }

    @Override
    public Optional<MergeRecord> findMerge(String tenantId, String mergeId) {
        return history.customers().findMerge(tenantId, mergeId);
    }

    // ---------------------------------------------------------------- IdempotencyRepository

    @Override
    public boolean markProcessed(String tenantId, String source, String eventId) {
        return history.idempotency().markProcessed(tenantId, source, eventId);
    }

    @Override
    public boolean isProcessed(String tenantId, String source, String eventId) {
        return history.idempotency().isProcessed(tenantId, source, eventId);
    }

    @Override
    public boolean unmark(String tenantId, String source, String eventId) {
        return history.idempotency().unmark(tenantId, source, eventId);
    }

    @Override
    public long purgeRecordedBefore(Instant cutoff) {
        return history.idempotency().purgeRecordedBefore(cutoff);
    }

    // ---------------------------------------------------------------- ApiKeyRepository

    @Override
    public IssuedApiKey create(String tenantId, String name, Set<String> roles, String agentId) {
        return history.apiKeys().create(tenantId, name, roles, agentId);
    }

    @Override
    public Optional<ApiKey> find(String id) {
        return history.apiKeys().find(id);
    }

    @Override
    public List<ApiKey> list(String tenantId) {
        return history.apiKeys().list(tenantId);
    }

    @Override
    public boolean revoke(String tenantId, String id) {
        return history.apiKeys().revoke(tenantId, id);
    }

    @Override
    public boolean anyActive() {
        return history.apiKeys().anyActive();
    }

    // ---------------------------------------------------------------- WebhookRepository

    @Override
    public WebhookSubscription createSubscription(String tenantId, String url, Set<String> eventTypes,
                                                  String description, String secret) {
        return history.webhooks().createSubscription(tenantId, url, eventTypes, description, secret);
    }

    @Override
    public Optional<WebhookSubscription> findSubscription(String tenantId, String id) {
        return history.webhooks().findSubscription(tenantId, id);
    }

    @Override
    public List<WebhookSubscription> subscriptions(String tenantId) {
        return history.webhooks().subscriptions(tenantId);
    }

    @Override
    public List<WebhookSubscription> activeSubscriptions() {
        return history.webhooks().activeSubscriptions();
    }

    @Override
    public boolean deleteSubscription(String tenantId, String id) {
        return history.webhooks().deleteSubscription(tenantId, id);
    }

    @Override
    public List<WebhookDelivery> addDeliveries(String tenantId, List<String> subscriptionIds, long eventId,
                                               String eventType, String payload) {
        return history.webhooks().addDeliveries(tenantId, subscriptionIds, eventId, eventType, payload);
    }

    @Override
    public Optional<WebhookDelivery> findDelivery(String tenantId, String id) {
        return history.webhooks().findDelivery(tenantId, id);
    }

    @Override
    public List<WebhookDelivery> claimDue(Instant now, int limit, Instant claimUntil) {
        return history.webhooks().claimDue(now, limit, claimUntil);
    }

    @Override
    public void recordDelivered(String tenantId, String id, int attempts, int httpStatus, Instant at) {
        history.webhooks().recordDelivered(tenantId, id, attempts, httpStatus, at);
    }

    @Override
    public void recordRetry(String tenantId, String id, int attempts, int httpStatus, String error,
                            Instant nextAttemptAt) {
        history.webhooks().recordRetry(tenantId, id, attempts, httpStatus, error, nextAttemptAt);
    }

    @Override
    public void recordFailed(String tenantId, String id, int attempts, int httpStatus, String error, Instant at) {
        history.webhooks().recordFailed(tenantId, id, attempts, httpStatus, error, at);
    }

    @Override
    public void release(String tenantId, String id, Instant at) {
        history.webhooks().release(tenantId, id, at);
    }

    @Override
    public WebhookDeliveryPage deliveries(String tenantId, String subscriptionId, String cursor, int limit) {
        return history.webhooks().deliveries(tenantId, subscriptionId, cursor, limit);
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        return history.webhooks().purgeFinishedBefore(cutoff);
    }

    @Override
    public String toString() {
        return "HistoryComponent[" + (history == null ? "inactive" : history.databaseProduct()) + "]";
    }
}
