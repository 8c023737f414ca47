package io.musubi.acd.internal;

import io.musubi.acd.QueueDefinition;

/** Runtime state of a queue: its definition, its pools (one per escalation tier) and its statistics. */
final class QueueState {
    /** The tenant of its id (fixed: a redefinition keeps the id). */
    final TenantState tenant;
    QueueDefinition def;
    Pool[] pools;
    /** Pool index in effect after k escalation steps (index 0: none). */
    int[] stepPool;
    int channelMask;
    double agingPerSecond;
    long maxWaitMs;
    /** Offer timeout per channel ordinal, from the definition. */
    final long[] offerTimeoutMs = new long[AgentState.NCH];

    /** Interactions of this queue not yet answered (queued or ringing), oldest first. */
    WorkItem head;
    WorkItem tail;
    int waitingCount;
    int parkedCount;

    long offered;
    long answered;
    long answeredInSl;
    long abandoned;
    long overflowed;
    long asaSumMs;
    long handled;
    long handleSumMs;

    QueueState(QueueDefinition def, TenantState tenant) {
        this.def = def;
        this.tenant = tenant;
    }

    String id() {
        return def.id();
    }

    /** Whether the queue takes the channel (by ordinal). */
    boolean takes(int ch) {
        return (channelMask & (1 << ch)) != 0;
    }

    void link(WorkItem w) {
        if (w.inWaitList) {
            return;
        }
        w.inWaitList = true;
        w.qPrev = tail;
        w.qNext = null;
        if (tail == null) {
            head = w;
        } else {
            tail.qNext = w;
        }
        tail = w;
    }

    void unlink(WorkItem w) {
        if (!w.inWaitList) {
            return;
        }
        w.inWaitList = false;
        if (w.qPrev == null) {
            head = w.qNext;
        } else {
            w.qPrev.qNext = w.qNext;
        }
        if (w.qNext == null) {
            tail = w.qPrev;
        } else {
            w.qNext.qPrev = w.qPrev;
        }
        w.qPrev = null;
        w.qNext = null;
    }

    void resetStatistics() {
        offered = 0;
        answered = 0;
        answeredInSl = 0;
        abandoned = 0;
        overflowed = 0;
        asaSumMs = 0;
        handled = 0;
        handleSumMs = 0;
    }
}
