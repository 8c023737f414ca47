package io.musubi.acd.internal;

/**
 * An agent's membership of a pool; the element of the pool's free-agent sets. It carries a copy of the agent's sort
 * keys so that comparisons inside the free sets do not have to reach the agent: the copy is refreshed by
 * {@link #refresh()} only while the agent is detached from every free set (so a set's order never changes under it).
 */
final class Member {
    final Pool pool;
    final AgentState agent;
    /** Best-skill score (sum of levels in the pool's skills). */
    final int score;
    /** The agent's ordinal; the cursor for a round-robin probe. */
    final int ord;
    /** Copy of {@link AgentState#idleSince}. */
    long idle;
    /** Copy of {@link AgentState#occKey}. */
    double occ;
    /** Links of the pool's {@link FreeSet.Idle} lists, one slot per channel the pool serves (null otherwise). */
    final Member[] prev;
    final Member[] next;
    /** Bit per slot: in that free list. */
    int inSets;

    Member(Pool pool, AgentState agent, int score) {
        this.pool = pool;
        this.agent = agent;
        this.score = score;
        this.ord = agent.ordinal;
        int slots = pool.idleSlots();
        this.prev = slots == 0 ? null : new Member[slots];
        this.next = slots == 0 ? null : new Member[slots];
        refresh();
    }

    /** A probe for round-robin: orders just at {@code ordinal}. */
    Member(Pool pool, int ordinal) {
        this.pool = pool;
        this.agent = null;
        this.score = 0;
        this.ord = ordinal;
        this.prev = null;
        this.next = null;
    }

    void refresh() {
        idle = agent.idleSince;
        occ = agent.occKey;
    }

    int ordinal() {
        return ord;
    }
}
