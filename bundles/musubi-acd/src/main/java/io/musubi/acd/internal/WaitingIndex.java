package io.musubi.acd.internal;

import io.musubi.model.InteractionState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where a waiting interaction can be found by the agents: listed in the waiting sets of its pools (the pool of its
 * queue's current escalation tier, and the first pool of each queue escalation added), or pinned to the one agent it
 * waits for (last-agent routing, a transfer to an agent) and then listed nowhere. Order keys are computed once, when
 * an interaction is listed ({@link WaitingEntry}).
 *
 * <p>No lock of its own: only touched under the engine's lock. It never calls back into the engine: whether the
 * interaction must then be routed, or its wait timer moved, is the engine's.
 */
final class WaitingIndex {
    private final EngineTime time;

    WaitingIndex(EngineTime time) {
        this.time = time;
    }

    /** Lists a waiting interaction in its pools (nothing if it is listed already, not queued or has no queue). */
    void list(WorkItem w) {
        if (w.listed() || w.queue == null || w.state != InteractionState.QUEUED) {
            return;
        }
        QueueState q = w.queue;
        w.primary = addListing(w, q.pools[Math.min(w.tier, q.pools.length - 1)], q);
        if (w.extraQueues != null) {
            for (QueueState x : w.extraQueues) {
                if (x.pools != null && x.takes(w.ch)) {
                    if (w.extra == null) {
                        w.extra = new ArrayList<>(2);
                    }
                    w.extra.add(addListing(w, x.pools[0], x));
                }
            }
        }
    }

    private WaitingEntry addListing(WorkItem w, Pool p, QueueState q) {
        TenantState.assertSameTenant(w, q.tenant);
        double base = q.def.priority() + w.priority + (w.vip ? q.def.vipBoost() : 0);
        double key = base - q.agingPerSecond * ((w.orderAt - time.epoch) / 1000.0);
        WaitingEntry l = new WaitingEntry(w, p, key, w.requeued);
        p.addWaiting(w.ch, l);
        return l;
    }

    /** Takes the interaction out of every waiting set it is listed in. */
    void unlist(WorkItem w) {
        if (w.primary != null) {
            w.primary.pool.removeWaiting(w.ch, w.primary);
            w.primary = null;
        }
        if (w.extra != null) {
            for (WaitingEntry l : w.extra) {
                l.pool.removeWaiting(w.ch, l);
            }
            w.extra = null;
        }
    }

    /** The interaction waits for this agent only, until {@code until} (epoch ms, or {@link Long#MAX_VALUE}). */
    void pin(WorkItem w, AgentState a, long until) {
        TenantState.assertSameTenant(w, a.tenant);
        w.pinned = a;
        w.pinUntil = until;
        if (a.pinned == null) {
            a.pinned = new ArrayList<>(2);
        }
        a.pinned.add(w);
    }

    void unpin(WorkItem w) {
        AgentState a = w.pinned;
        if (a == null) {
            return;
        }
        a.pinned.remove(w);
        w.pinned = null;
        w.pinUntil = 0;
    }

    /** Takes every interaction listed in the queue's pools (its own, or added by escalation) out; returns them. */
    List<WorkItem> unlistAllIn(QueueState q, Collection<WorkItem> open) {
        List<WorkItem> out = new ArrayList<>();
        for (WorkItem w : open) {
            if (w.listed() && (w.queue == q || (w.extraQueues != null && w.extraQueues.contains(q)))) {
                unlist(w);
                out.add(w);
            }
        }
        return out;
    }

    /** Lists again an interaction taken out by {@link #unlistAllIn}: in its own queue, at a tier that still exists. */
    void listAfterRedefinition(WorkItem w, QueueState q) {
        if (w.queue == q) {
            w.nextStep = Math.min(w.nextStep, q.def.escalation().size());
            w.tier = q.stepPool[w.nextStep];
        }
        list(w);
    }

    /** The queue is going: interactions escalation had added it to are listed without it. */
    void dropEscalationQueue(QueueState q, Collection<WorkItem> open) {
        for (WorkItem w : open) {
            if (w.extraQueues != null && w.extraQueues.contains(q)) {
                boolean wasListed = w.listed();
                unlist(w);
                w.extraQueues.remove(q);
                if (wasListed) {
                    list(w);
                }
            }
        }
    }
}
