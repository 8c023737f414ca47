package io.musubi.acd.internal;

import io.musubi.acd.EscalationStep;
import io.musubi.acd.OverflowTarget;
import io.musubi.acd.StickyConfig;
import io.musubi.acd.StickyMode;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of waiting, per queue definition: whether a closed queue sends arrivals to its closed target, whether an
 * arrival waits for the customer's last agent and until when, when an interaction's next wait deadline is (last-agent
 * wait over, next escalation step, max wait), what an escalation step changes (its tier, the queues added), when max
 * wait is reached, whether an overflow target can take the interaction, and the call-back an overflow creates.
 *
 * <p>No lock of its own: only touched under the engine's lock. It decides and the engine applies: it returns the
 * agent, the deadline, the target or the call-back; the only state it changes is the interaction's own escalation
 * bookkeeping ({@link #escalate}, {@link #maxWaitReached}); re-indexing, events and timers are the engine's. It never
 * calls back into the engine.
 */
final class WaitPolicy {
    static final long NEVER = Long.MAX_VALUE;

    private final EngineTime time;
    private final Topology topology;
    private final LastAgentRegistry lastAgents;

    WaitPolicy(EngineTime time, Topology topology, LastAgentRegistry lastAgents) {
        this.time = time;
        this.topology = topology;
        this.lastAgents = lastAgents;
    }

    /** The target for an arrival when the queue is closed now and has one; null when it takes arrivals. */
    OverflowTarget closedTarget(QueueState q) {
        OverflowTarget t = q.def.whenClosed();
        return t != null && !q.def.openingHours().isOpen(time.instant()) ? t : null;
    }

    /**
     * The agent an arrival waits for (last-agent routing): the customer's last agent within the queue's TTL if it is
     * logged in, can take the channel, is not excluded and is a member of the queue; null otherwise.
     */
    AgentState lastAgentToWaitFor(WorkItem w, QueueState q) {
        StickyConfig sc = q.def.sticky();
        if (!sc.enabled() || w.customerId.isEmpty()) {
            return null;
        }
        LastAgentRecord rec = lastAgents.get(w.tenant, w.customerId);
        if (rec == null || time.now - rec.at > sc.ttl().toMillis()) {
            return null;
        }
        AgentState a = topology.agent(rec.agentId);
        if (a == null || !a.base.isLoggedIn() || a.cap[w.ch] == 0 || w.isExcluded(a)) {
            return null;
        }
        Pool p0 = q.pools[0];
        for (Member m : a.members) {
            if (m.pool == p0) {
                return a;
            }
        }
        return null;
    }

    /** Until when an arrival waits for its last agent: the preferred wait, or max wait in required mode. */
    long lastAgentWaitUntil(QueueState q, long queuedAt) {
        StickyConfig sc = q.def.sticky();
        return sc.mode() == StickyMode.PREFERRED ? time.now + sc.preferredWait().toMillis() : maxWaitUntil(q, queuedAt);
    }

    /** When max wait passes for an interaction queued at {@code queuedAt}; {@link #NEVER} without max wait. */
    static long maxWaitUntil(QueueState q, long queuedAt) {
        return q.maxWaitMs > 0 ? queuedAt + q.maxWaitMs : NEVER;
    }

    /** The next deadline of a waiting interaction (its last-agent wait, next escalation step, max wait); or NEVER. */
    long nextDeadline(WorkItem w) {
        long d = NEVER;
        if (w.pinned != null && w.pinUntil < NEVER) {
            d = w.pinUntil;
        }
        QueueState q = w.queue;
        if (q != null) {
            List<EscalationStep> steps = q.def.escalation();
            if (w.nextStep < steps.size()) {
                d = Math.min(d, w.queuedAt + steps.get(w.nextStep).after().toMillis());
            }
            if (q.maxWaitMs > 0 && !w.maxWaitPassed) {
                d = Math.min(d, w.queuedAt + q.maxWaitMs);
            }
        }
        return d;
    }

    /**
     * Applies the escalation steps that are due to the interaction (its tier, the queues that may take it too);
     * returns whether any was, i.e. whether its listings must be made again.
     */
    boolean escalate(WorkItem w) {
        QueueState q = w.queue;
        List<EscalationStep> steps = q.def.escalation();
        boolean changed = false;
        while (w.nextStep < steps.size() && w.queuedAt + steps.get(w.nextStep).after().toMillis() <= time.now) {
            for (String qid : steps.get(w.nextStep).addQueues()) {
                QueueState x = topology.queue(qid);
                if (x == null || x == q) {
                    continue;
                }
                if (w.extraQueues == null) {
                    w.extraQueues = new ArrayList<>(2);
                }
                if (!w.extraQueues.contains(x)) {
                    w.extraQueues.add(x);
                }
            }
            w.nextStep++;
            w.tier = q.stepPool[w.nextStep];
            changed = true;
        }
        return changed;
    }

    /** Whether the interaction reached its queue's max wait just now (true once; it is marked). */
    boolean maxWaitReached(WorkItem w) {
        QueueState q = w.queue;
        if (q.maxWaitMs > 0 && !w.maxWaitPassed && w.queuedAt + q.maxWaitMs <= time.now) {
            w.maxWaitPassed = true;
            return true;
        }
        return false;
    }

    /** The queue an overflow to {@code target} sends the interaction to, or null if it cannot take it. */
    QueueState overflowQueue(WorkItem w, OverflowTarget target) {
        QueueState t = topology.queue(target.queueId());
        return t == null || t == w.queue || !t.takes(w.ch) ? null : t;
    }

    /** When an overflow's call-back is due: after the target's delay, or at the next opening of a closed queue. */
    long callbackTime(QueueState q, OverflowTarget target, String reason) {
        long at = time.now + target.callbackDelay().toMillis();
        if ("closed".equals(reason)) {
            at = q.def.openingHours().nextOpening(Instant.ofEpochMilli(time.now)).map(Instant::toEpochMilli)
                    .orElse(at);
        }
        return at;
    }

    /** The call-back interaction an overflow creates in place of {@code w}: voice if the queue takes voice. */
    Interaction callback(WorkItem w, QueueState q, String id) {
        Channel ch = q.takes(Channel.VOICE.ordinal()) ? Channel.VOICE : w.channel;
        Interaction src = w.src;
        Instant now = Instant.ofEpochMilli(time.now);
        return new Interaction(id, src.tenantId(), ch, w.customerId, src.from(), src.to(), src.threadKey(), q.id(),
                w.priority, src.attributes(), InteractionState.NEW, now, now, "", "");
    }
}
