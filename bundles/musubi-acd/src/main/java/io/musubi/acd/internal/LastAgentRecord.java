package io.musubi.acd.internal;

import io.musubi.model.Channel;

/**
 * The last agent of one customer of one tenant; a node of the engine's oldest-first list (for pruning), updated in
 * place. Mutable, only touched under the engine's lock.
 */
final class LastAgentRecord {
    final TenantState tenant;
    final String customerId;
    String agentId;
    Channel channel;
    long at;
    LastAgentRecord prev;
    LastAgentRecord next;

    LastAgentRecord(TenantState tenant, String customerId) {
        this.tenant = tenant;
        this.customerId = customerId;
    }
}
