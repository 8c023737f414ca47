package io.musubi.rest.internal.resources;

import io.musubi.api.Health;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The body of {@code GET /api/v1/health}. */
public record HealthReport(Health.Status status, Instant checkedAt, Map<String, Health> components,
                           List<ConnectorStatus> connectors, BundleSummary bundles) {

    public record ConnectorStatus(String id, String type, String channel, Health health) {
    }

    /** Bundle states; {@code notActive} names every non-fragment bundle that is not ACTIVE. */
    public record BundleSummary(int total, int active, List<String> notActive) {
    }
}
