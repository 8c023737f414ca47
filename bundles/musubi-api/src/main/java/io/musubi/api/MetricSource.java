package io.musubi.api;

/**
 * A part of the hub (or a connector) that contributes samples to the Prometheus endpoint
 * ({@code GET /api/v1/metrics}). Registered as an OSGi service (whiteboard); the endpoint asks every source at
 * scrape time to write what it has now into a {@link MetricWriter}. Implementations answer quickly (no I/O: read
 * counters and in-memory state), never throw, and keep cardinality bounded: labels are tenants, queues, connectors,
 * channels, states and outcomes, never customer, interaction or message ids. Docs: operations.md, "Metrics".
 */
@FunctionalInterface
public interface MetricSource {

    /** Writes this source's samples as they are now. */
    void collect(MetricWriter writer);
}
