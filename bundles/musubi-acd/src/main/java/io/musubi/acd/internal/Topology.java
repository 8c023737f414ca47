package io.musubi.acd.internal;

import io.musubi.acd.AgentDefinition;
import io.musubi.acd.EscalationStep;
import io.musubi.acd.OverflowTarget;
import io.musubi.acd.QueueDefinition;
import io.musubi.model.Channel;
import io.musubi.model.ScopedId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * What is defined: the agents (by id and by ordinal), the queues with their pools (one per escalation tier), the
 * tenants with their pool index, and the memberships that link them — built from the definitions, so that an agent is
 * a member of exactly the pools whose skills it satisfies, within its own tenant. Checks the definitions that would
 * cross tenants or escalate a queue to itself.
 *
 * <p>No lock of its own: only touched under the engine's lock. It never calls back into the engine; what is waiting
 * in a queue that is redefined or removed is the engine's to take out and put back.
 */
final class Topology {
    private static final Channel[] CHANNELS = Channel.values();

    private final String engineTenant;
    private final EngineTime time;
    private final AgentIndex index;
    private final Map<String, AgentState> agents = new HashMap<>();
    /** Agents by ordinal, in definition order (null where one was removed). */
    private final ArrayList<AgentState> agentsByOrdinal = new ArrayList<>();
    private final Map<String, QueueState> queues = new LinkedHashMap<>();
    /** Per tenant: its pools, agents and last-agent records (see {@link TenantState}). */
    private final Map<String, TenantState> tenants = new HashMap<>();
    private int nextOrdinal;

    Topology(String engineTenant, EngineTime time, AgentIndex index) {
        this.engineTenant = engineTenant;
        this.time = time;
        this.index = index;
    }

    // ---- lookups

    AgentState agent(String id) {
        return agents.get(id);
    }

    AgentState agentOf(String id) {
        AgentState a = agents.get(id);
        if (a == null) {
            throw new NoSuchElementException("no agent " + id);
        }
        return a;
    }

    QueueState queue(String id) {
        return queues.get(id);
    }

    QueueState queueOf(String id) {
        QueueState q = queues.get(id);
        if (q == null) {
            throw new NoSuchElementException("no queue " + id);
        }
        return q;
    }

    /** The queues in definition order. */
    Collection<QueueState> queues() {
        return queues.values();
    }

    /** The agents in definition order, null where one was removed. */
    List<AgentState> agentsByOrdinal() {
        return agentsByOrdinal;
    }

    int agentCount() {
        return agents.size();
    }

    Collection<TenantState> tenants() {
        return tenants.values();
    }

    /** The tenant's state if it has any (an agent, a queue, a restore), else null. */
    TenantState existingTenant(String tenantId) {
        return tenants.get(tenantId);
    }

    /** The tenant of an agent or queue id: {@code acme/alice} is acme's; an unscoped id is the engine's tenant. */
    String tenantOf(String id) {
        return ScopedId.tenantOf(id, engineTenant);
    }

    TenantState tenant(String tenantId) {
        TenantState t = tenants.get(tenantId);
        if (t == null) {
            t = new TenantState(tenantId);
            tenants.put(tenantId, t);
        }
        return t;
    }

    // ---- agents

    /** Defines a new agent (logged out, in its pools) or replaces an agent's definition (its memberships again). */
    void defineAgent(AgentDefinition def) {
        AgentState a = agents.get(def.id());
        if (a == null) {
            a = new AgentState(nextOrdinal++, def, tenant(tenantOf(def.id())));
            a.effSince = time.now;
            a.idleSince = time.now;
            agents.put(def.id(), a);
            agentsByOrdinal.add(a);
            a.tenant.agents.add(a);
            computeMemberships(a);
            index.attach(a);
        } else {
            index.detach(a);
            clearMemberships(a);
            a.setDefinition(def);
            computeMemberships(a);
            index.attach(a);
            index.markToPickWork(a);
        }
    }

    /** Forgets an agent that has no work and waits for nothing (the engine has seen to both). */
    void removeAgent(AgentState a) {
        a.deferredAttach = false;
        index.detach(a);
        clearMemberships(a);
        agents.remove(a.id());
        agentsByOrdinal.set(a.ordinal, null);
        a.tenant.agents.remove(a);
    }

    // ---- queues

    /**
     * Refuses a queue definition that names a queue or an agent of another tenant (overflow and closed targets, VIP
     * queue, escalation queues, explicit members): routing follows these names, so they must stay in the tenant.
     */
    void checkSameTenant(QueueDefinition def) {
        String tenant = tenantOf(def.id());
        for (String m : def.members()) {
            requireTenant(def, "member", m, tenant);
        }
        if (!def.vipQueueId().isEmpty()) {
            requireTenant(def, "VIP queue", def.vipQueueId(), tenant);
        }
        for (OverflowTarget t : new OverflowTarget[] {def.overflow(), def.whenClosed()}) {
            if (t != null && t.kind() == OverflowTarget.Kind.QUEUE) {
                requireTenant(def, "overflow queue", t.queueId(), tenant);
            }
        }
        for (EscalationStep step : def.escalation()) {
            for (String q : step.addQueues()) {
                requireTenant(def, "escalation queue", q, tenant);
            }
        }
    }

    private void requireTenant(QueueDefinition def, String what, String id, String tenant) {
        if (!tenantOf(id).equals(tenant)) {
            throw new IllegalArgumentException("queue " + def.id() + " of tenant " + tenant + ": " + what + " " + id
                    + " is not of that tenant");
        }
    }

    static void checkEscalation(QueueDefinition def) {
        for (EscalationStep s : def.escalation()) {
            for (String q : s.addQueues()) {
                if (q.equals(def.id())) {
                    throw new IllegalArgumentException("a queue cannot escalate to itself");
                }
            }
        }
    }

    /**
     * Defines a new queue or replaces a queue's definition: its pools are built again and filled from its tenant's
     * agents. What waits in the old pools must have been taken out before.
     */
    QueueState defineQueue(QueueDefinition def) {
        QueueState q = queues.get(def.id());
        if (q != null) {
            destroyPools(q);
            q.def = def;
        } else {
            q = new QueueState(def, tenant(tenantOf(def.id())));
            queues.put(def.id(), q);
        }
        buildPools(q);
        return q;
    }

    /** Forgets a queue nothing waits in any more. */
    void removeQueue(QueueState q) {
        destroyPools(q);
        queues.remove(q.id());
    }

    // ---- pools and memberships

    private void buildPools(QueueState q) {
        QueueDefinition def = q.def;
        int mask = 0;
        for (Channel c : def.channels()) {
            mask |= AgentIndex.bit(c.ordinal());
        }
        q.channelMask = mask;
        q.agingPerSecond = def.agingWeight();
        q.maxWaitMs = def.maxWait().toMillis();
        for (Channel c : CHANNELS) {
            q.offerTimeoutMs[c.ordinal()] = def.offerTimeout(c) == null ? QueueDefinition.defaultOfferTimeout(c)
                    .toMillis() : def.offerTimeout(c).toMillis();
        }
        List<Pool> pools = new ArrayList<>();
        pools.add(new Pool(q, 0, def.requiredSkills(), mask, def.strategy()));
        int[] stepPool = new int[def.escalation().size() + 1];
        for (int k = 0; k < def.escalation().size(); k++) {
            EscalationStep s = def.escalation().get(k);
            if (s.requiredSkills() != null) {
                pools.add(new Pool(q, pools.size(), s.requiredSkills(), mask, def.strategy()));
                stepPool[k + 1] = pools.size() - 1;
            } else {
                stepPool[k + 1] = stepPool[k];
            }
        }
        q.pools = pools.toArray(new Pool[0]);
        q.stepPool = stepPool;
        TenantState t = q.tenant;
        for (Pool p : q.pools) {
            String anchor = p.anchorSkill();
            if (anchor == null) {
                t.poolsWithoutSkills.add(p);
            } else {
                t.poolsByAnchor.computeIfAbsent(anchor, k -> new ArrayList<>()).add(p);
            }
            for (AgentState a : t.agents) {
                if (p.admits(a)) {
                    index.addMember(p, a);
                }
            }
        }
    }

    private void destroyPools(QueueState q) {
        if (q.pools == null) {
            return;
        }
        TenantState t = q.tenant;
        for (Pool p : q.pools) {
            String anchor = p.anchorSkill();
            if (anchor == null) {
                t.poolsWithoutSkills.remove(p);
            } else {
                List<Pool> l = t.poolsByAnchor.get(anchor);
                if (l != null) {
                    l.remove(p);
                    if (l.isEmpty()) {
                        t.poolsByAnchor.remove(anchor);
                    }
                }
            }
            for (Member m : p.members) {
                m.agent.members.remove(m);
            }
            p.members.clear();
        }
        q.pools = null;
    }

    private void computeMemberships(AgentState a) {
        TenantState t = a.tenant;
        for (String skill : a.def.skills().keySet()) {
            List<Pool> l = t.poolsByAnchor.get(skill);
            if (l != null) {
                for (Pool p : l) {
                    if (p.admits(a)) {
                        index.addMember(p, a);
                    }
                }
            }
        }
        for (Pool p : t.poolsWithoutSkills) {
            if (p.admits(a)) {
                index.addMember(p, a);
            }
        }
    }

    private void clearMemberships(AgentState a) {
        for (Member m : a.members) {
            m.pool.members.remove(m);
        }
        a.members.clear();
        a.memberChannels = 0;
    }
}
