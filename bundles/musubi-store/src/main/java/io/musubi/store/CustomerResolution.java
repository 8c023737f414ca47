package io.musubi.store;

import io.musubi.model.Customer;
import java.util.Objects;

/**
 * The result of resolving an address to a customer.
 *
 * @param customer the customer (the survivor's view if the address belongs to a merged customer)
 * @param created  true if the customer was created by this call because the address was unknown
 */
public record CustomerResolution(Customer customer, boolean created) {
    public CustomerResolution {
        Objects.requireNonNull(customer, "customer");
    }
}
