package io.musubi.store.jdbc.internal;

import io.musubi.api.MetricSource;
import io.musubi.api.MetricWriter;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The store's commit latency ({@code COMMIT} of every writing transaction; its count is the number of commits, so
 * {@code rate()} of it is commits per second) and, on H2, the latency of the group flush that makes commits durable.
 */
@Component(service = MetricSource.class)
public final class StoreMetrics implements MetricSource {

    private final StoreDatabase store;

    @Activate
    public StoreMetrics(@Reference StoreDatabase store) {
        this.store = store;
    }

    @Override
    public void collect(MetricWriter out) {
        Database db = store.database();
        Map<String, String> labels = Map.of("database", db.dialect().name().toLowerCase(java.util.Locale.ROOT));
        out.histogram("musubi_store_commit_seconds", "Time of each store transaction's COMMIT (PostgreSQL: durable "
                + "on return; H2: durable after the next group flush)", labels, db.commitLatency().snapshot());
        if (db.dialect() == Dialect.H2) {
            out.histogram("musubi_store_flush_seconds", "Time of each H2 group flush (CHECKPOINT: every commit before "
                    + "it becomes durable)", labels, db.flushLatency().snapshot());
        }
    }
}
