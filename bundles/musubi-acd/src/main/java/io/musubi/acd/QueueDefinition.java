package io.musubi.acd;

import io.musubi.model.Channel;
import io.musubi.model.InputRules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A queue (DESIGN §4, §5.3): the channels it takes, the skills an agent needs (name → minimum level), optionally an
 * explicit list of member agents (list-based routing; skills still apply when set), priority, routing strategy,
 * service-level target, max wait and overflow, opening hours, wrap-up time, escalation steps, last-agent (sticky)
 * routing, VIP boost and aging. Immutable; build with {@link #builder(String)}.
 *
 * <p>Effective priority of a waiting interaction = {@code priority} + interaction priority + {@code vipBoost} (VIP
 * customers) + {@code agingWeight} × seconds waited.
 */
public final class QueueDefinition {

    /** Default offer timeouts (RONA): 15 s for voice and video, 30 s for text channels. */
    public static Duration defaultOfferTimeout(Channel channel) {
        return channel.isRealTime() ? Duration.ofSeconds(15) : Duration.ofSeconds(30);
    }

    private final String id;
    private final String name;
    private final Set<Channel> channels;
    private final Map<String, Integer> requiredSkills;
    private final Set<String> members;
    private final int priority;
    private final String strategy;
    private final ServiceLevel serviceLevel;
    private final Duration maxWait;
    private final OverflowTarget overflow;
    private final OverflowTarget whenClosed;
    private final OpeningHours openingHours;
    private final Duration wrapUp;
    private final List<EscalationStep> escalation;
    private final StickyConfig sticky;
    private final int vipBoost;
    private final String vipQueueId;
    private final double agingWeight;
    private final Map<Channel, Duration> offerTimeouts;

    private QueueDefinition(Builder b) {
        if (b.channels.isEmpty()) {
            throw new IllegalArgumentException("queue " + b.id + " takes no channel");
        }
        this.id = b.id;
        this.name = b.name;
        this.channels = Collections.unmodifiableSet(EnumSet.copyOf(b.channels));
        this.requiredSkills = Map.copyOf(b.requiredSkills);
        this.members = Set.copyOf(b.members);
        this.priority = b.priority;
        this.strategy = b.strategy;
        this.serviceLevel = b.serviceLevel;
        this.maxWait = b.maxWait;
        this.overflow = b.overflow;
        this.whenClosed = b.whenClosed != null ? b.whenClosed : b.overflow;
        this.openingHours = b.openingHours;
        this.wrapUp = b.wrapUp;
        List<EscalationStep> steps = new ArrayList<>(b.escalation);
        steps.sort(Comparator.comparing(EscalationStep::after));
        this.escalation = List.copyOf(steps);
        this.sticky = b.sticky;
        this.vipBoost = b.vipBoost;
        this.vipQueueId = b.vipQueueId;
        this.agingWeight = b.agingWeight;
        Map<Channel, Duration> t = new EnumMap<>(Channel.class);
        for (Channel c : Channel.values()) {
            t.put(c, b.offerTimeouts.getOrDefault(c, defaultOfferTimeout(c)));
        }
        this.offerTimeouts = Collections.unmodifiableMap(t);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Set<Channel> channels() {
        return channels;
    }

    public Map<String, Integer> requiredSkills() {
        return requiredSkills;
    }

    /** The named agents of a list-based queue; empty when membership is by skills only. */
    public Set<String> members() {
        return members;
    }

    public int priority() {
        return priority;
    }

    public String strategy() {
        return strategy;
    }

    public ServiceLevel serviceLevel() {
        return serviceLevel;
    }

    /** Max wait; {@link Duration#ZERO} means no limit. */
    public Duration maxWait() {
        return maxWait;
    }

    /** Where interactions go after max wait; null: they keep waiting. */
    public OverflowTarget overflow() {
        return overflow;
    }

    /** Where interactions arriving while the queue is closed go; defaults to {@link #overflow()}; null: they wait. */
    public OverflowTarget whenClosed() {
        return whenClosed;
    }

    public OpeningHours openingHours() {
        return openingHours;
    }

    public Duration wrapUp() {
        return wrapUp;
    }

    public List<EscalationStep> escalation() {
        return escalation;
    }

    public StickyConfig sticky() {
        return sticky;
    }

    public int vipBoost() {
        return vipBoost;
    }

    /** VIP customers arriving here are moved to this queue; empty: no VIP restriction. */
    public String vipQueueId() {
        return vipQueueId;
    }

    /** Priority points added per second waited. */
    public double agingWeight() {
        return agingWeight;
    }

    public Duration offerTimeout(Channel channel) {
        return offerTimeouts.get(channel);
    }

    @Override
    public String toString() {
        return "QueueDefinition[id=" + id + ", channels=" + channels + ", skills=" + requiredSkills + ", strategy="
                + strategy + ", priority=" + priority + "]";
    }

    /** Builds a {@link QueueDefinition}. */
    public static final class Builder {
        private final String id;
        private String name = "";
        private final Set<Channel> channels = EnumSet.noneOf(Channel.class);
        private final Map<String, Integer> requiredSkills = new HashMap<>();
        private final Set<String> members = new java.util.HashSet<>();
        private int priority;
        private String strategy = Strategies.LONGEST_IDLE;
        private ServiceLevel serviceLevel = ServiceLevel.defaults();
        private Duration maxWait = Duration.ZERO;
        private OverflowTarget overflow;
        private OverflowTarget whenClosed;
        private OpeningHours openingHours = OpeningHours.always();
        private Duration wrapUp = Duration.ZERO;
        private final List<EscalationStep> escalation = new ArrayList<>();
        /** Last-agent routing is on by default (design point ①): preferred mode, 24 h TTL, 20 s wait. */
        private StickyConfig sticky = StickyConfig.preferred();
        private int vipBoost = 10;
        private String vipQueueId = "";
        private double agingWeight;
        private final Map<Channel, Duration> offerTimeouts = new EnumMap<>(Channel.class);

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("queue id must not be blank");
            }
        }

        /** A display name ({@link InputRules#optionalName}: one line, no control or bidi characters). */
        public Builder name(String name) {
            this.name = InputRules.optionalName("name", name, InputRules.NAME_MAX);
            return this;
        }

        public Builder channels(Channel... cs) {
            channels.addAll(List.of(cs));
            return this;
        }

        public Builder requireSkill(String skill, int minLevel) {
            if (minLevel < 1 || minLevel > 10) {
                throw new IllegalArgumentException("skill level must be 1..10");
            }
            requiredSkills.put(InputRules.name("requiredSkills", skill, InputRules.LABEL_MAX), minLevel);
            return this;
        }

        public Builder member(String agentId) {
            members.add(Objects.requireNonNull(agentId));
            return this;
        }

        public Builder priority(int p) {
            this.priority = p;
            return this;
        }

        /** A strategy's name: an identifier by {@link InputRules}. */
        public Builder strategy(String name) {
            this.strategy = InputRules.id("strategy", name);
            return this;
        }

        public Builder serviceLevel(ServiceLevel sl) {
            this.serviceLevel = Objects.requireNonNull(sl);
            return this;
        }

        public Builder maxWait(Duration d) {
            this.maxWait = nonNegative(d);
            return this;
        }

        public Builder overflow(OverflowTarget t) {
            this.overflow = t;
            return this;
        }

        public Builder whenClosed(OverflowTarget t) {
            this.whenClosed = t;
            return this;
        }

        public Builder openingHours(OpeningHours h) {
            this.openingHours = Objects.requireNonNull(h);
            return this;
        }

        public Builder wrapUp(Duration d) {
            this.wrapUp = nonNegative(d);
            return this;
        }

        public Builder escalation(EscalationStep step) {
            escalation.add(Objects.requireNonNull(step));
            return this;
        }

        public Builder sticky(StickyConfig s) {
            this.sticky = Objects.requireNonNull(s);
            return this;
        }

        public Builder vipBoost(int boost) {
            this.vipBoost = boost;
            return this;
        }

        public Builder vipQueue(String queueId) {
            this.vipQueueId = queueId == null ? "" : queueId;
            return this;
        }

        public Builder agingWeight(double pointsPerSecond) {
            if (pointsPerSecond < 0 || Double.isNaN(pointsPerSecond)) {
                throw new IllegalArgumentException("aging weight must be >= 0");
            }
            this.agingWeight = pointsPerSecond;
            return this;
        }

        public Builder offerTimeout(Channel channel, Duration d) {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("offer timeout must be positive");
            }
            offerTimeouts.put(channel, d);
            return this;
        }

        public QueueDefinition build() {
            return new QueueDefinition(this);
        }

        private static Duration nonNegative(Duration d) {
            if (Objects.requireNonNull(d).isNegative()) {
                throw new IllegalArgumentException("duration must not be negative");
            }
            return d;
        }
    }
}
