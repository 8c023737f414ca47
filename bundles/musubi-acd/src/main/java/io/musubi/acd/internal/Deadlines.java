package io.musubi.acd.internal;

import io.musubi.acd.QueueDefinition;

/**
 * Every deadline of the engine, each interaction having at most one at a time in one {@link TimerHeap}: the offer
 * timeout (RONA, per queue and channel), the end of wrap-up, a call-back coming due, and the next wait deadline the
 * {@link WaitPolicy} gives (last-agent wait over, escalation step, max wait). The command frame takes the due ones in
 * order ({@link #pollDue}) and dispatches them by kind.
 *
 * <p>No lock of its own: only touched under the engine's lock. It schedules; it never runs what is due.
 */
final class Deadlines {
    private final TimerHeap heap = new TimerHeap();
    private final EngineTime time;
    private final WaitPolicy waitPolicy;

    Deadlines(EngineTime time, WaitPolicy waitPolicy) {
        this.time = time;
        this.waitPolicy = waitPolicy;
    }

    /** The offer times out after its queue's offer timeout for the channel (the default one without a queue). */
    void offerTimeout(WorkItem w) {
        QueueState q = w.queue;
        long timeout = q != null ? q.offerTimeoutMs[w.ch] : QueueDefinition.defaultOfferTimeout(w.channel).toMillis();
        heap.schedule(w, WorkItem.T_OFFER, time.now + timeout);
    }

    /** Wrap-up ends at {@code at} (not before now). */
    void wrapUpEnds(WorkItem w, long at) {
        heap.schedule(w, WorkItem.T_WRAP, Math.max(at, time.now));
    }

    /** A parked call-back is queued at {@code at} (not before now). */
    void callbackDue(WorkItem w, long at) {
        heap.schedule(w, WorkItem.T_CALLBACK, Math.max(at, time.now));
    }

    /** The waiting interaction's next wait deadline (see {@link WaitPolicy#nextDeadline}), or none. */
    void nextWait(WorkItem w) {
        if (w.state != io.musubi.model.InteractionState.QUEUED || w.parked) {
            return;
        }
        long d = waitPolicy.nextDeadline(w);
        if (d == WaitPolicy.NEVER) {
            heap.cancel(w);
        } else {
            heap.schedule(w, WorkItem.T_WAIT, Math.max(d, time.now));
        }
    }

    void cancel(WorkItem w) {
        heap.cancel(w);
    }

    /** The interaction with the earliest deadline if it is at or before {@code target}, taken off; else null. */
    WorkItem pollDue(long target) {
        WorkItem w = heap.peek();
        if (w == null || w.deadline > target) {
            return null;
        }
        heap.poll();
        return w;
    }

    /** The earliest deadline, or null if there is none. */
    Long earliest() {
        WorkItem w = heap.peek();
        return w == null ? null : w.deadline;
    }
}
