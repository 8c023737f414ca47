package io.musubi.acd.internal;

import io.musubi.model.Channel;

/**
 * The last agent of one customer of one tenant; a node of the engine's oldest-first list (for pruning), updated in
 * place. Mutable, only touched under the engine's lock.
 */
final class StickyRec {
    final TenantRt tenant;
    final String customerId;
    String agentId;
    Channel channel;
    long at;
    StickyRec prev;
    StickyRec next;

    StickyRec(TenantRt tenant, String customerId) {
        this.tenant = tenant;
        this.customerId = customerId;
    }
}
