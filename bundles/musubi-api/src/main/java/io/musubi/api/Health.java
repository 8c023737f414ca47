package io.musubi.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The health of one part of the hub.
 *
 * @param status  UP, DEGRADED or DOWN
 * @param detail  one line for operators; never a secret or PII
 * @param details extra key/values (counts, states); never secrets
 */
public record Health(Status status, String detail, Map<String, String> details) {

    public enum Status {
        UP, DEGRADED, DOWN;

        /** The worse of two statuses. */
        public Status worst(Status other) {
            return other.ordinal() > ordinal() ? other : this;
        }
    }

    public Health {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
        details = Map.copyOf(details);
    }

    public static Health up(String detail) {
        return new Health(Status.UP, detail, Map.of());
    }

    public static Health degraded(String detail) {
        return new Health(Status.DEGRADED, detail, Map.of());
    }

    public static Health down(String detail) {
        return new Health(Status.DOWN, detail, Map.of());
    }

    /** The worst status of several, UP for none. */
    public static Status worstOf(List<Health> parts) {
        Status s = Status.UP;
        for (Health h : parts) {
            s = s.worst(h.status());
        }
        return s;
    }
}
