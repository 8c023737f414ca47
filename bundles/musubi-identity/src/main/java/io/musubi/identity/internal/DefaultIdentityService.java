package io.musubi.identity.internal;

import io.musubi.history.CustomerRepository;
import io.musubi.history.CustomerResolution;
import io.musubi.history.MergeRecord;
import io.musubi.identity.AddressNormalizer;
import io.musubi.identity.Enrichment;
import io.musubi.identity.EnrichmentHook;
import io.musubi.identity.IdentityService;
import io.musubi.model.Address;
import io.musubi.model.Customer;
import io.musubi.model.InputRules;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link IdentityService} on a {@link CustomerRepository}. */
public final class DefaultIdentityService implements IdentityService {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultIdentityService.class);

    private final CustomerRepository repository;
    private final AddressNormalizer normalizer;
    private final Supplier<? extends Collection<EnrichmentHook>> hooks;

    public DefaultIdentityService(CustomerRepository repository, AddressNormalizer normalizer,
                                  Supplier<? extends Collection<EnrichmentHook>> hooks) {
        this.repository = repository;
        this.normalizer = normalizer;
        this.hooks = hooks;
    }

    @Override
    public Address normalize(Address address) {
        return normalizer.normalize(address);
    }

    @Override
    public CustomerResolution resolve(String tenantId, Address address) {
        requireTenant(tenantId);
        Address normalized = normalizer.normalize(address);
        CustomerResolution resolution = repository.resolveOrCreate(tenantId, normalized);
        if (LOG.isDebugEnabled()) {
            LOG.debug("tenant {}: {} resolved to customer {}{}", tenantId, normalized.masked(),
                    resolution.customer().id(), resolution.created() ? " (new)" : "");
        }
        Customer enriched = runHooks(tenantId, resolution.customer(), Optional.of(normalized), resolution.created());
        return new CustomerResolution(enriched, resolution.created());
    }

    @Override
    public Optional<Customer> findByAddress(String tenantId, Address address) {
        requireTenant(tenantId);
        return repository.findByAddress(tenantId, normalizer.normalize(address));
    }

    @Override
    public Optional<Customer> find(String tenantId, String customerId) {
        requireTenant(tenantId);
        return repository.find(tenantId, customerId);
    }

    @Override
    public Customer create(String tenantId, String displayName) {
        requireTenant(tenantId);
        return repository.create(tenantId, displayName(displayName));
    }

    @Override
    public Customer link(String tenantId, String customerId, Address address) {
        requireTenant(tenantId);
        Address normalized = normalizer.normalize(address);
        Customer customer = repository.linkAddress(tenantId, customerId, normalized);
        LOG.info("tenant {}: {} linked to customer {}", tenantId, normalized.masked(), customer.id());
        return customer;
    }

    @Override
    public Customer unlink(String tenantId, String customerId, Address address) {
        requireTenant(tenantId);
        Address normalized = normalizer.normalize(address);
        Customer customer = repository.unlinkAddress(tenantId, customerId, normalized);
        LOG.info("tenant {}: {} unlinked from customer {}", tenantId, normalized.masked(), customer.id());
        return customer;
    }

    @Override
    public MergeRecord merge(String tenantId, String survivorId, String mergedId, String actor) {
        requireTenant(tenantId);
        MergeRecord merge = repository.merge(tenantId, survivorId, mergedId, actor);
        LOG.info("tenant {}: customer {} merged into {} by {} (merge {})", tenantId, merge.mergedId(),
                merge.survivorId(), actor, merge.id());
        return merge;
    }

    @Override
    public Customer split(String tenantId, String mergeId, String actor) {
        requireTenant(tenantId);
        Customer customer = repository.split(tenantId, mergeId, actor);
        LOG.info("tenant {}: merge {} split by {}, customer {} stands alone again", tenantId, mergeId, actor,
                customer.id());
        return customer;
    }

    @Override
    public List<MergeRecord> merges(String tenantId, String customerId) {
        requireTenant(tenantId);
        return repository.merges(tenantId, customerId);
    }

    @Override
    public Customer setDisplayName(String tenantId, String customerId, String displayName) {
        requireTenant(tenantId);
        return repository.setDisplayName(tenantId, customerId, displayName(displayName));
    }

    @Override
    public Customer setVip(String tenantId, String customerId, boolean vip) {
        requireTenant(tenantId);
        return vip ? repository.addTags(tenantId, customerId, Set.of(Customer.VIP_TAG))
                : repository.removeTags(tenantId, customerId, Set.of(Customer.VIP_TAG));
    }

    @Override
    public Customer addTags(String tenantId, String customerId, Set<String> tags) {
        requireTenant(tenantId);
        return repository.addTags(tenantId, customerId, checkTags(tags));
    }

    @Override
    public Customer removeTags(String tenantId, String customerId, Set<String> tags) {
        requireTenant(tenantId);
        return repository.removeTags(tenantId, customerId, Set.copyOf(tags));
    }

    @Override
    public Customer setExternalRef(String tenantId, String customerId, String system, String reference) {
        requireTenant(tenantId);
        requireText(system, "system");
        requireText(reference, "reference");
        return repository.putExternalRef(tenantId, customerId, system, reference);
    }

    @Override
    public Customer removeExternalRef(String tenantId, String customerId, String system) {
        requireTenant(tenantId);
        return repository.removeExternalRef(tenantId, customerId, system);
    }

    @Override
    public Optional<Customer> findByExternalRef(String tenantId, String system, String reference) {
        requireTenant(tenantId);
        return repository.findByExternalRef(tenantId, system, reference);
    }

    @Override
    public Customer enrich(String tenantId, String customerId) {
        requireTenant(tenantId);
        Customer customer = repository.find(tenantId, customerId)
                .orElseThrow(() -> new io.musubi.history.UnknownCustomerException(tenantId, customerId));
        return runHooks(tenantId, customer, Optional.empty(), false);
    }

    /** Runs every hook in order and writes only what differs; a failing hook is skipped. */
    private Customer runHooks(String tenantId, Customer customer, Optional<Address> from, boolean isNew) {
        Customer current = customer;
        for (EnrichmentHook hook : hooks.get()) {
            Optional<Enrichment> result;
            try {
                result = Objects.requireNonNullElse(hook.enrich(tenantId, current, from, isNew), Optional.empty());
            } catch (RuntimeException e) {
                // the exception text may quote CRM data: log its type only
                LOG.warn("tenant {}: enrichment hook {} failed for customer {} ({})", tenantId,
                        hook.getClass().getName(), current.id(), e.getClass().getName());
                continue;
            }
            if (result.isPresent() && !result.get().isEmpty()) {
                try {
                    current = apply(tenantId, current, result.get());
                } catch (RuntimeException e) {
                    LOG.warn("tenant {}: applying the enrichment of {} to customer {} failed ({})", tenantId,
                            hook.getClass().getName(), current.id(), e.getClass().getName());
                }
            }
        }
        return current;
    }

    private Customer apply(String tenantId, Customer customer, Enrichment e) {
        Customer c = customer;
        if (!e.displayName().isEmpty() && !e.displayName().equals(c.displayName())) {
            c = repository.setDisplayName(tenantId, c.id(), e.displayName());
        }
        Set<String> newTags = new HashSet<>(e.tags());
        newTags.removeAll(c.tags());
        if (!newTags.isEmpty()) {
            c = repository.addTags(tenantId, c.id(), checkTags(newTags));
        }
        for (Map.Entry<String, String> ref : e.externalRefs().entrySet()) {
            if (!ref.getValue().equals(c.externalRefs().get(ref.getKey()))) {
                c = repository.putExternalRef(tenantId, c.id(), ref.getKey(), ref.getValue());
            }
        }
        return c;
    }

    private static Set<String> checkTags(Set<String> tags) {
        for (String t : tags) {
            requireText(t, "tag");
            if (t.length() > 128) {
                throw new IllegalArgumentException("tags are at most 128 characters");
            }
        }
        return Set.copyOf(tags);
    }

    /** A customer's display name by the model's name rule (one line, no control or bidi characters, 128 at most). */
    private static String displayName(String name) {
        return InputRules.optionalName("displayName", name, InputRules.NAME_MAX);
    }

    private static void requireTenant(String tenantId) {
        requireText(tenantId, "tenantId");
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
