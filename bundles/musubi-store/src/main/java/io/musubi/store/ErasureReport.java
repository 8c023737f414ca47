package io.musubi.store;

import java.util.Set;

/**
 * What {@link HistoryStore#eraseCustomer} did. The events themselves stay (anonymised: type, channel, time and
 * actor only), so counts and statistics remain correct.
 *
 * @param customerIds           the customers erased: the one asked for and every customer merged into it
 * @param eventsAnonymised      events whose content, attachments and attributes were removed
 * @param interactionsAnonymised interactions whose addresses, thread keys and attributes were removed
 * @param addressesRemoved      addresses unlinked and deleted
 */
public record ErasureReport(Set<String> customerIds, long eventsAnonymised, long interactionsAnonymised,
                            long addressesRemoved) {
    public ErasureReport {
        customerIds = Set.copyOf(customerIds);
    }
}
