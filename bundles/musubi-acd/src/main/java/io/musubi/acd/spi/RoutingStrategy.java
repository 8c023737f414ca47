package io.musubi.acd.spi;

import java.util.List;

/**
 * A pluggable agent-selection strategy (DESIGN §5.3). Register it with the engine (in OSGi: as a service, the engine
 * component picks it up) and name it in {@link io.musubi.acd.QueueDefinition.Builder#strategy(String)}.
 *
 * <p>Called under the engine's lock with the free, eligible agents of one queue and channel: it must be fast, must
 * not block and must not call back into the engine. The built-in strategies use indexes; a plugged-in one sees the
 * candidate list, so its cost grows with the number of free agents.
 */
public interface RoutingStrategy {

    /** The name queues refer to; must not be one of {@link io.musubi.acd.Strategies#BUILT_IN}. */
    String name();

    /**
     * Chooses the agent for an interaction.
     *
     * @param request    the interaction to place
     * @param candidates free eligible agents, longest idle first; never empty
     * @return the chosen agent id (one of the candidates), or null to leave the interaction waiting
     */
    String select(RoutingRequest request, List<AgentCandidate> candidates);
}
