package io.musubi.acd;

import io.musubi.model.Channel;

import java.time.Instant;

/**
 * An interaction waiting in a queue.
 *
 * @param interactionId      id
 * @param channel            channel
 * @param customerId         customer, empty if unknown
 * @param queueId            its queue
 * @param effectivePriority  priority now (queue + interaction + VIP boost + aging)
 * @param queuedAt           when it entered the queue
 * @param requeued           whether it came back after a reject or timeout (it is then at the head)
 * @param pinnedAgentId      the agent it waits for (last-agent routing or transfer), empty if any agent may take it
 */
public record WaitingInteraction(String interactionId, Channel channel, String customerId, String queueId,
                                 double effectivePriority, Instant queuedAt, boolean requeued, String pinnedAgentId) {
}
