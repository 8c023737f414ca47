package io.musubi.hub.definitions;

import io.musubi.acd.EscalationStep;
import io.musubi.acd.OpeningHours;
import io.musubi.acd.OverflowTarget;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.ServiceLevel;
import io.musubi.acd.StickyConfig;
import io.musubi.acd.StickyMode;
import io.musubi.model.Channel;
import io.musubi.model.InputRules;
import io.musubi.model.InvalidInputException;
import io.musubi.model.ScopedId;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
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

/**
 * The JSON form of a queue definition (DESIGN §5): what PUT /queues/{id} takes and answers, and what the store keeps.
 * Durations in seconds; agent and queue ids local to the tenant. The limits of every field are in docs/rest.md.
 */
public final class QueueForm {

    public static final int MAX_MEMBERS = 500;
    public static final int MAX_SKILLS = 50;
    public static final int MAX_PRIORITY = 10_000;
    public static final double MAX_AGING_WEIGHT = 1_000;
    public static final int MAX_ESCALATION = 20;
    public static final int MAX_RANGES = 12;
    public static final int MAX_HOLIDAYS = 400;

    private QueueForm() {
    }

    public record Sla(double targetPercent, long thresholdSeconds) {
    }

    /** Where work goes on max wait or while closed: {@code queue} (with queueId), {@code voicemail}, {@code callback}. */
    public record Overflow(OverflowTarget.Kind kind, String queueId, Long callbackDelaySeconds) {
    }

    public record Range(LocalTime from, LocalTime to) {
    }

    /** Opening hours in a time zone; no {@code week} means always open. */
    public record Hours(String zone, Map<DayOfWeek, List<Range>> week, Set<LocalDate> holidays) {
    }

    /**
     * Sticky (last-agent) routing: on by default (preferred mode, 24 h TTL, 20 s wait); {@code enabled: false} turns it
     * off; mode {@code preferred} or {@code required}.
     */
    public record Sticky(Boolean enabled, StickyMode mode, Long ttlSeconds, Long preferredWaitSeconds) {
    }

    public record Escalation(long afterSeconds, Map<String, Integer> requiredSkills, List<String> addQueues) {
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
    public record Body(String name, Set<Channel> channels, Map<String, Integer> requiredSkills, Set<String> members,
                Integer priority, String strategy, Sla serviceLevel, Long maxWaitSeconds, Overflow overflow,
                Overflow whenClosed, Hours openingHours, Long wrapUpSeconds, Sticky sticky, Integer vipBoost,
                String vipQueueId, Double agingWeight, Map<Channel, Long> offerTimeoutSeconds,
                List<Escalation> escalation) {

        /** The engine's definition; every field is checked first (400 naming the field), so nothing is stored. */
        public QueueDefinition toDefinition(String tenantId, String scopedId) {
            QueueDefinition.Builder b = QueueDefinition.builder(scopedId)
                    .name(InputRules.optionalName("name", name, InputRules.NAME_MAX));
            Fields.elements("channels", channels, Channel.values().length);
            b.channels((channels == null || channels.isEmpty() ? Set.of(Channel.values()) : channels)
                    .toArray(Channel[]::new));
            skills("requiredSkills", requiredSkills).forEach(b::requireSkill);
            for (String m : Fields.elements("members", members, MAX_MEMBERS) == null ? Set.<String>of() : members) {
                b.member(ScopedId.of(tenantId, InputRules.id("members", m)));
            }
            if (Fields.range("priority", priority, -MAX_PRIORITY, MAX_PRIORITY) != null) {
                b.priority(priority);
            }
            if (strategy != null && !strategy.isBlank()) {
                b.strategy(InputRules.id("strategy", strategy));
            }
            if (serviceLevel != null) {
                if (!(serviceLevel.targetPercent() >= 0 && serviceLevel.targetPercent() <= 100)) {
                    throw new InvalidInputException("serviceLevel.targetPercent", "0 to 100");
                }
                b.serviceLevel(ServiceLevel.of(serviceLevel.targetPercent(), Duration.ofSeconds(
                        Fields.seconds("serviceLevel.thresholdSeconds", serviceLevel.thresholdSeconds()))));
            }
            if (Fields.seconds("maxWaitSeconds", maxWaitSeconds) != null) {
                b.maxWait(Duration.ofSeconds(maxWaitSeconds));
            }
            if (overflow != null) {
                b.overflow(target(tenantId, "overflow", overflow));
            }
            if (whenClosed != null) {
                b.whenClosed(target(tenantId, "whenClosed", whenClosed));
            }
            if (openingHours != null && openingHours.week() != null) {
                b.openingHours(hours(openingHours));
            }
            if (Fields.seconds("wrapUpSeconds", wrapUpSeconds) != null) {
                b.wrapUp(Duration.ofSeconds(wrapUpSeconds));
            }
            if (sticky != null && Boolean.FALSE.equals(sticky.enabled())) {
                b.sticky(StickyConfig.disabled());
            } else if (sticky != null) {
                StickyConfig s = sticky.mode() == StickyMode.REQUIRED ? StickyConfig.required() : StickyConfig.preferred();
                if (Fields.seconds("sticky.ttlSeconds", sticky.ttlSeconds()) != null) {
                    s = s.withTtl(Duration.ofSeconds(sticky.ttlSeconds()));
                }
                if (Fields.seconds("sticky.preferredWaitSeconds", sticky.preferredWaitSeconds()) != null) {
                    s = s.withPreferredWait(Duration.ofSeconds(sticky.preferredWaitSeconds()));
                }
                b.sticky(s);
            }
            if (Fields.range("vipBoost", vipBoost, -MAX_PRIORITY, MAX_PRIORITY) != null) {
                b.vipBoost(vipBoost);
            }
            if (vipQueueId != null && !vipQueueId.isBlank()) {
                b.vipQueue(ScopedId.of(tenantId, InputRules.id("vipQueueId", vipQueueId)));
            }
            if (agingWeight != null) {
                if (!(agingWeight >= 0 && agingWeight <= MAX_AGING_WEIGHT)) {
                    throw new InvalidInputException("agingWeight", "0 to " + MAX_AGING_WEIGHT);
                }
                b.agingWeight(agingWeight);
            }
            if (Fields.entries("offerTimeoutSeconds", offerTimeoutSeconds, Channel.values().length) != null) {
                offerTimeoutSeconds.forEach((c, s) -> {
                    if (s < 1 || s > Fields.MAX_SECONDS) {
                        throw new InvalidInputException("offerTimeoutSeconds", "1 to " + Fields.MAX_SECONDS
                                + " seconds");
                    }
                    b.offerTimeout(c, Duration.ofSeconds(s));
                });
            }
            if (Fields.elements("escalation", escalation, MAX_ESCALATION) != null) {
                for (int i = 0; i < escalation.size(); i++) {
                    Escalation e = escalation.get(i);
                    String field = "escalation[" + i + "]";
                    Fields.seconds(field + ".afterSeconds", e.afterSeconds());
                    List<String> add = new ArrayList<>();
                    for (String q : Fields.elements(field + ".addQueues", e.addQueues(), MAX_ESCALATION) == null
                            ? List.<String>of() : e.addQueues()) {
                        add.add(ScopedId.of(tenantId, InputRules.id(field + ".addQueues", q)));
                    }
                    b.escalation(new EscalationStep(Duration.ofSeconds(e.afterSeconds()),
                            skills(field + ".requiredSkills", e.requiredSkills()), add));
                }
            }
            return b.build();
        }

        private static OverflowTarget target(String tenantId, String field, Overflow o) {
            return switch (Fields.required(field + ".kind", o.kind())) {
                case QUEUE -> OverflowTarget.queue(ScopedId.of(tenantId, InputRules.id(field + ".queueId",
                        o.queueId())));
                case VOICEMAIL -> OverflowTarget.voicemail();
                case CALLBACK -> OverflowTarget.callback(Duration.ofSeconds(o.callbackDelaySeconds() == null ? 0
                        : Fields.seconds(field + ".callbackDelaySeconds", o.callbackDelaySeconds())));
            };
        }

        private static OpeningHours hours(Hours h) {
            ZoneId zone;
            try {
                zone = ZoneId.of(Fields.required("openingHours.zone", h.zone()));
            } catch (DateTimeException e) {
                throw new InvalidInputException("openingHours.zone", "a time zone id such as Asia/Tokyo or UTC");
            }
            OpeningHours.Builder out = OpeningHours.builder(zone);
            Fields.entries("openingHours.week", h.week(), DayOfWeek.values().length).forEach((day, ranges) -> {
                String field = "openingHours.week." + day;
                for (Range r : Fields.elements(field, ranges, MAX_RANGES)) {
                    if (r.from() == null || r.to() == null || !r.from().isBefore(r.to())) {
                        throw new InvalidInputException(field, "ranges need from and to, from before to");
                    }
                    out.open(day, r.from(), r.to());
                }
            });
            if (Fields.elements("openingHours.holidays", h.holidays(), MAX_HOLIDAYS) != null) {
                h.holidays().forEach(out::holiday);
            }
            return out.build();
        }

        /** Skill name → level, names by the label rule, levels 1 to 10. */
        public static Map<String, Integer> skills(String field, Map<String, Integer> skills) {
            Map<String, Integer> out = new TreeMap<>();
            if (Fields.entries(field, skills, MAX_SKILLS) != null) {
                skills.forEach((skill, level) -> {
                    String name = InputRules.name(field, skill, InputRules.LABEL_MAX);
                    if (level < 1 || level > 10) {
                        throw new InvalidInputException(field, "levels 1 to 10");
                    }
                    out.put(name, level);
                });
            }
            return out;
        }

        public static Body of(QueueDefinition d) {
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
}
