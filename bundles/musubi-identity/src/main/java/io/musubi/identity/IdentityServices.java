package io.musubi.identity;

import io.musubi.store.CustomerRepository;
import io.musubi.identity.internal.DefaultIdentityService;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** Builds an {@link IdentityService} in plain Java (tests, benchmarks, embedding without OSGi). */
public final class IdentityServices {

    private IdentityServices() {
    }

    /** An identity service with no enrichment hooks. */
    public static IdentityService create(CustomerRepository repository, String defaultRegion) {
        return create(repository, new AddressNormalizer(defaultRegion), List.of());
    }

    /** An identity service with a fixed list of enrichment hooks, run in list order. */
    public static IdentityService create(CustomerRepository repository, AddressNormalizer normalizer,
                                         List<EnrichmentHook> hooks) {
        List<EnrichmentHook> fixed = List.copyOf(hooks);
        return create(repository, normalizer, () -> fixed);
    }

    /** An identity service whose hooks may change at run time: the supplier is asked on every use. */
    public static IdentityService create(CustomerRepository repository, AddressNormalizer normalizer,
                                         Supplier<? extends Collection<EnrichmentHook>> hooks) {
        return new DefaultIdentityService(Objects.requireNonNull(repository, "repository"),
                Objects.requireNonNull(normalizer, "normalizer"), Objects.requireNonNull(hooks, "hooks"));
    }
}
