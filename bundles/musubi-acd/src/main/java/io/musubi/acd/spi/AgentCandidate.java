package io.musubi.acd.spi;

import java.time.Instant;
import java.util.Map;

/**
 * An agent a {@link RoutingStrategy} may choose.
 *
 * @param agentId   id
 * @param skills    skill → level
 * @param idleSince last offer, last end or becoming available, whichever is latest
 * @param load      interactions in progress on the request's channel
 * @param capacity  capacity on the request's channel
 * @param totalLoad interactions in progress on all channels
 */
public record AgentCandidate(String agentId, Map<String, Integer> skills, Instant idleSince, int load, int capacity,
                             int totalLoad) {
}
