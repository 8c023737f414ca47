package io.musubi.store;

import io.musubi.model.InteractionState;
import java.time.Instant;
import java.util.Objects;

/**
 * What one ACD decision changes on its interaction's row ({@link HistoryStore#moveInteractions}): the state and,
 * where the decision names them, the queue, the agent and the disposition; {@code null} keeps the stored value.
 * Nothing else of the row is touched, so a concurrent change of its other columns (the ingress noting a
 * conversation's new reply data) is neither read nor undone.
 *
 * @param state       the state after the decision, or null to keep it (a disposition alone)
 * @param queueId     the scoped queue id, or null to keep it
 * @param agentId     the scoped agent id, or null to keep it
 * @param disposition the disposition, or null to keep it
 * @param at          when the decision was made: the row's {@code updatedAt}, and the time it was queued when it
 *                    enters QUEUED in a queue other than the one it was last queued in
 */
public record InteractionMove(String tenantId, String interactionId, InteractionState state, String queueId,
                              String agentId, String disposition, Instant at) {

    public InteractionMove {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(interactionId, "interactionId");
        Objects.requireNonNull(at, "at");
    }
}
