package io.musubi.acd.internal;

import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;

import java.util.ArrayList;

/** Runtime state of an interaction known to the ACD; only touched under the engine's lock. */
final class WorkItem {
    static final byte T_NONE = 0;
    static final byte T_WAIT = 1;
    static final byte T_OFFER = 2;
    static final byte T_WRAP = 3;
    static final byte T_CALLBACK = 4;

    final String id;
    final Interaction src;
    /** The tenant of {@link Interaction#tenantId()}. */
    final TenantState tenant;
    final Channel channel;
    final int ch;
    final String customerId;
    final long seq;
    int priority;
    boolean vip;

    QueueState queue;
    InteractionState state = InteractionState.NEW;
    long updatedAt;
    /** When it entered its current queue (wait timers, statistics). */
    long queuedAt;
    /** Its place in the order (equal to queuedAt except for call-backs, which keep the original place). */
    long orderAt;
    int tier;
    int nextStep;
    boolean maxWaitPassed;
    ArrayList<QueueState> extraQueues;

    WaitingEntry primary;
    ArrayList<WaitingEntry> extra;
    boolean requeued;

    AgentState agent;
    ArrayList<AgentState> ringing;
    long offeredAt;
    long acceptedAt;

    AgentState pinned;
    long pinUntil;
    int[] excluded;
    int excludedCount;

    boolean setAside;
    boolean parked;
    String disposition = "";

    long deadline;
    int heapIndex = -1;
    byte timerKind;

    WorkItem qPrev;
    WorkItem qNext;
    boolean inWaitList;
    boolean pendingRoute;

    WorkItem(Interaction src, TenantState tenant, long seq) {
        this.id = src.id();
        this.src = src;
        this.tenant = tenant;
        this.channel = src.channel();
        this.ch = src.channel().ordinal();
        this.customerId = src.customerId();
        this.priority = src.priority();
        this.seq = seq;
    }

    /** Changes the state at {@code now}, keeping its queue's count of waiting interactions. */
    void setState(InteractionState s, long now) {
        if (state == s) {
            return;
        }
        if (queue != null) {
            if (state == InteractionState.QUEUED) {
                queue.waitingCount--;
            }
            if (s == InteractionState.QUEUED) {
                queue.waitingCount++;
            }
        }
        state = s;
        updatedAt = now;
    }

    /** Its queue's id, or "" without a queue. */
    String queueId() {
        return queue == null ? "" : queue.id();
    }

    boolean listed() {
        return primary != null;
    }

    boolean isExcluded(AgentState a) {
        for (int i = 0; i < excludedCount; i++) {
            if (excluded[i] == a.ordinal) {
                return true;
            }
        }
        return false;
    }

    void exclude(AgentState a) {
        if (isExcluded(a)) {
            return;
        }
        if (excluded == null) {
            excluded = new int[2];
        } else if (excludedCount == excluded.length) {
            excluded = java.util.Arrays.copyOf(excluded, excludedCount * 2);
        }
        excluded[excludedCount++] = a.ordinal;
    }

    void unexclude(AgentState a) {
        for (int i = 0; i < excludedCount; i++) {
            if (excluded[i] == a.ordinal) {
                excluded[i] = excluded[--excludedCount];
                return;
            }
        }
    }
}
