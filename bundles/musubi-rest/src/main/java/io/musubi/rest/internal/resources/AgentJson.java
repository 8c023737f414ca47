package io.musubi.rest.internal.resources;

import io.musubi.hub.definitions.AgentForm;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.AgentStatus;
import io.musubi.model.Channel;
import io.musubi.model.InputRules;
import io.musubi.model.PresenceState;
import io.musubi.model.ScopedId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The JSON shapes of agents: what an admin writes, and what everyone reads. Limits are in docs/rest.md. */
final class AgentJson {


    private AgentJson() {
    }

    /** A presence change asked for by PUT …/presence. */
    record PresenceBody(PresenceState state, String reason) {
    }

    /** A per-channel availability toggle. */
    record ChannelBody(boolean enabled) {
    }

    /**
     * An agent as read: its definition and its live state.
     *
     * @param presence effective presence (BUSY and WRAP_UP are derived)
     * @param routableChannels channels on which it could be offered work now
     * @param offered  interactions offered to it now
     * @param assigned interactions it works on
     */
    record View(String id, String name, PresenceState presence, String reason, Instant since,
                Map<Channel, Integer> load, Map<Channel, Integer> capacities, Set<Channel> enabledChannels,
                Set<Channel> routableChannels, double occupancy, Map<Channel, Long> handled, List<String> offered,
                List<String> assigned, AgentForm.Body definition) {

        static View of(AgentStatus s, AgentDefinition definition) {
            return new View(ScopedId.localOf(s.agentId()), s.name(), s.state(), s.reasonCode(), s.since(), s.load(),
                    s.capacity(), s.enabledChannels(), s.routableChannels(), s.occupancy(), s.handled(), s.offered(),
                    s.assigned(), definition == null ? null : AgentForm.Body.of(definition));
        }
    }
}
