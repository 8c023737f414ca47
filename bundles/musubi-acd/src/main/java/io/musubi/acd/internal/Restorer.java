package io.musubi.acd.internal;

import io.musubi.acd.AcdConfig;
import io.musubi.acd.AcdRestore;
import io.musubi.acd.Actors;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rebuilds one tenant's state from an {@link AcdRestore} (docs/acd.md, Recovery): checks all of it first ({@link
 * #check}: a refused restore changes nothing), then sets the agents' presence with its original since-time, the
 * last-agent records at their original time, the assigned work on its agents' capacity (a wrap-up runs the rest of its
 * time) and the waiting interactions in their order with their original times, listed or pinned as at their arrival —
 * all without an interaction event. What routing then decides afresh (offers, due timers) is the engine's command
 * frame, after {@link #rebuild}.
 *
 * <p>No lock of its own: only run under the engine's lock, inside the restore command. It never calls back into the
 * engine.
 */
final class Restorer {
    private final AcdConfig config;
    private final EngineTime time;
    private final Topology topology;
    private final OpenInteractions open;
    private final AgentIndex index;
    private final AgentPresence presence;
    private final LastAgentRegistry lastAgents;
    private final WaitingIndex waitingIndex;
    private final Deadlines deadlines;

    Restorer(AcdConfig config, EngineTime time, Topology topology, OpenInteractions open, AgentIndex index,
             AgentPresence presence, LastAgentRegistry lastAgents, WaitingIndex waitingIndex, Deadlines deadlines) {
        this.config = config;
        this.time = time;
        this.topology = topology;
        this.open = open;
        this.index = index;
        this.presence = presence;
        this.lastAgents = lastAgents;
        this.waitingIndex = waitingIndex;
        this.deadlines = deadlines;
    }

    /**
     * Rebuilds the tenant's state (checked before with {@link #check}) without events, derived presence changes
     * included; returns the tenant. The presence the store knows is kept as the effective one until routing has run.
     */
    TenantState rebuild(AcdRestore r) {
        TenantState tenant = topology.tenant(r.tenantId());
        index.mutePresenceEvents(true);
        try {
            for (AcdRestore.Presence p : r.presence()) {
                // set silently with its original since-time; BUSY and WRAP_UP are derived: AVAILABLE is restored
                PresenceState state = p.state() == PresenceState.BUSY || p.state() == PresenceState.WRAP_UP
                        ? PresenceState.AVAILABLE : p.state();
                presence.set(topology.agent(p.agentId()), state, p.reason(), Actors.SYSTEM,
                        Math.min(time.now, p.since().toEpochMilli()));
            }
            List<AcdRestore.LastAgent> last = new ArrayList<>(r.lastAgent());
            last.sort(Comparator.comparing(AcdRestore.LastAgent::at));
            for (AcdRestore.LastAgent l : last) {
                restoreLastAgent(tenant, l);
            }
            for (AcdRestore.Assigned a : r.assigned()) {
                restoreAssigned(a);
            }
            restoreWaiting(tenant, r.waiting());
            for (AcdRestore.Presence p : r.presence()) {
                // the presence the store knows, with its since-time; derived again after routing
                AgentState a = topology.agent(p.agentId());
                a.eff = p.state();
                a.effReason = p.reason();
                a.effSince = Math.min(time.now, p.since().toEpochMilli());
            }
        } finally {
            index.mutePresenceEvents(false);
        }
        return tenant;
    }

    /** After routing: a PresenceChange only where the restored work makes the derived presence differ. */
    void derivePresenceAfterRouting(AcdRestore r) {
        for (AcdRestore.Presence p : r.presence()) {
            AgentState a = topology.agent(p.agentId());
            if (a.attached) {
                index.derivePresence(a);
            }
        }
    }

    void check(AcdRestore r) {
        String t = r.tenantId();
        for (WorkItem w : open.all()) {
            if (w.tenant.id.equals(t)) {
                throw new IllegalStateException("tenant " + t + " already has interactions in the ACD");
            }
        }
        for (AcdRestore.Presence p : r.presence()) {
            restoredAgent(t, p.agentId());
        }
        for (AcdRestore.LastAgent l : r.lastAgent()) {
            if (!topology.tenantOf(l.agentId()).equals(t)) {
                throw new IllegalArgumentException("last agent " + l.agentId() + " is not of tenant " + t);
            }
        }
        Set<String> ids = new HashSet<>();
        for (AcdRestore.Assigned a : r.assigned()) {
            restoredInteraction(t, a.interaction(), ids);
            restoredAgent(t, a.agentId());
            if (a.state() != InteractionState.CONNECTED && a.state() != InteractionState.HELD
                    && a.state() != InteractionState.WRAP_UP) {
                throw new IllegalArgumentException("interaction " + a.interaction().id() + ": an assignment is "
                        + "CONNECTED, HELD or WRAP_UP, not " + a.state());
            }
            QueueState q = topology.queue(a.interaction().queueId());
            if (q != null && q.tenant.id.equals(t) == false) {
                throw new IllegalArgumentException("interaction " + a.interaction().id() + " of tenant " + t
                        + " names queue " + q.id());
            }
        }
        for (AcdRestore.Waiting w : r.waiting()) {
            Interaction i = w.interaction();
            restoredInteraction(t, i, ids);
            QueueState q = topology.queue(i.queueId());
            if (q == null) {
                throw new IllegalArgumentException("interaction " + i.id() + ": no queue " + i.queueId());
            }
            TenantState.requireTenant(i.id(), t, q.tenant, "queue " + q.id());
            if (!q.takes(i.channel().ordinal())) {
                throw new IllegalArgumentException("queue " + q.id() + " does not take " + i.channel());
            }
            if (!w.waitsFor().isEmpty()) {
                restoredAgent(t, w.waitsFor());
            }
        }
    }

    private void restoredAgent(String tenantId, String agentId) {
        if (!topology.tenantOf(agentId).equals(tenantId)) {
            throw new IllegalArgumentException("agent " + agentId + " is not of tenant " + tenantId);
        }
        if (topology.agent(agentId) == null) {
            throw new IllegalArgumentException("no agent " + agentId + " (define agents before restoring)");
        }
    }

    private void restoredInteraction(String tenantId, Interaction i, Set<String> ids) {
        if (!i.tenantId().equals(tenantId)) {
            throw new IllegalArgumentException("interaction " + i.id() + " is of tenant " + i.tenantId() + ", not "
                    + tenantId);
        }
        if (open.contains(i.id()) || !ids.add(i.id())) {
            throw new IllegalStateException("interaction " + i.id() + " is given twice or already in the ACD");
        }
    }

    private void restoreLastAgent(TenantState tenant, AcdRestore.LastAgent l) {
        long at = l.at().toEpochMilli();
        LastAgentRecord r = lastAgents.get(tenant, l.customerId());
        if (at >= time.now - config.stickyRetention().toMillis() && (r == null || r.at <= at)) {
            lastAgents.put(tenant, l.customerId(), l.agentId(), l.channel(), at);
        }
    }

    private void restoreAssigned(AcdRestore.Assigned r) {
        Interaction i = r.interaction();
        AgentState a = topology.agent(r.agentId());
        QueueState q = topology.queue(i.queueId());
        WorkItem w = open.add(i, a.tenant);
        w.queue = q;
        w.queuedAt = r.queuedAt().toEpochMilli();
        w.orderAt = w.queuedAt;
        w.updatedAt = time.now;
        long idle = a.idleSince;
        index.detach(a);
        index.reserveDetached(a, w);
        a.idleSince = idle;          // restoring is not an offer: the agent's idle time stays as it was
        w.agent = a;
        w.acceptedAt = r.acceptedAt().toEpochMilli();
        w.offeredAt = w.acceptedAt;
        w.setState(r.state(), time.now);
        w.updatedAt = Math.min(time.now, r.since().toEpochMilli());
        if (r.state() == InteractionState.HELD) {
            w.setAside = r.setAside();
        } else if (r.state() == InteractionState.WRAP_UP) {
            a.wrapCount++;
            long wrap = q == null ? 0 : q.def.wrapUp().toMillis();
            deadlines.wrapUpEnds(w, r.since().toEpochMilli() + wrap);
        }
        index.attach(a);
    }

    private void restoreWaiting(TenantState tenant, List<AcdRestore.Waiting> waiting) {
        List<WorkItem> restored = new ArrayList<>(waiting.size());
        for (AcdRestore.Waiting r : waiting) {
            WorkItem w = open.add(r.interaction(), tenant);
            w.vip = r.vip();
            w.updatedAt = time.now;
            w.queuedAt = r.queuedAt().toEpochMilli();
            w.orderAt = r.orderAt().toEpochMilli();
                restored.add(w);
        }
        Integer[] order = new Integer[restored.size()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, Comparator.comparingLong(k -> restored.get(k).queuedAt));    // stable: ties keep arrival
        for (Integer k : order) {
            WorkItem w = restored.get(k);
            AcdRestore.Waiting r = waiting.get(k);
            QueueState q = topology.queue(r.interaction().queueId());
            w.queue = q;
            w.requeued = r.requeued();
            for (String agentId : r.excludedAgents()) {
                AgentState x = topology.agent(agentId);
                if (x != null && x.tenant == tenant) {
                    w.exclude(x);
                }
            }
            w.setState(InteractionState.QUEUED, time.now);
            w.updatedAt = time.now;
            q.link(w);
            AgentState pinTo = r.waitsFor().isEmpty() ? null : topology.agent(r.waitsFor());
            long until = r.waitsUntil() == null ? WaitPolicy.NEVER : r.waitsUntil().toEpochMilli();
            if (pinTo != null && pinTo.base.isLoggedIn() && until > time.now && !w.isExcluded(pinTo)) {
                waitingIndex.pin(w, pinTo, until);
            }
            if (w.pinned == null) {
                waitingIndex.list(w);
            }
            deadlines.nextWait(w);
        }
    }
}
