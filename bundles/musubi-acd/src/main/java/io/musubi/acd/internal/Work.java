package io.musubi.acd.internal;

import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;

import java.util.ArrayList;

/** Runtime state of an interaction known to the ACD; only touched under the engine's lock. */
final class Work {
    static final byte T_NONE = 0;
    static final byte T_WAIT = 1;
    static final byte T_OFFER = 2;
    static final byte T_WRAP = 3;
    static final byte T_CALLBACK = 4;

    final String id;
    final Interaction src;
    /** The tenant of {@link Interaction#tenantId()}. */
    final TenantRt tenant;
    final Channel channel;
    final int ch;
    final String customerId;
    final long seq;
    int priority;
    boolean vip;

    QueueRt queue;
    InteractionState state = InteractionState.NEW;
    long updatedAt;
    /** When it entered its current queue (wait timers, statistics). */
    long queuedAt;
    /** Its place in the order (equal to queuedAt except for call-backs, which keep the original place). */
    long orderAt;
    int tier;
    int nextStep;
    boolean maxWaitPassed;
    ArrayList<QueueRt> extraQueues;

    Listing primary;
    ArrayList<Listing> extra;
    boolean requeued;

    AgentRt agent;
    ArrayList<AgentRt> ringing;
    long offeredAt;
    long acceptedAt;

    AgentRt pinned;
    long pinUntil;
    int[] excluded;
    int excludedCount;

    boolean setAside;
    boolean parked;
    String disposition = "";

    long deadline;
    int heapIndex = -1;
    byte timerKind;

    Work qPrev;
    Work qNext;
    boolean inWaitList;
    boolean pendingRoute;

    Work(Interaction src, TenantRt tenant, long seq) {
        this.id = src.id();
        this.src = src;
        this.tenant = tenant;
        this.channel = src.channel();
        this.ch = src.channel().ordinal();
        this.customerId = src.customerId();
        this.priority = src.priority();
        this.seq = seq;
    }

    boolean listed() {
        return primary != null;
    }

    boolean isExcluded(AgentRt a) {
        for (int i = 0; i < excludedCount; i++) {
            if (excluded[i] == a.ordinal) {
                return true;
            }
        }
        return false;
    }

    void exclude(AgentRt a) {
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

    void unexclude(AgentRt a) {
        for (int i = 0; i < excludedCount; i++) {
            if (excluded[i] == a.ordinal) {
                excluded[i] = excluded[--excludedCount];
                return;
            }
        }
    }
}
