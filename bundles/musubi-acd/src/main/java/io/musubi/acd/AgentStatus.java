package io.musubi.acd;

import io.musubi.model.Channel;
import io.musubi.model.PresenceState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of an agent (DESIGN §5.7 per agent).
 *
 * @param agentId          id
 * @param name             display name
 * @param state            effective presence (BUSY and WRAP_UP derived when the agent set AVAILABLE)
 * @param reasonCode       reason of the current state, empty if none
 * @param since            when the effective state began
 * @param timeInState      now − since
 * @param load             in-progress interactions per channel (offered, connected, held, in wrap-up)
 * @param capacity         capacity per channel from the definition
 * @param enabledChannels  channels toggled routable
 * @param routableChannels channels on which the agent could be offered work right now
 * @param occupancy        share of logged-in time with at least one interaction assigned, 0..1
 * @param handled          interactions handled to the end, per channel
 * @param offered          ids of interactions currently offered to the agent
 * @param assigned         ids of interactions accepted by the agent and not yet released
 * @param pinned           ids of interactions waiting for this agent (last-agent routing or transfer)
 */
public record AgentStatus(String agentId, String name, PresenceState state, String reasonCode, Instant since,
                          Duration timeInState, Map<Channel, Integer> load, Map<Channel, Integer> capacity,
                          Set<Channel> enabledChannels, Set<Channel> routableChannels, double occupancy,
                          Map<Channel, Long> handled, List<String> offered, List<String> assigned,
                          List<String> pinned) {
}
