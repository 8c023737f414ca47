package io.musubi.model;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A customer: the person behind one or more channel identities.
 *
 * @param tenantId     the tenant the customer belongs to
 * @param id           the hub's customer id
 * @param displayName  a name to show agents; may be empty, never null
 * @param addresses    the channel identities linked to the customer
 * @param externalRefs references in outside systems, e.g. {@code salesforce -> 0035g00000XyZ}
 * @param tags         free tags; {@link #VIP_TAG} marks a VIP
 */
public record Customer(String tenantId, String id, String displayName, Set<Address> addresses,
                       Map<String, String> externalRefs, Set<String> tags) {

    public static final String VIP_TAG = "vip";

    public Customer {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(id, "id");
        displayName = displayName == null ? "" : displayName;
        addresses = Set.copyOf(addresses);
        externalRefs = Map.copyOf(externalRefs);
        tags = Set.copyOf(tags);
    }

    public static Customer of(String tenantId, String id, Address address) {
        return new Customer(tenantId, id, "", Set.of(address), Map.of(), Set.of());
    }

    public boolean isVip() {
        return tags.contains(VIP_TAG);
    }

    @Override
    public String toString() {
        // Names and addresses are PII: keep them out of accidental log lines.
        return "Customer[tenantId=" + tenantId + ", id=" + id + ", addresses=" + addresses.size()
                + ", tags=" + tags + "]";
    }
}
