package io.musubi.acd;

import java.util.Set;

/**
 * Names of the built-in routing strategies (DESIGN §5.3). Any other name on a queue refers to a
 * {@link io.musubi.acd.spi.RoutingStrategy} registered with the engine; until it is registered the
 * queue routes longest-idle.
 */
public final class Strategies {
    /** The agent idle the longest (time since its last offer or last end, or since it became available). */
    public static final String LONGEST_IDLE = "longest-idle";
    /** The agent with the lowest share of its capacity in use, then longest idle. */
    public static final String LEAST_OCCUPIED = "least-occupied";
    /** The next agent after the last one chosen, in the order agents were defined. */
    public static final String ROUND_ROBIN = "round-robin";
    /** The highest sum of levels in the queue's required skills, then longest idle. */
    public static final String BEST_SKILL = "best-skill";
    /** Voice only: every free eligible agent rings, the first to accept wins; other channels fall back to longest-idle. */
    public static final String RING_ALL = "ring-all";

    public static final Set<String> BUILT_IN = Set.of(LONGEST_IDLE, LEAST_OCCUPIED, ROUND_ROBIN, BEST_SKILL, RING_ALL);

    private Strategies() {
    }
}
