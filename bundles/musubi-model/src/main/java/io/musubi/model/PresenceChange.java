package io.musubi.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A presence change of an agent, as an event. Together they make time-in-state reports exact.
 *
 * @param id         event id
 * @param tenantId   tenant
 * @param agentId    agent
 * @param from       state before
 * @param to         state after
 * @param reasonCode optional reason (e.g. an away reason); empty if none
 * @param actor      who changed it: {@code agent:<id>}, {@code supervisor:<id>}, {@code connector:<id>}, {@code system}
 * @param timestamp  when
 */
public record PresenceChange(String id, String tenantId, String agentId, PresenceState from, PresenceState to,
                             String reasonCode, String actor, Instant timestamp) {
    public PresenceChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        reasonCode = reasonCode == null ? "" : reasonCode;
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
