package io.musubi.acd.internal;

import io.musubi.acd.AcdConfig;
import io.musubi.model.Channel;
import io.musubi.model.PresenceState;

/**
 * An agent's set presence and what follows from it: which presence may be set (BUSY is derived; away reasons from
 * {@link AcdConfig#awayReasons()}), the time accounting of a change (logged in since, busy since, idle since: the sort
 * key of longest-idle), the per-channel toggles and the device-busy flag, each followed by re-indexing the agent
 * ({@link AgentIndex}), which derives the effective presence and posts its change.
 *
 * <p>No lock of its own: only touched under the engine's lock. It never calls back into the engine: it does not
 * withdraw offers or release pinned work when an agent logs out, that is the engine's, before it calls {@link #set}.
 */
final class AgentPresence {
    private final AcdConfig config;
    private final EngineTime time;
    private final AgentIndex index;

    AgentPresence(AcdConfig config, EngineTime time, AgentIndex index) {
        this.config = config;
        this.time = time;
        this.index = index;
    }

    /** Refuses a presence that cannot be set: BUSY (derived), an away reason not configured. Changes nothing. */
    void check(PresenceState state, String reason) {
        if (state == PresenceState.BUSY) {
            throw new IllegalArgumentException("BUSY is derived by the ACD and cannot be set");
        }
        if (!config.awayReasons().isEmpty() && !reason.isEmpty() && state.isLoggedIn() && !state.isRoutable()
                && state != PresenceState.NOT_RESPONDING && state != PresenceState.WRAP_UP
                && !config.awayReasons().contains(reason)) {
            throw new IllegalArgumentException("unknown away reason " + reason);
        }
    }

    /**
     * Sets the agent's presence as of {@code since} (now, or the original time on a restore): a login starts the
     * logged-in and idle times there, a logout adds up the logged-in and busy times until now. Re-indexes the agent
     * with {@code actor} on the presence events.
     */
    void set(AgentState a, PresenceState state, String reason, String actor, long since) {
        long now = time.now;
        index.detach(a);
        PresenceState old = a.base;
        if (old == PresenceState.OFFLINE && state != PresenceState.OFFLINE) {
            a.loggedInSince = since;
            a.idleSince = since;
            if (a.totalLoad > 0) {
                a.busySince = now;
            }
        } else if (old != PresenceState.OFFLINE && state == PresenceState.OFFLINE) {
            a.loggedInAccum += now - a.loggedInSince;
            a.loggedInSince = -1;
            if (a.busySince >= 0) {
                a.busyAccum += now - a.busySince;
                a.busySince = -1;
            }
        }
        if (state == PresenceState.AVAILABLE && old != PresenceState.AVAILABLE) {
            a.idleSince = since;
        }
        a.base = state;
        a.baseReason = reason;
        index.attachAs(a, actor);
    }

    /** Turns one channel on or off for the agent (per-channel availability). */
    void setChannelEnabled(AgentState a, Channel channel, boolean enabled, String actor) {
        index.detach(a);
        if (enabled) {
            a.enabledMask |= AgentIndex.bit(channel.ordinal());
        } else {
            a.enabledMask &= ~AgentIndex.bit(channel.ordinal());
        }
        index.attachAs(a, actor);
    }

    /** A connector reports the agent's device busy (or free): a busy device takes no offer. */
    void setDeviceBusy(AgentState a, boolean busy, String actor) {
        index.detach(a);
        a.deviceBusy = busy;
        index.attachAs(a, actor);
    }
}
