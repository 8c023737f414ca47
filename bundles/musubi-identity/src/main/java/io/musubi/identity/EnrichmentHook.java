package io.musubi.identity;

import io.musubi.model.Address;
import io.musubi.model.Customer;
import java.util.Optional;

/**
 * Enriches a customer from an outside system when they arrive (DESIGN §7.1): the CRM connector looks the address
 * up and returns the name, its contact id and VIP status. Registered as an OSGi service (or passed to
 * {@link IdentityServices#create}); several hooks run in service-ranking order.
 *
 * <p>Called on the ingress path for every {@link IdentityService#resolve} (so the CRM can react to changes), with
 * {@code newCustomer} telling whether the customer was created by this arrival: a hook must answer quickly and
 * should cache or only look up new customers. Only what differs from the customer is written. A hook that throws
 * is logged (without PII) and skipped; resolution never fails because of a hook.
 */
@FunctionalInterface
public interface EnrichmentHook {

    /**
     * @param tenantId    tenant
     * @param customer    the resolved customer as stored now
     * @param arrivedFrom the normalised address the customer arrived from; empty for an explicit
     *                    {@link IdentityService#enrich} call
     * @param newCustomer true if this arrival created the customer
     * @return what to apply, or empty for nothing
     */
    Optional<Enrichment> enrich(String tenantId, Customer customer, Optional<Address> arrivedFrom, boolean newCustomer);
}
