package io.musubi.hub.definitions;

import io.musubi.acd.AgentDefinition;
import io.musubi.model.Channel;
import io.musubi.model.InputRules;
import io.musubi.model.ScopedId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The JSON form of an agent definition (DESIGN §5.2): what PUT /agents/{id} takes and answers, and what the store keeps. */
public final class AgentForm {

    public static final int MAX_TEAMS = 50;
    /** The largest capacity or cost. */
    public static final int MAX_UNITS = 1_000;

    private AgentForm() {
    }

    /**
     * An agent definition as written with PUT (DESIGN §5.2). Omitted capacities mean the defaults (one voice or
     * video, three chats, five mails...).
     *
     * @param name            display name
     * @param skills          skill → level 1..10
     * @param capacities      channel → concurrent interactions (0 = never routed that channel)
     * @param sharedCapacity  units shared across channels (with {@code costs}); null: no shared limit
     * @param costs           channel → units one interaction uses of the shared capacity
     * @param disabledChannels channels not routable at log-in (toggle later with PUT …/channels/{channel})
     * @param channelPriority order in which channels are offered when several wait
     * @param teams           team names (for reports and supervisors)
     */
    public record Body(String name, Map<String, Integer> skills, Map<Channel, Integer> capacities, Integer sharedCapacity,
                Map<Channel, Integer> costs, Set<Channel> disabledChannels, List<Channel> channelPriority,
                Set<String> teams) {

        /** The engine's definition; every field is checked first (400 naming the field), so nothing is stored. */
        public AgentDefinition toDefinition(String scopedId) {
            AgentDefinition.Builder b = AgentDefinition.builder(scopedId)
                    .name(InputRules.optionalName("name", name, InputRules.NAME_MAX));
            QueueForm.Body.skills("skills", skills).forEach(b::skill);
            if (Fields.entries("capacities", capacities, Channel.values().length) != null) {
                capacities.forEach((c, n) -> b.capacity(c, Fields.range("capacities", n, 0, MAX_UNITS)));
            }
            if (Fields.range("sharedCapacity", sharedCapacity, 0, MAX_UNITS) != null) {
                b.sharedCapacity(sharedCapacity);
            }
            if (Fields.entries("costs", costs, Channel.values().length) != null) {
                costs.forEach((c, n) -> b.cost(c, Fields.range("costs", n, 0, MAX_UNITS)));
            }
            if (Fields.elements("disabledChannels", disabledChannels, Channel.values().length) != null) {
                disabledChannels.forEach(c -> b.channelEnabled(c, false));
            }
            if (Fields.elements("channelPriority", channelPriority, Channel.values().length) != null
                    && !channelPriority.isEmpty()) {
                b.channelPriority(channelPriority.toArray(Channel[]::new));
            }
            if (Fields.elements("teams", teams, MAX_TEAMS) != null) {
                teams.forEach(t -> b.team(InputRules.name("teams", t, InputRules.LABEL_MAX)));
            }
            return b.build();
        }

        public static Body of(AgentDefinition d) {
            Set<Channel> disabled = EnumSet.noneOf(Channel.class);
            Map<Channel, Integer> costs = new EnumMap<>(Channel.class);
            for (Channel c : Channel.values()) {
                if (d.capacity(c) > 0 && !d.initiallyEnabled().contains(c)) {
                    disabled.add(c);
                }
                if (d.cost(c) != 1) {
                    costs.put(c, d.cost(c));
                }
            }
            return new Body(d.name(), new TreeMap<>(d.skills()), new EnumMap<>(d.capacities()),
                    d.sharedCapacity() > 0 ? d.sharedCapacity() : null, costs, disabled,
                    new ArrayList<>(d.channelPriority()), d.teams());
        }
    }
}
