package io.musubi.store;

import io.musubi.model.Address;
import io.musubi.model.Customer;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The customers' current state: addresses (channel identities), tags, CRM references, and merges. This is the
 * storage SPI of the identity service, which normalises addresses before they reach it; callers outside the
 * identity service should go through {@code io.musubi.identity.IdentityService}.
 *
 * <p>Merges form groups: a merged customer keeps its own rows but is shown through its survivor. Every read by
 * customer id follows merges, so {@link #find} of a merged customer returns the survivor's view, whose
 * {@link Customer#addresses()}, tags and references are the union of the group's. Writes by customer id apply to
 * the survivor. All calls are tenant-scoped and atomic.
 */
public interface CustomerRepository {

    /**
     * Finds the customer owning this (normalised) address, or creates a new one owning it. Safe under
     * concurrency: two calls with the same unknown address create one customer.
     */
    CustomerResolution resolveOrCreate(String tenantId, Address address);

    Optional<Customer> findByAddress(String tenantId, Address address);

    /** The customer's view; for a merged customer, the survivor's view. */
    Optional<Customer> find(String tenantId, String customerId);

    /** The survivor of the customer's merge group, or the id itself; empty if unknown. */
    Optional<String> survivorOf(String tenantId, String customerId);

    /** A new customer with no address (e.g. created by an agent or from the CRM). */
    Customer create(String tenantId, String displayName);

    /**
     * Links an address to the customer. No-op if already linked to it (or its group).
     *
     * @throws AddressInUseException if another customer owns the address
     */
    Customer linkAddress(String tenantId, String customerId, Address address);

    /** Unlinks an address from the customer's group; no-op if not linked. */
    Customer unlinkAddress(String tenantId, String customerId, Address address);

    Customer setDisplayName(String tenantId, String customerId, String displayName);

    Customer addTags(String tenantId, String customerId, Set<String> tags);

    /** Removes the tags from the customer and every customer merged into it. */
    Customer removeTags(String tenantId, String customerId, Set<String> tags);

    /** Sets the reference in an outside system (one per system), e.g. {@code salesforce -> 0035g00000XyZ}. */
    Customer putExternalRef(String tenantId, String customerId, String system, String reference);

    Customer removeExternalRef(String tenantId, String customerId, String system);

    Optional<Customer> findByExternalRef(String tenantId, String system, String reference);

    /**
     * Merges {@code mergedId} into {@code survivorId} (their survivors, if either is itself merged): the merged
     * customer's addresses, tags, references and events show under the survivor from now on.
     *
     * @throws IllegalStateException if both are already in one group, or one of them is erased
     */
    MergeRecord merge(String tenantId, String survivorId, String mergedId, String actor);

    /**
     * Undoes a merge: the merged customer (with everything that was merged into it) stands on its own again, with
     * the addresses, tags, references and events it had. What was added to the survivor while merged stays with
     * the survivor.
     *
     * @return the customer split off
     * @throws IllegalStateException if the merge was already split
     */
    Customer split(String tenantId, String mergeId, String actor);

    /** The merges (in force or split) that involve the customer's group, oldest first. */
    List<MergeRecord> merges(String tenantId, String customerId);

    Optional<MergeRecord> findMerge(String tenantId, String mergeId);
}
