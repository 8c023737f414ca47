package io.musubi.acd;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Weekly opening hours of a queue in a time zone, with holidays (whole days closed). A range is
 * {@code [from, to)}; {@code to = 00:00} means until midnight.
 */
public final class OpeningHours {

    /** One opening range of a day. */
    public record Range(LocalTime from, LocalTime to) {
        public Range {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (!to.equals(LocalTime.MIDNIGHT) && !to.isAfter(from)) {
                throw new IllegalArgumentException("range must end after it starts");
            }
        }

        boolean contains(LocalTime t) {
            return !t.isBefore(from) && (to.equals(LocalTime.MIDNIGHT) || t.isBefore(to));
        }
    }

    private static final OpeningHours ALWAYS = new OpeningHours(null, Map.of(), Set.of());

    private final ZoneId zone;
    private final Map<DayOfWeek, List<Range>> week;
    private final Set<LocalDate> holidays;

    private OpeningHours(ZoneId zone, Map<DayOfWeek, List<Range>> week, Set<LocalDate> holidays) {
        this.zone = zone;
        this.week = week;
        this.holidays = holidays;
    }

    /** Open all the time. */
    public static OpeningHours always() {
        return ALWAYS;
    }

    public static Builder builder(ZoneId zone) {
        return new Builder(zone);
    }

    public boolean isAlwaysOpen() {
        return zone == null;
    }

    public Optional<ZoneId> zone() {
        return Optional.ofNullable(zone);
    }

    public Map<DayOfWeek, List<Range>> week() {
        return week;
    }

    public Set<LocalDate> holidays() {
        return holidays;
    }

    public boolean isOpen(Instant at) {
        if (zone == null) {
            return true;
        }
        ZonedDateTime z = at.atZone(zone);
        if (holidays.contains(z.toLocalDate())) {
            return false;
        }
        for (Range r : week.getOrDefault(z.getDayOfWeek(), List.of())) {
            if (r.contains(z.toLocalTime())) {
                return true;
            }
        }
        return false;
    }

    /** The next instant at or after {@code from} at which the queue is open; empty if never within a year. */
    public Optional<Instant> nextOpening(Instant from) {
        if (isOpen(from)) {
            return Optional.of(from);
        }
        ZonedDateTime z = from.atZone(zone);
        LocalDate day = z.toLocalDate();
        for (int i = 0; i < 370; i++, day = day.plusDays(1)) {
            if (holidays.contains(day)) {
                continue;
            }
            for (Range r : week.getOrDefault(day.getDayOfWeek(), List.of())) {
                ZonedDateTime start = day.atTime(r.from()).atZone(zone);
                if (!start.toInstant().isBefore(from)) {
                    return Optional.of(start.toInstant());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return zone == null ? "OpeningHours[always]" : "OpeningHours[" + zone + ", " + week + ", holidays=" + holidays.size() + "]";
    }

    /** Builds weekly hours. */
    public static final class Builder {
        private final ZoneId zone;
        private final Map<DayOfWeek, List<Range>> week = new EnumMap<>(DayOfWeek.class);
        private final java.util.HashSet<LocalDate> holidays = new java.util.HashSet<>();

        private Builder(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
        }

        public Builder open(DayOfWeek day, LocalTime from, LocalTime to) {
            week.computeIfAbsent(day, d -> new ArrayList<>()).add(new Range(from, to));
            return this;
        }

        /** Same hours Monday to Friday. */
        public Builder weekdays(LocalTime from, LocalTime to) {
            for (DayOfWeek d : DayOfWeek.values()) {
                if (d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY) {
                    open(d, from, to);
                }
            }
            return this;
        }

        public Builder holiday(LocalDate date) {
            holidays.add(date);
            return this;
        }

        public OpeningHours build() {
            Map<DayOfWeek, List<Range>> copy = new EnumMap<>(DayOfWeek.class);
            week.forEach((d, l) -> {
                List<Range> sorted = new ArrayList<>(l);
                sorted.sort(Comparator.comparing(Range::from));
                copy.put(d, List.copyOf(sorted));
            });
            return new OpeningHours(zone, java.util.Collections.unmodifiableMap(copy), Set.copyOf(holidays));
        }
    }
}
