package io.musubi.rest.internal.resources;

import io.musubi.acd.EscalationStep;
import io.musubi.acd.OpeningHours;
import io.musubi.acd.OverflowTarget;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.QueueStatistics;
import io.musubi.acd.ServiceLevel;
import io.musubi.acd.StickyConfig;
import io.musubi.acd.StickyMode;
import io.musubi.acd.WaitingInteraction;
import io.musubi.model.Channel;
import io.musubi.model.ScopedId;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The JSON shapes of queues (DESIGN §5): configuration, statistics, the waiting list. Durations in seconds. */
final class QueueJson {

    private QueueJson() {
    }

    record Sla(double targetPercent, long thresholdSeconds) {
    }

    /** Where work goes on max wait or while closed: {@code queue} (with queueId), {@code voicemail}, {@code callback}. */
    record Overflow(OverflowTarget.Kind kind, String queueId, Long callbackDelaySeconds) {
    }

    record Range(LocalTime from, LocalTime to) {
    }

    /** Opening hours in a time zone; no {@code week} means always open. */
    record Hours(String zone, Map<DayOfWeek, List<Range>> week, Set<LocalDate> holidays) {
    }

    /**
     * Sticky (last-agent) routing: on by default (preferred mode, 24 h TTL, 20 s wait); {@code enabled: false} turns it
     * off; mode {@code preferred} or {@code required}.
     */
    record Sticky(Boolean enabled, StickyMode mode, Long ttlSeconds, Long preferredWaitSeconds) {
    }

    record Escalation(long afterSeconds, Map<String, Integer> requiredSkills, List<String> addQueues) {
    }

    /**
     * A queue definition as written with PUT. Agent and queue ids are local to the caller's tenant.
     *
     * @param channels       channels the queue takes
     * @param requiredSkills skill → minimum level an agent needs
     * @param members        agents that serve the queue (with the skills, or alone)
     * @param priority       higher is served first when an agent could take work from several queues
     * @param strategy       longest-idle, least-occupied, round-robin, best-skill, ring-all, or a plug-in's name
     * @param offerTimeoutSeconds channel → seconds before an unanswered offer goes to the next agent (RONA)
     */
    record Body(String name, Set<Channel> channels, Map<String, Integer> requiredSkills, Set<String> members,
                Integer priority, String strategy, Sla serviceLevel, Long maxWaitSeconds, Overflow overflow,
                Overflow whenClosed, Hours openingHours, Long wrapUpSeconds, Sticky sticky, Integer vipBoost,
                String vipQueueId, Double agingWeight, Map<Channel, Long> offerTimeoutSeconds,
                List<Escalation> escalation) {

        QueueDefinition toDefinition(String tenantId, String scopedId) {
            QueueDefinition.Builder b = QueueDefinition.builder(scopedId).name(name == null ? "" : name);
            b.channels((channels == null || channels.isEmpty() ? Set.of(Channel.values()) : channels)
                    .toArray(Channel[]::new));
            if (requiredSkills != null) {
                requiredSkills.forEach(b::requireSkill);
            }
            if (members != null) {
                members.forEach(m -> b.member(ScopedId.of(tenantId, m)));
            }
            if (priority != null) {
                b.priority(priority);
            }
            if (strategy != null && !strategy.isBlank()) {
                b.strategy(strategy);
            }
            if (serviceLevel != null) {
                b.serviceLevel(ServiceLevel.of(serviceLevel.targetPercent(),
                        Duration.ofSeconds(serviceLevel.thresholdSeconds())));
            }
            if (maxWaitSeconds != null) {
                b.maxWait(Duration.ofSeconds(maxWaitSeconds));
            }
            if (overflow != null) {
                b.overflow(target(tenantId, overflow));
            }
            if (whenClosed != null) {
                b.whenClosed(target(tenantId, whenClosed));
            }
            if (openingHours != null && openingHours.week() != null) {
                OpeningHours.Builder h = OpeningHours.builder(ZoneId.of(openingHours.zone()));
                openingHours.week().forEach((day, ranges) -> ranges.forEach(r -> h.open(day, r.from(), r.to())));
                if (openingHours.holidays() != null) {
                    openingHours.holidays().forEach(h::holiday);
                }
                b.openingHours(h.build());
            }
            if (wrapUpSeconds != null) {
                b.wrapUp(Duration.ofSeconds(wrapUpSeconds));
            }
            if (sticky != null && Boolean.FALSE.equals(sticky.enabled())) {
                b.sticky(StickyConfig.disabled());
            } else if (sticky != null) {
                StickyConfig s = sticky.mode() == StickyMode.REQUIRED ? StickyConfig.required() : StickyConfig.preferred();
                if (sticky.ttlSeconds() != null) {
                    s = s.withTtl(Duration.ofSeconds(sticky.ttlSeconds()));
                }
                if (sticky.preferredWaitSeconds() != null) {
                    s = s.withPreferredWait(Duration.ofSeconds(sticky.preferredWaitSeconds()));
                }
                b.sticky(s);
            }
            if (vipBoost != null) {
                b.vipBoost(vipBoost);
            }
            if (vipQueueId != null && !vipQueueId.isBlank()) {
                b.vipQueue(ScopedId.of(tenantId, vipQueueId));
            }
            if (agingWeight != null) {
                b.agingWeight(agingWeight);
            }
            if (offerTimeoutSeconds != null) {
                offerTimeoutSeconds.forEach((c, s) -> b.offerTimeout(c, Duration.ofSeconds(s)));
            }
            if (escalation != null) {
                for (Escalation e : escalation) {
                    List<String> add = e.addQueues() == null ? List.of()
                            : e.addQueues().stream().map(q -> ScopedId.of(tenantId, q)).toList();
                    b.escalation(new EscalationStep(Duration.ofSeconds(e.afterSeconds()),
                            e.requiredSkills() == null ? Map.of() : e.requiredSkills(), add));
                }
            }
            return b.build();
        }

        private static OverflowTarget target(String tenantId, Overflow o) {
            return switch (o.kind()) {
                case QUEUE -> OverflowTarget.queue(ScopedId.of(tenantId, o.queueId()));
                case VOICEMAIL -> OverflowTarget.voicemail();
                case CALLBACK -> OverflowTarget.callback(Duration.ofSeconds(
                        o.callbackDelaySeconds() == null ? 0 : o.callbackDelaySeconds()));
            };
        }

        static Body of(QueueDefinition d) {
            Map<Channel, Long> timeouts = new EnumMap<>(Channel.class);
            for (Channel c : d.channels()) {
                timeouts.put(c, d.offerTimeout(c).toSeconds());
            }
            Hours hours = null;
            if (!d.openingHours().isAlwaysOpen()) {
                Map<DayOfWeek, List<Range>> week = new EnumMap<>(DayOfWeek.class);
                d.openingHours().week().forEach((day, ranges) -> week.put(day,
                        ranges.stream().map(r -> new Range(r.from(), r.to())).toList()));
                hours = new Hours(d.openingHours().zone().map(ZoneId::getId).orElse("UTC"), week,
                        new TreeSet<>(d.openingHours().holidays()));
            }
            Sticky sticky = d.sticky().enabled() ? new Sticky(true, d.sticky().mode(), d.sticky().ttl().toSeconds(),
                    d.sticky().preferredWait().toSeconds()) : new Sticky(false, null, null, null);
            List<Escalation> steps = new ArrayList<>();
            for (EscalationStep e : d.escalation()) {
                steps.add(new Escalation(e.after().toSeconds(), e.requiredSkills(),
                        e.addQueues().stream().map(ScopedId::localOf).toList()));
            }
            return new Body(d.name(), d.channels(), new TreeMap<>(d.requiredSkills()),
                    d.members().stream().map(ScopedId::localOf).collect(Collectors.toCollection(TreeSet::new)),
                    d.priority(), d.strategy(),
                    new Sla(d.serviceLevel().targetPercent(), d.serviceLevel().threshold().toSeconds()),
                    d.maxWait().toSeconds(), overflow(d.overflow()), overflow(d.whenClosed()), hours,
                    d.wrapUp().toSeconds(), sticky, d.vipBoost(),
                    d.vipQueueId().isEmpty() ? null : ScopedId.localOf(d.vipQueueId()), d.agingWeight(), timeouts,
                    steps);
        }

        private static Overflow overflow(OverflowTarget t) {
            if (t == null) {
                return null;
            }
            return new Overflow(t.kind(), t.queueId() == null || t.queueId().isEmpty() ? null
                    : ScopedId.localOf(t.queueId()), t.callbackDelay() == null ? null : t.callbackDelay().toSeconds());
        }
    }

    /** Real-time statistics (DESIGN §5.7); durations in seconds. */
    record Stats(String queueId, boolean open, int waiting, double longestWaitSeconds, int agentsAvailable,
                 int agentsBusy, int agentsAway, long offered, long answered, long abandoned, long overflowed,
                 double serviceLevelPercent, double averageSpeedOfAnswerSeconds, double averageHandleTimeSeconds,
                 Double expectedWaitSeconds) {

        static Stats of(QueueStatistics s) {
            return new Stats(ScopedId.localOf(s.queueId()), s.open(), s.waiting(), seconds(s.longestWait()),
                    s.agentsAvailable(), s.agentsBusy(), s.agentsAway(), s.offered(), s.answered(), s.abandoned(),
                    s.overflowed(), s.serviceLevelPercent(), seconds(s.averageSpeedOfAnswer()),
                    seconds(s.averageHandleTime()), ExpectedWait.of(s) == null ? null : seconds(ExpectedWait.of(s)));
        }
    }

    record View(String id, Body definition, Stats stats) {
    }

    record Waiting(String interactionId, Channel channel, String customerId, double effectivePriority,
                   Instant queuedAt, boolean requeued, String pinnedAgentId) {

        static Waiting of(WaitingInteraction w) {
            return new Waiting(w.interactionId(), w.channel(), w.customerId(), w.effectivePriority(), w.queuedAt(),
                    w.requeued(), w.pinnedAgentId() == null || w.pinnedAgentId().isEmpty() ? null
                            : ScopedId.localOf(w.pinnedAgentId()));
        }
    }

    static double seconds(Duration d) {
        return d == null ? 0 : d.toMillis() / 1000.0;
    }
}
