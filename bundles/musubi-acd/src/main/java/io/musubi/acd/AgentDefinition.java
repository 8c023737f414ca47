package io.musubi.acd;

import io.musubi.model.Channel;
import io.musubi.model.InputRules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an agent can do (DESIGN §4, §5.2): skills with levels 1..10, a capacity per channel, optionally a shared
 * total capacity with a cost per channel, the channels routable at login (per-channel availability toggles, changed
 * later with {@link AcdEngine#setChannelEnabled}), and a channel priority order used to break ties between equally
 * urgent work. Immutable; build with {@link #builder(String)}.
 */
public final class AgentDefinition {

    /** VOICE 1, VIDEO 1, WEBCHAT 3, LINE 3, SMS 3, SOCIAL 3, EMAIL 5, FAX 5, CUSTOM 3. */
    public static final Map<Channel, Integer> DEFAULT_CAPACITY;
    /** VOICE, VIDEO, WEBCHAT, LINE, SMS, SOCIAL, CUSTOM, EMAIL, FAX. */
    public static final List<Channel> DEFAULT_CHANNEL_PRIORITY = List.of(Channel.VOICE, Channel.VIDEO, Channel.WEBCHAT,
            Channel.LINE, Channel.SMS, Channel.SOCIAL, Channel.CUSTOM, Channel.EMAIL, Channel.FAX);

    static {
        Map<Channel, Integer> m = new EnumMap<>(Channel.class);
        m.put(Channel.VOICE, 1);
        m.put(Channel.VIDEO, 1);
        m.put(Channel.WEBCHAT, 3);
        m.put(Channel.LINE, 3);
        m.put(Channel.SMS, 3);
        m.put(Channel.SOCIAL, 3);
        m.put(Channel.EMAIL, 5);
        m.put(Channel.FAX, 5);
        m.put(Channel.CUSTOM, 3);
        DEFAULT_CAPACITY = Collections.unmodifiableMap(m);
    }

    private final String id;
    private final String name;
    private final Map<String, Integer> skills;
    private final Map<Channel, Integer> capacity;
    private final int sharedCapacity;
    private final Map<Channel, Integer> cost;
    private final Set<Channel> initiallyEnabled;
    private final List<Channel> channelPriority;
    private final Set<String> teams;

    private AgentDefinition(Builder b) {
        this.id = b.id;
        this.name = b.name;
        this.skills = Map.copyOf(b.skills);
        this.capacity = Collections.unmodifiableMap(new EnumMap<>(b.capacity));
        this.sharedCapacity = b.sharedCapacity;
        this.cost = Collections.unmodifiableMap(new EnumMap<>(b.cost));
        EnumSet<Channel> enabled = EnumSet.noneOf(Channel.class);
        for (Channel c : Channel.values()) {
            if (capacity(c) > 0 && !b.disabled.contains(c)) {
                enabled.add(c);
            }
        }
        this.initiallyEnabled = Collections.unmodifiableSet(enabled);
        List<Channel> prio = new ArrayList<>(b.channelPriority);
        for (Channel c : DEFAULT_CHANNEL_PRIORITY) {
            if (!prio.contains(c)) {
                prio.add(c);
            }
        }
        this.channelPriority = List.copyOf(prio);
        this.teams = Set.copyOf(b.teams);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder prefilled with this definition, to derive a changed one. */
    public Builder toBuilder() {
        Builder b = new Builder(id).name(name);
        b.skills.putAll(skills);
        b.capacity.putAll(capacity);
        b.sharedCapacity = sharedCapacity;
        b.cost.putAll(cost);
        for (Channel c : Channel.values()) {
            if (capacity(c) > 0 && !initiallyEnabled.contains(c)) {
                b.disabled.add(c);
            }
        }
        b.channelPriority.addAll(channelPriority);
        b.teams.addAll(teams);
        return b;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Map<String, Integer> skills() {
        return skills;
    }

    /** The level of a skill, 0 if the agent does not have it. */
    public int skillLevel(String skill) {
        return skills.getOrDefault(skill, 0);
    }

    public int capacity(Channel channel) {
        return capacity.getOrDefault(channel, 0);
    }

    public Map<Channel, Integer> capacities() {
        return capacity;
    }

    /** Shared total capacity over all channels; 0 means none (only per-channel capacities apply). */
    public int sharedCapacity() {
        return sharedCapacity;
    }

    /** What one interaction on {@code channel} costs of the shared capacity (default 1). */
    public int cost(Channel channel) {
        return cost.getOrDefault(channel, 1);
    }

    /** The channels routable when the agent logs in. */
    public Set<Channel> initiallyEnabled() {
        return initiallyEnabled;
    }

    /** Every channel, most preferred first. */
    public List<Channel> channelPriority() {
        return channelPriority;
    }

    public Set<String> teams() {
        return teams;
    }

    @Override
    public String toString() {
        return "AgentDefinition[id=" + id + ", skills=" + skills + ", capacity=" + capacity
                + (sharedCapacity > 0 ? ", shared=" + sharedCapacity + " cost=" + cost : "") + "]";
    }

    /** Builds an {@link AgentDefinition}; starts from {@link #DEFAULT_CAPACITY}. */
    public static final class Builder {
        private final String id;
        private String name = "";
        private final Map<String, Integer> skills = new HashMap<>();
        private final Map<Channel, Integer> capacity = new EnumMap<>(DEFAULT_CAPACITY);
        private int sharedCapacity;
        private final Map<Channel, Integer> cost = new EnumMap<>(Channel.class);
        private final Set<Channel> disabled = EnumSet.noneOf(Channel.class);
        private final List<Channel> channelPriority = new ArrayList<>();
        private final Set<String> teams = new java.util.HashSet<>();

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("agent id must not be blank");
            }
        }

        /** A display name ({@link InputRules#optionalName}: one line, no control or bidi characters). */
        public Builder name(String name) {
            this.name = InputRules.optionalName("name", name, InputRules.NAME_MAX);
            return this;
        }

        /** A skill (a label by {@link InputRules}) with a level 1..10. */
        public Builder skill(String skill, int level) {
            String checked = InputRules.name("skills", skill, InputRules.LABEL_MAX);
            if (level < 1 || level > 10) {
                throw new IllegalArgumentException("skill level must be 1..10: " + checked + "=" + level);
            }
            skills.put(checked, level);
            return this;
        }

        public Builder skills(Map<String, Integer> all) {
            all.forEach(this::skill);
            return this;
        }

        /** Capacity on a channel (0: never offered that channel). */
        public Builder capacity(Channel channel, int n) {
            if (n < 0) {
                throw new IllegalArgumentException("capacity must not be negative");
            }
            capacity.put(Objects.requireNonNull(channel), n);
            return this;
        }

        /** Only these channels get capacity (their defaults unless set); every other channel 0. */
        public Builder onlyChannels(Channel... channels) {
            Set<Channel> keep = EnumSet.noneOf(Channel.class);
            keep.addAll(List.of(channels));
            for (Channel c : Channel.values()) {
                if (!keep.contains(c)) {
                    capacity.put(c, 0);
                } else if (capacity.getOrDefault(c, 0) == 0) {
                    capacity.put(c, DEFAULT_CAPACITY.get(c));
                }
            }
            return this;
        }

        /** A shared total capacity over all channels (0: none). */
        public Builder sharedCapacity(int total) {
            if (total < 0) {
                throw new IllegalArgumentException("shared capacity must not be negative");
            }
            this.sharedCapacity = total;
            return this;
        }

        /** Cost of one interaction on a channel against the shared capacity (default 1). */
        public Builder cost(Channel channel, int units) {
            if (units < 0) {
                throw new IllegalArgumentException("cost must not be negative");
            }
            cost.put(Objects.requireNonNull(channel), units);
            return this;
        }

        /** Whether a channel is routable at login (the per-channel availability toggle's initial value). */
        public Builder channelEnabled(Channel channel, boolean enabled) {
            if (enabled) {
                disabled.remove(channel);
            } else {
                disabled.add(channel);
            }
            return this;
        }

        /** Channel preference for tie-breaks, most preferred first; unnamed channels follow in the default order. */
        public Builder channelPriority(Channel... order) {
            channelPriority.clear();
            for (Channel c : order) {
                if (!channelPriority.contains(c)) {
                    channelPriority.add(c);
                }
            }
            return this;
        }

        /** A team (a label by {@link InputRules}). */
        public Builder team(String team) {
            teams.add(InputRules.name("teams", team, InputRules.LABEL_MAX));
            return this;
        }

        public AgentDefinition build() {
            return new AgentDefinition(this);
        }
    }
}
