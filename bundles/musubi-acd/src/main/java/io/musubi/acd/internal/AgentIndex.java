package io.musubi.acd.internal;

import io.musubi.acd.Actors;
import io.musubi.acd.ChannelRules;
import io.musubi.model.Channel;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;

import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * Which agents can take which channel now, kept in their pools' free sets: an agent's capacity bookkeeping (load,
 * shared load, reservations and releases), the channel rules as bit masks (what blocks what, what is interruptible),
 * attaching an agent to the free sets and detaching it around a change of its sort keys or capacity, its derived
 * presence (BUSY, WRAP_UP) with the {@link PresenceChange} it causes, and the agents whose free capacity grew and must
 * pick work (the flush takes them with {@link #nextToPickWork}).
 *
 * <p>No lock of its own: only touched under the engine's lock. It never calls back into the engine: it changes the
 * indexes and posts presence events; choosing and offering work is the engine's (and the router's).
 */
final class AgentIndex {
    static final int NCH = AgentState.NCH;

    private final EngineTime time;
    private final EventOutbox events;
    /** Per channel: the channels an interaction on it blocks while in progress (never itself). */
    private final int[] blocksMask = new int[NCH];
    /** The interruptible channels (their work may be set aside by a blocking one). */
    private final int interruptibleMask;

    private final ArrayDeque<AgentState> toPickWork = new ArrayDeque<>();
    /** Agents released from work and left detached until they pick work (see {@link #release}). */
    private final ArrayList<AgentState> deferred = new ArrayList<>();
    /** The actor recorded on presence events caused by the re-indexing in progress. */
    private String presenceActor = Actors.SYSTEM;
    /** Set while a restore rebuilds state: derived presence changes are not emitted. */
    private boolean presenceEventsMuted;

    AgentIndex(ChannelRules rules, EngineTime time, EventOutbox events) {
        this.time = time;
        this.events = events;
        int im = 0;
        for (Channel c : Channel.values()) {
            int m = 0;
            for (Channel b : rules.blockedBy(c)) {
                m |= bit(b.ordinal());
            }
            m &= ~bit(c.ordinal());
            blocksMask[c.ordinal()] = m;
            if (rules.isInterruptible(c)) {
                im |= bit(c.ordinal());
            }
        }
        this.interruptibleMask = im;
    }

    static int bit(int ch) {
        return 1 << ch;
    }

    /** Whether work on channel {@code ch} blocks any other channel. */
    boolean blocksOthers(int ch) {
        return blocksMask[ch] != 0;
    }

    /** Whether work on channel {@code blocking} sets aside work in progress on channel {@code ch}. */
    boolean setsAside(int blocking, int ch) {
        return (interruptibleMask & bit(ch)) != 0 && (blocksMask[blocking] & bit(ch)) != 0;
    }

    void mutePresenceEvents(boolean muted) {
        presenceEventsMuted = muted;
    }

    /** Takes the agent out of its pools' free sets, so its sort keys and capacity may change. */
    void detach(AgentState a) {
        if (!a.attached) {
            return;
        }
        // a saturated or blocked agent is in no free set: do not even touch its memberships
        for (int i = 0, n = (a.freeMask & a.memberChannels) == 0 ? 0 : a.members.size(); i < n; i++) {
            Member m = a.members.get(i);
            int mask = m.pool.channelMask & a.freeMask;
            while (mask != 0) {
                int c = Integer.numberOfTrailingZeros(mask);
                mask &= mask - 1;
                m.pool.free[c].remove(m);
            }
        }
        a.detachedMask = a.freeMask;
        a.attached = false;
    }

    /** Recomputes what the agent can take, puts it back into its pools' free sets, derives its presence. */
    void attach(AgentState a) {
        int old = a.attached ? a.freeMask : a.detachedMask;
        int mask = computeFreeMask(a);
        a.freeMask = mask;
        int units = a.capacityUnits();
        a.occKey = units == 0 ? 1.0 : (double) a.totalLoad / units;
        for (int i = 0, n = (mask & a.memberChannels) == 0 ? 0 : a.members.size(); i < n; i++) {
            Member m = a.members.get(i);
            int pm = m.pool.channelMask & mask;
            if (pm != 0) {
                m.refresh();      // sort keys copied only for the sets it enters (one outside any set may be stale)
            }
            while (pm != 0) {
                int c = Integer.numberOfTrailingZeros(pm);
                pm &= pm - 1;
                m.pool.free[c].add(m);
            }
        }
        a.attached = true;
        if ((mask & ~old) != 0) {
            markToPickWork(a);
        }
        derivePresence(a);
    }

    /** Re-indexes an agent after a change, with {@code actor} recorded on the presence events it causes. */
    void attachAs(AgentState a, String actor) {
        String prev = presenceActor;
        presenceActor = actor;
        try {
            attach(a);
        } finally {
            presenceActor = prev;
        }
    }

    /** A new membership: the agent enters the pool's free sets on the channels it can take, and picks work. */
    void addMember(Pool p, AgentState a) {
        Member m = new Member(p, a, p.score(a.def));
        p.members.add(m);
        a.members.add(m);
        a.memberChannels |= p.channelMask;
        if (a.attached) {
            int mask = p.channelMask & a.freeMask;
            while (mask != 0) {
                int c = Integer.numberOfTrailingZeros(mask);
                mask &= mask - 1;
                p.free[c].add(m);
            }
            markToPickWork(a);
        }
    }

    /** The channels the agent can take now (presence, device, toggles, capacity, blocking, shared capacity). */
    int computeFreeMask(AgentState a) {
        if (a.base != PresenceState.AVAILABLE || a.deviceBusy) {
            return 0;
        }
        int blocked = 0;
        for (int c = 0; c < NCH; c++) {
            if (a.load[c] > 0) {
                blocked |= blocksMask[c];
            }
        }
        int candidates = a.enabledMask & ~blocked;
        int mask = 0;
        while (candidates != 0) {
            int c = Integer.numberOfTrailingZeros(candidates);
            candidates &= candidates - 1;
            if (a.load[c] >= a.cap[c]) {
                continue;
            }
            if (a.shared > 0) {
                int used = a.sharedLoad - (blocksMask[c] != 0 ? a.interruptibleShared : 0);
                if (used + a.cost[c] > a.shared) {
                    continue;
                }
            }
            mask |= bit(c);
        }
        return mask;
    }

    boolean canTake(AgentState a, int ch) {
        return a.attached && (a.freeMask & bit(ch)) != 0;
    }

    /** The effective presence from the set one and the work: BUSY, WRAP_UP; a change is posted as an event. */
    void derivePresence(AgentState a) {
        PresenceState eff;
        String reason;
        if (a.base != PresenceState.AVAILABLE) {
            eff = a.base;
            reason = a.baseReason;
        } else if (a.deviceBusy) {
            eff = PresenceState.BUSY;
            reason = "device-busy";
        } else if (a.freeMask != 0) {
            eff = PresenceState.AVAILABLE;
            reason = a.baseReason;
        } else if (a.totalLoad == 0) {
            eff = PresenceState.BUSY;
            reason = "no-channel";
        } else if (a.wrapCount == a.totalLoad) {
            eff = PresenceState.WRAP_UP;
            reason = "";
        } else {
            eff = PresenceState.BUSY;
            reason = "";
        }
        if (eff != a.eff || !reason.equals(a.effReason)) {
            PresenceState from = a.eff;
            a.eff = eff;
            a.effReason = reason;
            a.effSince = time.now;
            if (events.emitting() && !presenceEventsMuted) {
                events.post(new PresenceChange(events.nextEventId(), a.tenant.id, a.id(), from, eff, reason,
                        presenceActor, time.instant()));
            }
        }
    }

    /** Books capacity for an offer (or a forced assignment). */
    void reserve(AgentState a, WorkItem w) {
        detach(a);
        reserveDetached(a, w);
        attach(a);
    }

    void reserveDetached(AgentState a, WorkItem w) {
        TenantState.assertSameTenant(w, a.tenant);
        long now = time.now;
        a.load[w.ch]++;
        if (a.totalLoad++ == 0 && a.base.isLoggedIn()) {
            a.busySince = now;
        }
        int cost = a.cost[w.ch];
        a.sharedLoad += cost;
        if ((interruptibleMask & bit(w.ch)) != 0) {
            a.interruptibleShared += cost;
        }
        a.works.add(w);
        a.idleSince = now;
    }

    /** Gives capacity back (offer withdrawn, rejected, timed out; or the end of the work). */
    void release(AgentState a, WorkItem w, boolean endOfWork) {
        if (!a.works.remove(w)) {
            return;
        }
        long now = time.now;
        detach(a);
        a.load[w.ch]--;
        if (--a.totalLoad == 0 && a.busySince >= 0) {
            a.busyAccum += now - a.busySince;
            a.busySince = -1;
        }
        int cost = a.cost[w.ch];
        a.sharedLoad -= cost;
        if ((interruptibleMask & bit(w.ch)) != 0) {
            a.interruptibleShared -= cost;
        }
        if (w.state == io.musubi.model.InteractionState.WRAP_UP) {
            a.wrapCount--;
        }
        if (endOfWork) {
            a.idleSince = now;
        }
        deferAttach(a);
    }

    /**
     * After a release the agent usually takes new work at once, so putting it back into its ~10 pools' free sets only
     * to take it out again for the offer is wasted work (and allocation). It stays detached, marked to pick work; the
     * flush either lets it pick work while detached and attaches it once, or attaches it before routing any arriving
     * interaction ({@link #attachDeferred}), so routing sees the same free agents as before. Its derived presence is
     * updated when it is attached, at the end of the command's routing: an agent that is freed and immediately takes
     * new work does not flap BUSY → AVAILABLE → BUSY.
     */
    private void deferAttach(AgentState a) {
        if (!a.deferredAttach) {
            a.deferredAttach = true;
            deferred.add(a);
        }
        markToPickWork(a);
    }

    /**
     * Puts back into the free sets every agent whose re-indexing was deferred (see {@link #release}), so that an
     * arriving interaction sees exactly the agents free now. They stay marked for work picking.
     */
    void attachDeferred() {
        for (int i = 0, n = deferred.size(); i < n; i++) {
            AgentState a = deferred.get(i);
            if (a.deferredAttach) {
                a.deferredAttach = false;
                if (!a.attached) {
                    attach(a);
                }
            }
        }
        deferred.clear();
    }

    void markToPickWork(AgentState a) {
        if (!a.dirty) {
            a.dirty = true;
            toPickWork.add(a);
        }
    }

    /** The next agent whose free capacity grew (unmarked), or null. */
    AgentState nextToPickWork() {
        AgentState a = toPickWork.poll();
        if (a != null) {
            a.dirty = false;
        }
        return a;
    }

    /** Whether the agent has work on an interruptible channel (only then can anything be set aside). */
    boolean hasInterruptibleLoad(AgentState a) {
        int m = interruptibleMask;
        while (m != 0) {
            int c = Integer.numberOfTrailingZeros(m);
            m &= m - 1;
            if (a.load[c] > 0) {
                return true;
            }
        }
        return false;
    }

}
