package io.musubi.shell.internal;

import io.musubi.acd.AgentStatus;
import io.musubi.acd.QueueStatistics;
import io.musubi.acd.WaitingInteraction;
import io.musubi.model.Channel;
import io.musubi.model.PresenceState;
import org.apache.karaf.shell.support.table.ShellTable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Selection and table layout of the {@code musubi:*} commands, kept out of the command classes so that they can be
 * tested against a real engine without a container. Only ids, states and figures are shown: never a customer's
 * address, customer id or message text (PII stays in the history store, behind its own access rules).
 */
final class AcdViews {

    private AcdViews() {
    }

    // ------------------------------------------------------------------ agents

    /**
     * The agents to list.
     *
     * @param state    only agents whose effective state is this one; null for all
     * @param loggedIn only agents not OFFLINE
     * @param idGlob   only ids matching this glob ({@code *} and {@code ?}; {@link ConsoleIds#glob}); null or empty
     *                 for all
     */
    static List<AgentStatus> selectAgents(List<AgentStatus> all, PresenceState state, boolean loggedIn,
                                          String idGlob) {
        Predicate<String> selected = ConsoleIds.glob(idGlob);
        List<AgentStatus> out = new ArrayList<>();
        for (AgentStatus a : all) {
            if (state != null && a.state() != state) {
                continue;
            }
            if (loggedIn && !a.state().isLoggedIn()) {
                continue;
            }
            if (!selected.test(a.agentId())) {
                continue;
            }
            out.add(a);
        }
        return out;
    }

    /** Agent, name, state, reason, time in state, load per channel, occupancy; verbose adds routable and handled. */
    static ShellTable agentTable(List<AgentStatus> agents, boolean verbose) {
        ShellTable t = new ShellTable().emptyTableText("no agents");
        t.column("Agent");
        t.column("Name").maxSize(24);
        t.column("State");
        t.column("Reason");
        t.column("In state").alignRight();
        t.column("Load");
        t.column("Occupancy").alignRight();
        if (verbose) {
            t.column("Routable");
            t.column("Handled").alignRight();
            t.column("Offered").alignRight();
            t.column("Assigned").alignRight();
        }
        for (AgentStatus a : agents) {
            List<Object> row = new ArrayList<>(List.of(a.agentId(), Formats.orDash(a.name()), a.state().name(),
                    Formats.orDash(a.reasonCode()), Formats.duration(a.timeInState()),
                    Formats.load(a.load(), a.capacity()), Formats.ratio(a.occupancy())));
            if (verbose) {
                long handled = 0;
                for (Long n : a.handled().values()) {
                    handled += n;
                }
                row.add(Formats.channels(a.routableChannels()));
                row.add(handled);
                row.add(a.offered().size());
                row.add(a.assigned().size());
            }
            t.addRow().addContent(row);
        }
        return t;
    }

    // ------------------------------------------------------------------ queues

    static List<QueueStatistics> selectQueues(List<QueueStatistics> all, String idGlob) {
        Predicate<String> selected = ConsoleIds.glob(idGlob);
        List<QueueStatistics> out = new ArrayList<>();
        for (QueueStatistics q : all) {
            if (selected.test(q.queueId())) {
                out.add(q);
            }
        }
        return out;
    }

    /** The real-time statistics of DESIGN §5.7, one queue per row. */
    static ShellTable queueTable(List<QueueStatistics> queues) {
        ShellTable t = new ShellTable().emptyTableText("no queues");
        t.column("Queue");
        t.column("Open");
        t.column("Waiting").alignRight();
        t.column("Longest").alignRight();
        t.column("Avail").alignRight();
        t.column("Busy").alignRight();
        t.column("Away").alignRight();
        t.column("Offered").alignRight();
        t.column("Answered").alignRight();
        t.column("Abandoned").alignRight();
        t.column("SL").alignRight();
        t.column("ASA").alignRight();
        t.column("AHT").alignRight();
        for (QueueStatistics q : queues) {
            t.addRow().addContent(q.queueId(), q.open() ? "yes" : "no", q.waiting(), Formats.duration(q.longestWait()),
                    q.agentsAvailable(), q.agentsBusy(), q.agentsAway(), q.offered(), q.answered(), q.abandoned(),
                    Formats.percent(q.serviceLevelPercent()), Formats.duration(q.averageSpeedOfAnswer()),
                    Formats.duration(q.averageHandleTime()));
        }
        return t;
    }

    // ------------------------------------------------------------------ waiting interactions

    /**
     * The first {@code max} waiting interactions of a queue, in offer order. Deliberately without the customer id
     * (and the engine's snapshot carries no address or text at all).
     */
    static ShellTable waitingTable(List<WaitingInteraction> waiting, Instant now, int max) {
        ShellTable t = new ShellTable().emptyTableText("nothing waiting");
        t.column("#").alignRight();
        t.column("Interaction");
        t.column("Channel");
        t.column("Priority").alignRight();
        t.column("Waited").alignRight();
        t.column("Requeued");
        t.column("Waiting for");
        int n = Math.min(max, waiting.size());
        for (int i = 0; i < n; i++) {
            WaitingInteraction w = waiting.get(i);
            t.addRow().addContent(i + 1, w.interactionId(), w.channel().name(),
                    String.format(Locale.ROOT, "%.1f", w.effectivePriority()),
                    Formats.duration(Duration.between(w.queuedAt(), now)), w.requeued() ? "yes" : "no",
                    Formats.orDash(w.pinnedAgentId()));
        }
        return t;
    }

    /** The line under the waiting table: how many are shown and how many wait per channel. */
    static String waitingSummary(String queueId, List<WaitingInteraction> waiting, int max) {
        Map<Channel, Integer> perChannel = new EnumMap<>(Channel.class);
        for (WaitingInteraction w : waiting) {
            perChannel.merge(w.channel(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(waiting.size()).append(" waiting in ").append(queueId);
        if (!perChannel.isEmpty()) {
            sb.append(" (");
            boolean first = true;
            for (Map.Entry<Channel, Integer> e : perChannel.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(e.getKey().name()).append(' ').append(e.getValue());
            }
            sb.append(')');
        }
        if (waiting.size() > max) {
            sb.append("; showing the first ").append(max).append(" (--max)");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ helpers

    /** A glob ({@code *}, {@code ?}) as a regex; null when there is nothing to match. */
    static Pattern glob(String glob) {
        if (glob == null || glob.isEmpty() || glob.equals("*")) {
            return null;
        }
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
