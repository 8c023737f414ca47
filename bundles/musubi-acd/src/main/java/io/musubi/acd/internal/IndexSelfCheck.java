package io.musubi.acd.internal;

import io.musubi.model.Channel;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's self-check (tests): every index against a full scan — the cached first entry of each waiting set, the
 * free sets' membership and order and the sort keys copied into them, and tenant isolation (no pool, member, waiting
 * interaction, assigned or pinned work of another tenant). Returns the problems found, none when the indexes are
 * right.
 *
 * <p>No lock of its own: the engine runs it under its lock. It reads only and never calls back into the engine.
 */
final class IndexSelfCheck {
    private static final int NCH = AgentState.NCH;
    private static final Channel[] CHANNELS = Channel.values();

    private final Topology topology;
    private final OpenInteractions open;
    private final AgentIndex index;

    IndexSelfCheck(Topology topology, OpenInteractions open, AgentIndex index) {
        this.topology = topology;
        this.open = open;
        this.index = index;
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        checkTenants(problems);
        for (QueueState q : topology.queues()) {
            for (Pool p : q.pools) {
                for (int c = 0; c < NCH; c++) {
                    if (!p.serves(c)) {
                        continue;
                    }
                    WaitingEntry first = p.waiting[c].isEmpty() ? null : p.waiting[c].first();
                    if (p.head[c] != first) {
                        problems.add("head of the waiting set of " + q.id() + "/" + CHANNELS[c] + " is stale");
                    }
                    int inSet = 0;
                    Member prev = null;
                    for (Member m : p.free[c]) {
                        if (prev != null && p.order.compare(prev, m) >= 0) {
                            problems.add("free set of " + q.id() + "/" + CHANNELS[c] + " out of order at "
                                    + m.agent.id());
                        }
                        prev = m;
                        inSet++;
                    }
                    int shouldCount = 0;
                    for (Member m : p.members) {
                        if (p.free[c].contains(m)) {
                            shouldCount++;
                        }
                    }
                    if (inSet != shouldCount) {
                        problems.add("free set of " + q.id() + "/" + CHANNELS[c] + " holds " + inSet
                                + " members, " + shouldCount + " marked");
                    }
                    for (Member m : p.members) {
                        if (m.idle != m.agent.idleSince || Double.compare(m.occ, m.agent.occKey) != 0) {
                            if (p.free[c].contains(m)) {
                                problems.add("agent " + m.agent.id() + " sort keys in " + q.id() + " are stale");
                            }
                        }
                        boolean in = p.free[c].contains(m);
                        boolean should = m.agent.attached && index.computeFreeMask(m.agent) == m.agent.freeMask
                                && (m.agent.freeMask & AgentIndex.bit(c)) != 0;
                        if (in != should) {
                            problems.add("agent " + m.agent.id() + " free-set membership in " + q.id() + "/"
                                    + CHANNELS[c] + " is " + in);
                        }
                    }
                }
            }
        }
        return problems;
    }

    /** Tenant isolation by full scan: nothing routing can reach from a queue or an agent is of another tenant. */
    private void checkTenants(List<String> problems) {
        for (TenantState t : topology.tenants()) {
            List<Pool> indexed = new ArrayList<>(t.poolsWithoutSkills);
            t.poolsByAnchor.values().forEach(indexed::addAll);
            for (Pool p : indexed) {
                if (p.queue.tenant != t) {
                    problems.add("pool of queue " + p.queue.id() + " indexed in tenant " + t);
                }
            }
            for (AgentState a : t.agents) {
                if (a.tenant != t || topology.agent(a.id()) != a) {
                    problems.add("agent " + a.id() + " listed in tenant " + t);
                }
            }
        }
        for (QueueState q : topology.queues()) {
            if (!q.tenant.id.equals(topology.tenantOf(q.id())) || topology.existingTenant(q.tenant.id) != q.tenant) {
                problems.add("queue " + q.id() + " has tenant " + q.tenant);
            }
            for (Pool p : q.pools) {
                for (Member m : p.members) {
                    if (m.agent.tenant != q.tenant) {
                        problems.add("agent " + m.agent.id() + " is a member of queue " + q.id());
                    }
                }
                for (int c = 0; c < NCH; c++) {
                    if (p.waiting[c] != null) {
                        for (WaitingEntry l : p.waiting[c]) {
                            if (l.work.tenant != q.tenant) {
                                problems.add("interaction " + l.work.id + " waits in queue " + q.id());
                            }
                        }
                    }
                }
            }
        }
        for (AgentState a : topology.agentsByOrdinal()) {
            if (a == null) {
                continue;
            }
            if (!a.tenant.id.equals(topology.tenantOf(a.id())) || !a.tenant.agents.contains(a)
                    || topology.existingTenant(a.tenant.id) != a.tenant) {
                problems.add("agent " + a.id() + " has tenant " + a.tenant);
            }
            for (WorkItem w : a.works) {
                if (w.tenant != a.tenant) {
                    problems.add("interaction " + w.id + " of tenant " + w.tenant + " is with agent " + a.id());
                }
            }
            if (a.pinned != null) {
                for (WorkItem w : a.pinned) {
                    if (w.tenant != a.tenant) {
                        problems.add("interaction " + w.id + " of tenant " + w.tenant + " waits for agent " + a.id());
                    }
                }
            }
        }
        for (WorkItem w : open.all()) {
            if (!w.tenant.id.equals(w.src.tenantId()) || (w.queue != null && w.queue.tenant != w.tenant)) {
                problems.add("interaction " + w.id + " of tenant " + w.src.tenantId() + " is in queue " + w.queueId());
            }
        }
    }
}
