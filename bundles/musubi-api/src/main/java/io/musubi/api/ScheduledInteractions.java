package io.musubi.api;

import io.musubi.model.Interaction;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Interactions held back until a chosen time (a customer's call-back for 15:00): stored at once, in state NEW, with
 * the time in the attribute {@link #DUE_AT}; the hub queues each in its queue when it falls due (less the configured
 * lead), like any arrival. The schedule lives in the store (the rows), so it survives a restart and is rebuilt per
 * tenant.
 */
public interface ScheduledInteractions {

    /**
     * Attribute of a new interaction (set on its inbound event): the ISO-8601 instant before which the hub does not
     * queue it. Reserved ({@code musubi.} names cannot be set over the REST API); absent, unparsable or not in the
     * future: queued at once.
     */
    String DUE_AT = "musubi.dueAt";

    /**
     * A held-back interaction.
     *
     * @param interaction the stored interaction (state NEW)
     * @param dueAt       the time asked for ({@link #DUE_AT})
     * @param queueAt     when the hub queues it: {@code dueAt} less the configured lead
     */
    record Scheduled(Interaction interaction, Instant dueAt, Instant queueAt) {
        public Scheduled {
            Objects.requireNonNull(interaction, "interaction");
            Objects.requireNonNull(dueAt, "dueAt");
            Objects.requireNonNull(queueAt, "queueAt");
        }
    }

    /** The interactions held back for a queue (scoped id) of the tenant, the soonest first. */
    List<Scheduled> scheduled(String tenantId, String queueId);

    /**
     * Cancels a held-back interaction: it ends (ENDED, outcome {@code cancelled}) without ever being queued.
     *
     * @return false when the interaction is not held back (unknown, already queued, or ended): nothing changed
     */
    boolean cancel(String tenantId, String interactionId, String actor);
}
