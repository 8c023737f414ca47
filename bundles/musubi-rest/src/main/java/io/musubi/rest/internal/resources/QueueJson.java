package io.musubi.rest.internal.resources;

import io.musubi.hub.definitions.QueueForm;

import io.musubi.acd.EscalationStep;
import io.musubi.acd.OpeningHours;
import io.musubi.acd.OverflowTarget;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.QueueStatistics;
import io.musubi.hub.menu.ExpectedWait;
import io.musubi.acd.ServiceLevel;
import io.musubi.acd.StickyConfig;
import io.musubi.acd.StickyMode;
import io.musubi.acd.WaitingInteraction;
import io.musubi.model.Channel;
import io.musubi.model.InputRules;
import io.musubi.model.InvalidInputException;
import io.musubi.model.ScopedId;
import java.time.DateTimeException;
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

/**
 * The JSON shapes of queues (DESIGN §5) besides their definition ({@link QueueForm}): statistics, the waiting list. Durations in seconds. The
 * limits of every field are in docs/rest.md.
 */
final class QueueJson {

    private QueueJson() {
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

    record View(String id, QueueForm.Body definition, Stats stats) {
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
