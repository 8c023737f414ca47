package io.musubi.hub.internal.schedule;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdEngine;
import io.musubi.api.ScheduledInteractions;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.ScopedId;
import io.musubi.store.HistoryStore;
import io.musubi.store.StoreTransactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's one timer for interactions held back until a chosen time ({@link ScheduledInteractions#DUE_AT}: a
 * customer's call-back for 15:00). The schedule itself is the store's: such an interaction is stored at once, in state
 * NEW with its time as an attribute, and its CALLBACK_SCHEDULED event is in the customer's journey. This component
 * keeps an index of them in memory (per tenant, rebuilt from the store: the ingress hands it each new one with
 * {@link #defer}, recovery the stored ones at start with {@link #rearm}) and queues each in the ACD when it falls due
 * (its time less the configured lead), like any arrival: the ACD's QUEUED is recorded as usual, so service level runs
 * from then.
 *
 * <p>Each held-back interaction is taken from the index exactly once, either by the timer (queued) or by
 * {@link #cancel} (ended, outcome {@code cancelled}); whichever comes second finds nothing. At the time it is queued the
 * stored row is read again, so one that ended meanwhile (erasure, an operator) is not queued.
 */
@Component(service = {InteractionScheduler.class, ScheduledInteractions.class}, immediate = true,
        configurationPid = InteractionScheduler.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ScheduleConfiguration.class)
public final class InteractionScheduler implements ScheduledInteractions {

    static final String PID = "io.musubi.schedule";
    static final String ACTOR = "system:schedule";
    /** ENDED outcome of a held-back interaction cancelled before its time. */
    public static final String CANCELLED = "cancelled";

    private static final Logger LOG = LoggerFactory.getLogger(InteractionScheduler.class);
    private static final Comparator<Entry> BY_TIME = Comparator.comparing(Entry::dueAt)
            .thenComparing(e -> e.interaction().tenantId()).thenComparing(e -> e.interaction().id());

    private final AcdEngine acd;
    private final HistoryStore history;
    private final StoreTransactions transactions;
    private final HubEvents events;
    private final Clock clock;
    private volatile Duration lead;

    private final Object lock = new Object();
    /** By tenant and interaction id; guarded by {@link #lock}, as are the two sets. */
    private final Map<String, Entry> entries = new HashMap<>();
    private final NavigableSet<Entry> byTime = new TreeSet<>(BY_TIME);
    private final Map<String, NavigableSet<Entry>> byQueue = new HashMap<>();

    private ScheduledExecutorService timer;
    private ScheduledFuture<?> ticking;
    private volatile boolean failing;

    private record Entry(Interaction interaction, Instant dueAt) {
        String key() {
            return key(interaction.tenantId(), interaction.id());
        }

        static String key(String tenantId, String interactionId) {
            return tenantId + '\n' + interactionId;
        }
    }

    @Activate
    public InteractionScheduler(ScheduleConfiguration config, @Reference AcdEngine acd,
                                @Reference HistoryStore history, @Reference StoreTransactions transactions,
                                @Reference HubEvents events) {
        this(acd, history, transactions, events, Clock.systemUTC(), Duration.ofSeconds(config.leadSeconds()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "musubi-schedule");
            t.setDaemon(true);
            return t;
        });
        tickEvery(config.tickMillis());
    }

    /** A scheduler without its own timer: {@link #runDue()} is called by the test (with a manual clock). */
    public InteractionScheduler(AcdEngine acd, HistoryStore history, StoreTransactions transactions, HubEvents events,
                                Clock clock, Duration lead) {
        this.acd = acd;
        this.history = history;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
        this.lead = lead.isNegative() ? Duration.ZERO : lead;
    }

    @Modified
    void modified(ScheduleConfiguration config) {
        lead = Duration.ofSeconds(Math.max(0, config.leadSeconds()));
        tickEvery(config.tickMillis());
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private synchronized void tickEvery(long millis) {
        if (timer == null) {
            return;
        }
        if (ticking != null) {
            ticking.cancel(false);
        }
        long every = Math.max(10, millis);
        ticking = timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            runDue();
            if (failing) {
                failing = false;
                LOG.info("Scheduled interactions are queued again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("Scheduled interactions could not be queued, retrying: {}", e.getClass().getSimpleName());
            }
        }
    }

    /**
     * When the interaction is to be queued: its {@link #DUE_AT} less the lead; empty when it has no (valid) time.
     */
    public Optional<Instant> queueAt(Interaction i) {
        return dueAt(i).map(at -> at.minus(lead));
    }

    private static Optional<Instant> dueAt(Interaction i) {
        String at = i.attributes().get(DUE_AT);
        if (at == null || at.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(at));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * A new interaction, stored and not yet queued: held back when its time is still ahead (its CALLBACK_SCHEDULED is
     * recorded and it is queued at that time), else left to the caller to queue now.
     *
     * @return true if it is held back
     */
    public boolean defer(Interaction i) {
        Optional<Instant> dueAt = dueAt(i);
        if (dueAt.isEmpty() || !dueAt.get().minus(lead).isAfter(clock.instant())) {
            return false;
        }
        rearm(i);
        return true;
    }

    /**
     * Holds a stored NEW interaction back until its time (recovery, at start): its CALLBACK_SCHEDULED is recorded if
     * the history does not have it yet (a stop came between the two). An interaction already held is not held twice.
     */
    public void rearm(Interaction i) {
        Instant dueAt = dueAt(i).orElseThrow(() -> new IllegalArgumentException("interaction " + i.id()
                + " has no " + DUE_AT));
        InteractionEvent scheduled = InteractionEvent.of(i.id() + "-scheduled", i.tenantId(), i.id(), i.customerId(),
                i.channel(), InteractionEventType.CALLBACK_SCHEDULED, i.createdAt(), ACTOR,
                Map.of(AcdAttributes.QUEUE_ID, i.queueId(), AcdAttributes.CALLBACK_AT, dueAt.toString()));
        if (history.append(scheduled)) {
            events.publish(scheduled);
        }
        add(new Entry(i, dueAt));
    }

    private void add(Entry e) {
        synchronized (lock) {
            if (entries.putIfAbsent(e.key(), e) == null) {
                byTime.add(e);
                byQueue.computeIfAbsent(e.interaction().queueId(), q -> new TreeSet<>(BY_TIME)).add(e);
            }
        }
    }

    /** Queues every held-back interaction whose time (less the lead) has come, the soonest first. */
    public int runDue() {
        int queued = 0;
        while (true) {
            Entry next;
            synchronized (lock) {
                next = byTime.isEmpty() ? null : byTime.first();
                if (next == null || next.dueAt().minus(lead).isAfter(clock.instant())) {
                    return queued;
                }
                remove(next);
            }
            try {
                queued += queue(next) ? 1 : 0;
            } catch (RuntimeException e) {
                // the store or the ACD failed: it stays held, and the next tick tries again
                add(next);
                throw e;
            }
        }
    }

    private boolean queue(Entry e) {
        Interaction stored = history.findInteraction(e.interaction().tenantId(), e.interaction().id()).orElse(null);
        if (stored == null || stored.state() != InteractionState.NEW || acd.interaction(stored.id()).isPresent()) {
            return false;
        }
        try {
            acd.enqueue(stored);
            return true;
        } catch (IllegalArgumentException | NoSuchElementException | IllegalStateException refused) {
            close(stored, "refused", "its queue " + ScopedId.localOf(stored.queueId()) + " cannot take it: "
                    + refused.getMessage());
            LOG.warn("Scheduled interaction {} of tenant {} could not be queued in {} and was closed", stored.id(),
                    stored.tenantId(), ScopedId.localOf(stored.queueId()));
            return false;
        }
    }

    /** Removes an entry from the index; under {@link #lock}. */
    private void remove(Entry e) {
        entries.remove(e.key());
        byTime.remove(e);
        NavigableSet<Entry> q = byQueue.get(e.interaction().queueId());
        if (q != null) {
            q.remove(e);
            if (q.isEmpty()) {
                byQueue.remove(e.interaction().queueId());
            }
        }
    }

    @Override
    public List<Scheduled> scheduled(String tenantId, String queueId) {
        if (!ScopedId.belongsTo(queueId, tenantId)) {
            return List.of();
        }
        List<Scheduled> out = new ArrayList<>();
        Duration l = lead;
        synchronized (lock) {
            for (Entry e : byQueue.getOrDefault(queueId, new TreeSet<>(BY_TIME))) {
                out.add(new Scheduled(e.interaction(), e.dueAt(), e.dueAt().minus(l)));
            }
        }
        return out;
    }

    @Override
    public boolean cancel(String tenantId, String interactionId, String actor) {
        Entry e;
        synchronized (lock) {
            e = entries.get(Entry.key(tenantId, interactionId));
            if (e == null) {
                return false;
            }
            remove(e);
        }
        try {
            Interaction stored = history.findInteraction(tenantId, interactionId).orElse(null);
            if (stored == null || stored.state() != InteractionState.NEW) {
                return false;
            }
            close(stored, CANCELLED, "cancelled by " + actor, actor);
            return true;
        } catch (RuntimeException failed) {
            add(e);
            throw failed;
        }
    }

    /** Drops a tenant's entries (its ACD moves to another hub, which rebuilds them from the store). */
    public void release(String tenantId) {
        synchronized (lock) {
            for (Entry e : new ArrayList<>(entries.values())) {
                if (e.interaction().tenantId().equals(tenantId)) {
                    remove(e);
                }
            }
        }
    }

    /** How many interactions are held back (all tenants). */
    public int size() {
        synchronized (lock) {
            return entries.size();
        }
    }

    private void close(Interaction i, String outcome, String reason) {
        close(i, outcome, reason, ACTOR);
    }

    private void close(Interaction i, String outcome, String reason, String actor) {
        Instant now = clock.instant();
        InteractionEvent ended = InteractionEvent.of(i.id() + "-" + outcome, i.tenantId(), i.id(), i.customerId(),
                i.channel(), InteractionEventType.ENDED, now, actor,
                Map.of(AcdAttributes.OUTCOME, outcome, AcdAttributes.REASON, reason));
        transactions.runInTransaction(() -> {
            history.saveInteraction(new Interaction(i.id(), i.tenantId(), i.channel(), i.customerId(), i.from(),
                    i.to(), i.threadKey(), i.queueId(), i.priority(), i.attributes(), InteractionState.ENDED,
                    i.createdAt(), now, i.agentId(), i.disposition()));
            history.append(ended);
        });
        events.publish(ended);
    }
}
