package io.musubi.acd.internal;

import io.musubi.acd.AgentStatus;
import io.musubi.acd.QueueStatistics;
import io.musubi.acd.WaitingInteraction;
import io.musubi.model.Channel;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The snapshots the queries answer with (agent status, queue statistics, a queue's waiting list), read from the
 * engine's state at a time {@code t}. Pure functions, no state of their own; called under the engine's lock.
 */
final class Views {
    private static final Channel[] CHANNELS = Channel.values();

    private Views() {
    }

    static AgentStatus status(AgentState a, long t) {
        Map<Channel, Integer> load = new EnumMap<>(Channel.class);
        Map<Channel, Long> handled = new EnumMap<>(Channel.class);
        Set<Channel> enabled = EnumSet.noneOf(Channel.class);
        Set<Channel> routable = EnumSet.noneOf(Channel.class);
        for (Channel c : CHANNELS) {
            int i = c.ordinal();
            if (a.load[i] > 0) {
                load.put(c, a.load[i]);
            }
            if (a.handled[i] > 0) {
                handled.put(c, a.handled[i]);
            }
            if ((a.enabledMask & (1 << i)) != 0) {
                enabled.add(c);
            }
            if (a.attached && (a.freeMask & (1 << i)) != 0) {
                routable.add(c);
            }
        }
        long logged = a.loggedInAccum + (a.loggedInSince >= 0 ? t - a.loggedInSince : 0);
        long busy = a.busyAccum + (a.busySince >= 0 ? t - a.busySince : 0);
        double occ = logged <= 0 ? 0 : Math.min(1.0, (double) busy / logged);
        List<String> offered = new ArrayList<>();
        List<String> assigned = new ArrayList<>();
        for (WorkItem w : a.works) {
            (w.state == InteractionState.OFFERED ? offered : assigned).add(w.id);
        }
        List<String> pinned = new ArrayList<>();
        if (a.pinned != null) {
            for (WorkItem w : a.pinned) {
                pinned.add(w.id);
            }
        }
        return new AgentStatus(a.id(), a.def.name(), a.eff, a.effReason, Instant.ofEpochMilli(a.effSince),
                Duration.ofMillis(Math.max(0, t - a.effSince)), Collections.unmodifiableMap(load),
                a.def.capacities(), Collections.unmodifiableSet(enabled), Collections.unmodifiableSet(routable), occ,
                Collections.unmodifiableMap(handled), List.copyOf(offered), List.copyOf(assigned),
                List.copyOf(pinned));
    }

    static QueueStatistics statistics(QueueState q, long t) {
        int avail = 0;
        int busy = 0;
        int away = 0;
        for (Member m : q.pools[0].members) {
            PresenceState s = m.agent.eff;
            if (s == PresenceState.AVAILABLE) {
                avail++;
            } else if (s == PresenceState.BUSY || s == PresenceState.WRAP_UP) {
                busy++;
            } else if (s.isLoggedIn()) {
                away++;
            }
        }
        Duration longest = q.head == null ? Duration.ZERO : Duration.ofMillis(Math.max(0, t - q.head.queuedAt));
        long counted = q.answered + q.abandoned;
        double sl = counted == 0 ? 100.0 : 100.0 * q.answeredInSl / counted;
        Duration asa = q.answered == 0 ? Duration.ZERO : Duration.ofMillis(q.asaSumMs / q.answered);
        Duration aht = q.handled == 0 ? Duration.ZERO : Duration.ofMillis(q.handleSumMs / q.handled);
        return new QueueStatistics(q.id(), q.def.openingHours().isOpen(Instant.ofEpochMilli(t)), q.waitingCount,
                longest, avail, busy, away, q.offered, q.answered, q.abandoned, q.overflowed, sl, asa, aht);
    }

    /** The queue's waiting interactions in offer order (requeued first, priority, order time, arrival). */
    static List<WaitingInteraction> waiting(QueueState q, long now, long epoch) {
        List<WorkItem> ws = new ArrayList<>();
        for (WorkItem w = q.head; w != null; w = w.qNext) {
            if (w.state == InteractionState.QUEUED) {
                ws.add(w);
            }
        }
        double agingNow = q.agingPerSecond * ((now - epoch) / 1000.0);
        Comparator<WorkItem> order = Comparator.<WorkItem, Boolean>comparing(w -> !w.requeued)
                .thenComparing(w -> -(effectiveIn(q, w, now) - agingNow))
                .thenComparingLong(w -> w.orderAt).thenComparingLong(w -> w.seq);
        ws.sort(order);
        List<WaitingInteraction> out = new ArrayList<>();
        for (WorkItem w : ws) {
            out.add(new WaitingInteraction(w.id, w.channel, w.customerId, q.id(), effectiveIn(q, w, now),
                    Instant.ofEpochMilli(w.queuedAt), w.requeued, w.pinned == null ? "" : w.pinned.id()));
        }
        return out;
    }

    /** Effective priority in a queue now: queue + interaction priority, VIP boost, aging. */
    static double effectiveIn(QueueState q, WorkItem w, long now) {
        double base = q.def.priority() + w.priority + (w.vip ? q.def.vipBoost() : 0);
        return base + q.agingPerSecond * ((now - w.orderAt) / 1000.0);
    }
}
