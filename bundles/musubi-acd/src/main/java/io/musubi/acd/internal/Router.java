package io.musubi.acd.internal;

import io.musubi.acd.AcdConfig;
import io.musubi.acd.spi.AgentCandidate;
import io.musubi.acd.spi.RoutingRequest;
import io.musubi.acd.spi.RoutingStrategy;
import io.musubi.model.Channel;
import io.musubi.model.InteractionState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The choices routing makes, read from the indexes: which free agent of a pool an arriving interaction is offered to
 * (the queue's strategy: longest-idle, least-occupied and best-skill by the free set's order, round-robin from the
 * pool's cursor, ring-all, or a plugged-in {@link RoutingStrategy} behind its {@link GuardedStrategy}), and which
 * waiting interaction an agent with free capacity takes (the work pinned to it first, then the highest effective
 * priority across its pools, ties by its channel priority, the oldest, arrival order). Holds the plugged-in
 * strategies.
 *
 * <p>No lock of its own: only touched under the engine's lock. It only chooses: it returns the agent or the work and
 * the engine makes the offer; it never calls back into the engine. The one state it changes is a round-robin pool's
 * cursor, moved to the agent it chose.
 */
final class Router {
    private final AcdConfig config;
    private final EngineTime time;
    private final LongSupplier nanoTime;
    private final Map<String, GuardedStrategy> strategies = new HashMap<>();

    Router(AcdConfig config, EngineTime time, LongSupplier nanoTime) {
        this.config = config;
        this.time = time;
        this.nanoTime = nanoTime;
    }

    void register(RoutingStrategy strategy) {
        strategies.put(strategy.name(), new GuardedStrategy(strategy, config.strategyBudget().toNanos(),
                config.strategyOverruns(), nanoTime));
    }

    void unregister(String name) {
        strategies.remove(name);
    }

    /** A plugged-in strategy's failures, overruns and whether it is disabled (1), or null if none has the name. */
    long[] strategyHealth(String name) {
        GuardedStrategy s = strategies.get(name);
        return s == null ? null : new long[] {s.failures(), s.overruns(), s.disabled() ? 1 : 0};
    }

    /** Whether every free agent of the pool rings for the interaction (ring-all, voice) instead of one chosen. */
    static boolean ringsAll(WorkItem w, Pool p) {
        return p.kind == Pool.Kind.RING_ALL && w.channel == Channel.VOICE;
    }

    /** For ring-all: the pool's free agents that may be offered the interaction, or null if there are none. */
    static List<AgentState> ringing(WorkItem w, Pool p) {
        FreeSet free = p.free[w.ch];
        if (free == null || free.isEmpty()) {
            return null;
        }
        List<AgentState> ring = new ArrayList<>();
        for (Member m : free) {
            if (!w.isExcluded(m.agent)) {
                ring.add(m.agent);
            }
        }
        return ring.isEmpty() ? null : ring;
    }

    /** The free agent of the pool the interaction is offered to, by the queue's strategy; null if none. */
    AgentState chooseAgent(WorkItem w, Pool p) {
        FreeSet free = p.free[w.ch];
        if (free == null || free.isEmpty()) {
            return null;
        }
        Pool.Kind kind = p.kind;
        if (kind == Pool.Kind.CUSTOM) {
            GuardedStrategy s = strategies.get(p.queue.def.strategy());
            if (s != null && !s.disabled()) {
                return chooseByPlugIn(w, free, s);
            }
        }
        AgentState chosen = null;
        if (kind == Pool.Kind.ROUND_ROBIN) {
            Member probe = new Member(p, p.rrCursor);
            for (Member m : free.after(probe)) {
                if (!w.isExcluded(m.agent)) {
                    chosen = m.agent;
                    break;
                }
            }
            if (chosen == null) {
                for (Member m : free) {
                    if (!w.isExcluded(m.agent)) {
                        chosen = m.agent;
                        break;
                    }
                }
            }
            if (chosen != null) {
                p.rrCursor = chosen.ordinal;
            }
        } else {
            for (Member m = free.first(); m != null; m = free.next(m)) {
                if (!w.isExcluded(m.agent)) {
                    chosen = m.agent;
                    break;
                }
            }
        }
        return chosen;
    }

    private AgentState chooseByPlugIn(WorkItem w, FreeSet free, GuardedStrategy s) {
        List<AgentCandidate> candidates = new ArrayList<>();
        Map<String, AgentState> byId = new HashMap<>();
        for (Member m : free) {
            AgentState a = m.agent;
            if (w.isExcluded(a)) {
                continue;
            }
            candidates.add(new AgentCandidate(a.id(), a.def.skills(), Instant.ofEpochMilli(a.idleSince),
                    a.load[w.ch], a.cap[w.ch], a.totalLoad));
            byId.put(a.id(), a);
        }
        if (candidates.isEmpty()) {
            return null;
        }
        RoutingRequest request = new RoutingRequest(w.id, w.channel, w.queue.id(), w.customerId, w.priority, w.vip,
                Duration.ofMillis(time.now - w.queuedAt), w.src.attributes());
        String chosen = s.select(request, Collections.unmodifiableList(candidates));
        return chosen == null ? null : byId.get(chosen);
    }

    /**
     * The most urgent work the agent can take on its free channels ({@link AgentState#freeMask}): an interaction
     * waiting for this very agent first (its {@code pinned} is then the agent), else the head with the highest
     * effective priority among its pools' waiting sets; null if nothing fits.
     */
    WorkItem mostUrgentFor(AgentState a) {
        if (a.pinned != null) {
            for (WorkItem w : a.pinned) {
                if ((a.freeMask & AgentIndex.bit(w.ch)) != 0 && !w.isExcluded(a) && w.state == InteractionState.QUEUED
                        && !w.parked) {
                    return w;
                }
            }
        }
        WaitingEntry best = null;
        double bestEff = 0;
        for (int i = 0, n = a.members.size(); i < n; i++) {
            Pool p = a.members.get(i).pool;
            int mask = p.channelMask & a.freeMask;
            while (mask != 0) {
                int c = Integer.numberOfTrailingZeros(mask);
                mask &= mask - 1;
                WaitingEntry l = p.head[c];
                if (l == null) {
                    continue;
                }
                if (l.excluding && l.work.isExcluded(a)) {
                    l = firstFor(p.waiting[c], a);
                    if (l == null) {
                        continue;
                    }
                }
                double eff = l.key + p.queue.agingPerSecond * ((time.now - time.epoch) / 1000.0);
                if (best == null || better(a, l, eff, best, bestEff)) {
                    best = l;
                    bestEff = eff;
                }
            }
        }
        return best == null ? null : best.work;
    }

    private static WaitingEntry firstFor(TreeSet<WaitingEntry> ws, AgentState a) {
        for (WaitingEntry l : ws) {
            if (!l.work.isExcluded(a)) {
                return l;
            }
        }
        return null;
    }

    private static boolean better(AgentState a, WaitingEntry l, double eff, WaitingEntry best, double bestEff) {
        if (eff != bestEff) {
            return eff > bestEff;
        }
        int r1 = a.rank[l.work.ch];
        int r2 = a.rank[best.work.ch];
        if (r1 != r2) {
            return r1 < r2;
        }
        if (l.orderAt != best.orderAt) {
            return l.orderAt < best.orderAt;
        }
        return l.seq < best.seq;
    }
}
