package io.musubi.identity;

import io.musubi.store.CustomerResolution;
import io.musubi.store.MergeRecord;
import io.musubi.model.Address;
import io.musubi.model.Customer;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who is behind an address (DESIGN §7.1). Addresses are normalised first ({@link AddressNormalizer}); an exact
 * match on the normalised address finds the customer, an unknown address creates one. Customers can be linked to
 * more addresses, merged (their history follows, see {@code HistoryStore#journey}) and split again. Every operation
 * is tenant-scoped; reads by customer id follow merges to the survivor.
 *
 * @see io.musubi.store.CustomerRepository for the storage semantics of merge and split
 */
public interface IdentityService {

    /** The normalised form of an address. @throws InvalidAddressException if it cannot identify anyone */
    Address normalize(Address address);

    /**
     * Resolves the customer behind an address, creating one if the address is unknown, then runs the enrichment
     * hooks. This is the ingress pipeline's call for every arrival.
     *
     * @throws InvalidAddressException for malformed or withheld addresses (the caller handles the interaction
     *                                 without a customer)
     */
    CustomerResolution resolve(String tenantId, Address address);

    Optional<Customer> findByAddress(String tenantId, Address address);

    /** The customer (the survivor's view for a merged id). */
    Optional<Customer> find(String tenantId, String customerId);

    /** A customer with no address yet (e.g. created by an agent). */
    Customer create(String tenantId, String displayName);

    /**
     * Links an address to a customer (agent action, CRM match, LINE account link).
     *
     * @throws io.musubi.store.AddressInUseException if another customer owns it: merge them instead
     */
    Customer link(String tenantId, String customerId, Address address);

    Customer unlink(String tenantId, String customerId, Address address);

    /**
     * Merges {@code mergedId} into {@code survivorId}; recorded, undoable with {@link #split}.
     *
     * @param actor who merged: {@code agent:<id>}, {@code crm}, {@code system}
     */
    MergeRecord merge(String tenantId, String survivorId, String mergedId, String actor);

    /** Undoes a merge; returns the customer split off. */
    Customer split(String tenantId, String mergeId, String actor);

    List<MergeRecord> merges(String tenantId, String customerId);

    Customer setDisplayName(String tenantId, String customerId, String displayName);

    /** Tags or untags the customer as VIP ({@link Customer#VIP_TAG}). */
    Customer setVip(String tenantId, String customerId, boolean vip);

    Customer addTags(String tenantId, String customerId, Set<String> tags);

    Customer removeTags(String tenantId, String customerId, Set<String> tags);

    /** Sets the customer's reference in an outside system (one per system). */
    Customer setExternalRef(String tenantId, String customerId, String system, String reference);

    Customer removeExternalRef(String tenantId, String customerId, String system);

    Optional<Customer> findByExternalRef(String tenantId, String system, String reference);

    /** Runs the enrichment hooks now (e.g. after the CRM record changed); returns the customer afterwards. */
    Customer enrich(String tenantId, String customerId);
}
