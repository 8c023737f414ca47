package io.musubi.identity.internal.osgi;

import io.musubi.store.CustomerRepository;
import io.musubi.store.CustomerResolution;
import io.musubi.store.MergeRecord;
import io.musubi.identity.AddressNormalizer;
import io.musubi.identity.EnrichmentHook;
import io.musubi.identity.IdentityService;
import io.musubi.identity.IdentityServices;
import io.musubi.model.Address;
import io.musubi.model.Customer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes {@link IdentityService} on the {@link CustomerRepository} service, with every {@link EnrichmentHook}
 * service (highest service ranking first; hooks may come and go at run time).
 */
@Component(configurationPid = "io.musubi.identity", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = IdentityService.class)
@Designate(ocd = IdentityConfig.class)
public final class IdentityComponent implements IdentityService {

    /** Hooks by (negated ranking, service id), so iteration is highest ranking first. */
    private final ConcurrentSkipListMap<HookKey, EnrichmentHook> hooks = new ConcurrentSkipListMap<>();

    @Reference
    private CustomerRepository repository;

    private IdentityService delegate;

    private record HookKey(int ranking, long serviceId) implements Comparable<HookKey> {
        @Override
        public int compareTo(HookKey o) {
            int byRanking = Integer.compare(o.ranking, ranking);
            return byRanking != 0 ? byRanking : Long.compare(serviceId, o.serviceId);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addHook(EnrichmentHook hook, Map<String, Object> properties) {
        hooks.put(key(properties), hook);
    }

    void removeHook(EnrichmentHook hook, Map<String, Object> properties) {
        hooks.entrySet().removeIf(e -> e.getValue() == hook);
    }

    private static HookKey key(Map<String, Object> properties) {
        Object ranking = properties.get("service.ranking");
        Object id = properties.get("service.id");
        return new HookKey(ranking instanceof Integer r ? r : 0, id instanceof Long l ? l : 0L);
    }

    @Activate
    void activate(IdentityConfig config) {
        delegate = IdentityServices.create(repository, new AddressNormalizer(config.defaultRegion()),
                () -> List.copyOf(hooks.values()));
    }

    @Override
    public Address normalize(Address address) {
        return delegate.normalize(address);
    }

    @Override
    public CustomerResolution resolve(String tenantId, Address address) {
        return delegate.resolve(tenantId, address);
    }

    @Override
    public Optional<Customer> findByAddress(String tenantId, Address address) {
        return delegate.findByAddress(tenantId, address);
    }

    @Override
    public Optional<Customer> find(String tenantId, String customerId) {
        return delegate.find(tenantId, customerId);
    }

    @Override
    public Customer create(String tenantId, String displayName) {
        return delegate.create(tenantId, displayName);
    }

    @Override
    public Customer link(String tenantId, String customerId, Address address) {
        return delegate.link(tenantId, customerId, address);
    }

    @Override
    public Customer unlink(String tenantId, String customerId, Address address) {
        return delegate.unlink(tenantId, customerId, address);
    }

    @Override
    public MergeRecord merge(String tenantId, String survivorId, String mergedId, String actor) {
        return delegate.merge(tenantId, survivorId, mergedId, actor);
    }

    @Override
    public Customer split(String tenantId, String mergeId, String actor) {
        return delegate.split(tenantId, mergeId, actor);
    }

    @Override
    public List<MergeRecord> merges(String tenantId, String customerId) {
        return delegate.merges(tenantId, customerId);
    }

    @Override
    public Customer setDisplayName(String tenantId, String customerId, String displayName) {
        return delegate.setDisplayName(tenantId, customerId, displayName);
    }

    @Override
    public Customer setVip(String tenantId, String customerId, boolean vip) {
        return delegate.setVip(tenantId, customerId, vip);
    }

    @Override
    public Customer addTags(String tenantId, String customerId, Set<String> tags) {
        return delegate.addTags(tenantId, customerId, tags);
    }

    @Override
    public Customer removeTags(String tenantId, String customerId, Set<String> tags) {
        return delegate.removeTags(tenantId, customerId, tags);
    }

    @Override
    public Customer setExternalRef(String tenantId, String customerId, String system, String reference) {
        return delegate.setExternalRef(tenantId, customerId, system, reference);
    }

    @Override
    public Customer removeExternalRef(String tenantId, String customerId, String system) {
        return delegate.removeExternalRef(tenantId, customerId, system);
    }

    @Override
    public Optional<Customer> findByExternalRef(String tenantId, String system, String reference) {
        return delegate.findByExternalRef(tenantId, system, reference);
    }

    @Override
    public Customer enrich(String tenantId, String customerId) {
        return delegate.enrich(tenantId, customerId);
    }
}
