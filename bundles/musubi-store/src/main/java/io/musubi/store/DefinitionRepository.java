package io.musubi.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Durable agent and queue definitions (the ACD holds them in memory; this is what a restart restores). The body is
 * opaque JSON written and read by the REST layer, so the store does not follow the definition's shape.
 */
public interface DefinitionRepository {

    /** What is defined. */
    enum Kind { AGENT, QUEUE, ENTRY_POINT }

    /**
     * One stored definition.
     *
     * @param kind      agent or queue
     * @param id        tenant-scoped id ({@code tenant/local})
     * @param tenantId  tenant
     * @param body      the definition as JSON
     * @param updatedAt last write
     */
    record Definition(Kind kind, String id, String tenantId, String body, Instant updatedAt) {
        public Definition {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(updatedAt, "updatedAt");
        }
    }

    /** Adds or replaces a definition. */
    void save(Kind kind, String id, String tenantId, String body);

    /** @return whether there was one to delete */
    boolean delete(Kind kind, String id);

    /** Every definition of a kind, all tenants, ordered by id. */
    List<Definition> all(Kind kind);
}
