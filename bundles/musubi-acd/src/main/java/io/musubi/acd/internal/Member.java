package io.musubi.acd.internal;

/** An agent's membership of a pool; the element of the pool's free-agent sets. */
final class Member {
    final Pool pool;
    final AgentRt agent;
    /** Best-skill score (sum of levels in the pool's skills); the ordinal for a round-robin probe. */
    final int score;

    Member(Pool pool, AgentRt agent, int score) {
        this.pool = pool;
        this.agent = agent;
        this.score = score;
    }

    int ordinal() {
        return agent == null ? score : agent.ordinal;
    }
}
