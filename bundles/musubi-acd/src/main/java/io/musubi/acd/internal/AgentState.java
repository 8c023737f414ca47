package io.musubi.acd.internal;

import io.musubi.acd.AgentDefinition;
import io.musubi.model.Channel;
import io.musubi.model.PresenceState;

import java.util.ArrayList;

/** Runtime state of an agent; only touched under the engine's lock. */
final class AgentState {
    static final int NCH = Channel.values().length;

    final int ordinal;
    /** The tenant of its id (fixed: a redefinition keeps the id). */
    final TenantState tenant;
    AgentDefinition def;
    final int[] cap = new int[NCH];
    final int[] cost = new int[NCH];
    /** Channel rank for tie-breaks: lower is preferred. */
    final int[] rank = new int[NCH];
    int shared;

    PresenceState base = PresenceState.OFFLINE;
    String baseReason = "";
    PresenceState eff = PresenceState.OFFLINE;
    String effReason = "";
    long effSince;
    int enabledMask;
    boolean deviceBusy;

    final int[] load = new int[NCH];
    int totalLoad;
    int wrapCount;
    int sharedLoad;
    int interruptibleShared;

    /** Channels on which the agent is currently in its pools' free sets. */
    int freeMask;
    boolean attached;
    /** freeMask when last detached: attach marks the agent for work picking only if it gained channels. */
    int detachedMask;
    /** Sort keys, only changed while detached from the free sets. */
    long idleSince;
    double occKey;

    final ArrayList<Member> members = new ArrayList<>();
    /** Union of the channels of its pools (a superset after a pool is removed): nothing to index outside it. */
    int memberChannels;
    /** Interactions offered to or assigned to the agent (offered, connected, held, wrap-up). */
    final ArrayList<WorkItem> works = new ArrayList<>(4);
    /** Interactions waiting for this agent (last-agent routing, transfer). */
    ArrayList<WorkItem> pinned;
    boolean dirty;
    /** Released from work and left detached until the flush (see AgentIndex#release). */
    boolean deferredAttach;

    long loggedInSince = -1;
    long loggedInAccum;
    long busySince = -1;
    long busyAccum;
    final long[] handled = new long[NCH];

    AgentState(int ordinal, AgentDefinition def, TenantState tenant) {
        this.ordinal = ordinal;
        this.tenant = tenant;
        setDefinition(def);
    }

    void setDefinition(AgentDefinition d) {
        this.def = d;
        for (Channel c : Channel.values()) {
            cap[c.ordinal()] = d.capacity(c);
            cost[c.ordinal()] = d.cost(c);
        }
        int r = 0;
        for (Channel c : d.channelPriority()) {
            rank[c.ordinal()] = r++;
        }
        shared = d.sharedCapacity();
        int mask = 0;
        for (Channel c : d.initiallyEnabled()) {
            mask |= 1 << c.ordinal();
        }
        enabledMask = mask;
    }

    String id() {
        return def.id();
    }

    int capacityUnits() {
        int s = 0;
        for (int c = 0; c < NCH; c++) {
            if ((enabledMask & (1 << c)) != 0) {
                s += cap[c];
            }
        }
        return s;
    }
}
