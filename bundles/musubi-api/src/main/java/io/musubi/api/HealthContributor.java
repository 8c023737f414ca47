package io.musubi.api;

/**
 * A part of the hub that reports its health (broker, Camel runtime, store, ...). Registered as an OSGi
 * service; {@code GET /api/v1/health} aggregates every contributor. Implementations answer quickly
 * (cache anything that needs I/O) and never throw.
 */
public interface HealthContributor {

    /** Service property naming the component, e.g. {@code broker}. */
    String NAME_PROPERTY = "musubi.health.name";

    /** A stable name such as {@code broker} or {@code camel}. */
    String name();

    Health health();
}
