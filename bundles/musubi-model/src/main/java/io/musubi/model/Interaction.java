package io.musubi.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One contact on one channel: a call, a chat, a LINE conversation, a mail thread, a FAX.
 *
 * @param id            interaction id
 * @param tenantId      tenant
 * @param channel       channel
 * @param customerId    the resolved customer; empty string until resolved
 * @param from          the customer's address (inbound) or ours (outbound)
 * @param to            the other side's address
 * @param threadKey     what ties several provider messages into this interaction (mail Message-ID root,
 *                      LINE user/group id, call unique id)
 * @param queueId       the queue it waits or waited in; empty if routed directly
 * @param priority      interaction priority (added to the queue's priority)
 * @param attributes    channel data: IVR variables, DNIS, subject, ...
 * @param state         current state
 * @param createdAt     arrival time
 * @param updatedAt     time of the last change
 * @param agentId       the assigned agent; empty if none
 * @param disposition   wrap-up code; empty if none
 */
public record Interaction(String id, String tenantId, Channel channel, String customerId, Address from,
                          Address to, String threadKey, String queueId, int priority,
                          Map<String, String> attributes, InteractionState state, Instant createdAt,
                          Instant updatedAt, String agentId, String disposition) {

    public Interaction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(channel, "channel");
        customerId = customerId == null ? "" : customerId;
        Objects.requireNonNull(from, "from");
        threadKey = threadKey == null ? "" : threadKey;
        queueId = queueId == null ? "" : queueId;
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        updatedAt = updatedAt == null ? createdAt : updatedAt;
        agentId = agentId == null ? "" : agentId;
        disposition = disposition == null ? "" : disposition;
    }

    /** A new inbound interaction, not yet queued. */
    public static Interaction arrived(String id, String tenantId, Channel channel, Address from, Address to,
                                      String threadKey, Instant at) {
        return new Interaction(id, tenantId, channel, "", from, to, threadKey, "", 0, Map.of(),
                InteractionState.NEW, at, at, "", "");
    }

    public Interaction withState(InteractionState newState, Instant at) {
        return new Interaction(id, tenantId, channel, customerId, from, to, threadKey, queueId, priority, attributes,
                newState, createdAt, at, agentId, disposition);
    }

    @Override
    public String toString() {
        return "Interaction[id=" + id + ", tenantId=" + tenantId + ", channel=" + channel + ", state=" + state
                + ", queueId=" + queueId + ", agentId=" + agentId + "]";
    }
}
