package io.musubi.acd.internal;

import io.musubi.model.Interaction;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The interactions open in the ACD (from their arrival, a force-assign or a restore until they end, are abandoned or
 * replaced by a call-back) by id, and the arrival sequence that breaks ties in the waiting order. No lock of its own:
 * only touched under the engine's lock.
 */
final class OpenInteractions {
    private final Map<String, WorkItem> byId = new HashMap<>();
    private long seq;

    /** A new open interaction of the tenant, next in arrival sequence. */
    WorkItem add(Interaction src, TenantState tenant) {
        WorkItem w = new WorkItem(src, tenant, ++seq);
        byId.put(w.id, w);
        return w;
    }

    void remove(WorkItem w) {
        byId.remove(w.id);
    }

    WorkItem get(String id) {
        return byId.get(id);
    }

    WorkItem of(String id) {
        WorkItem w = byId.get(id);
        if (w == null) {
            throw new NoSuchElementException("no interaction " + id);
        }
        return w;
    }

    boolean contains(String id) {
        return byId.containsKey(id);
    }

    Collection<WorkItem> all() {
        return byId.values();
    }

    /** The sequence number given last. */
    long lastSeq() {
        return seq;
    }
}
