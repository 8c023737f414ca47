package io.musubi.acd;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A step of a queue's escalation over time (Genesys bullseye, Twilio target timeout): after an interaction
 * has waited {@code after}, its required skills are replaced by {@code requiredSkills} (when not null — usually
 * a relaxed set) and it also becomes visible to the agents of {@code addQueues}.
 */
public record EscalationStep(Duration after, Map<String, Integer> requiredSkills, List<String> addQueues) {
    public EscalationStep {
        Objects.requireNonNull(after, "after");
        if (after.isNegative()) {
            throw new IllegalArgumentException("after must not be negative");
        }
        requiredSkills = requiredSkills == null ? null : Map.copyOf(requiredSkills);
        addQueues = addQueues == null ? List.of() : List.copyOf(addQueues);
    }

    public static EscalationStep relaxSkills(Duration after, Map<String, Integer> requiredSkills) {
        return new EscalationStep(after, requiredSkills, List.of());
    }

    public static EscalationStep addQueues(Duration after, String... queueIds) {
        return new EscalationStep(after, null, List.of(queueIds));
    }
}
