package io.musubi.hub.internal.recovery;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdRestore;
import io.musubi.acd.QueueDefinition;
import io.musubi.hub.definitions.AcdDefinitions;
import io.musubi.hub.internal.events.AcdHistoryRecorder;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.hub.internal.schedule.InteractionScheduler;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import io.musubi.model.ScopedId;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.store.AcdStateRepository;
import io.musubi.store.AcdStateRepository.AgentPresence;
import io.musubi.store.AcdStateRepository.OpenInteraction;
import io.musubi.store.AcdStateRepository.StickyRecord;
import io.musubi.store.DefinitionRepository;
import io.musubi.store.HistoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the ACD's routing state from the store when the hub starts (DESIGN §5.1, issue #11), one tenant at a time
 * with {@link AcdEngine#restore}: after the stored agents and queues are back ({@link AcdDefinitions}), before the
 * ingress consumes anything (the {@code Ingress} references this service). The tenants are those with stored
 * definitions or open interactions.
 *
 * <p>Per tenant, from {@link AcdStateRepository} (and the history for assigned work's times):
 * <ul>
 *   <li>QUEUED: waiting in its queue with the time it was queued there, in the store's order;</li>
 *   <li>OFFERED (an offer in flight at the stop): waiting at the head of its queue, requeued;</li>
 *   <li>CONNECTED, HELD, WRAP_UP: assigned to its agent (the agent's capacity stays used); the accept time, the time
 *       the current state began and a set-aside hold come from the interaction's events in the history, else the
 *       row's last update;</li>
 *   <li>NEW (never queued: the stop came between its arrival and its queueing): queued now, as the ingress would;</li>
 *   <li>NEW and held back until a time ({@link InteractionScheduler}, a call-back): not queued, handed back to the
 *       scheduler, when that time is still ahead; when it fell due while the hub was down, waiting in its queue since
 *       its time (service level counts the outage), in time order with the rest;</li>
 *   <li>an interaction its provider routes ({@code musubi.routing=external}) and not yet assigned is left to it.</li>
 * </ul>
 * What the engine would refuse is not left stranded: a waiting interaction whose queue is gone (or no longer takes
 * its channel) goes to the tenant's default queue as the ingress would send it (created when so configured); assigned
 * work whose agent is gone goes back to the head of its queue (or the default queue); when no queue can take it, it
 * is closed (ENDED, outcome {@code refused}). Each of these is logged with its reason and recorded in the history
 * (QUEUED with {@code reason}, or ENDED).
 *
 * <p>Presence (docs/acd.md, "Recovery"): when the store's newest change of the tenant (a presence, a last-agent
 * record, an open interaction's update) is at most {@code presenceGraceSeconds} old, every agent gets its last
 * presence back with its since-time; else agents that were logged in come back OFFLINE (and the store says so), their
 * assigned work kept. Sticky records newer than the tenant's longest queue TTL (at least 24 h) come back.
 *
 * <p>Configuration: PIDs {@code io.musubi.ingress} and {@code io.musubi.recovery} merged ({@link RecoveryConfiguration};
 * no metatype designation: DS allows one only for a single PID).
 */
@Component(service = AcdRecovery.class, immediate = true,
        configurationPid = {"io.musubi.ingress", AcdRecovery.PID}, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class AcdRecovery {

    static final String PID = "io.musubi.recovery";
    static final String ACTOR = "system:recovery";
    /** On a QUEUED event recovery records for a move to another queue: why (a REASON would mark a requeue). */
    static final String RECOVERY_ATTRIBUTE = "recovery";

    private static final Logger LOG = LoggerFactory.getLogger(AcdRecovery.class);
    private static final Duration MIN_STICKY_WINDOW = Duration.ofHours(24);

    private final AcdEngine acd;
    private final DefinitionRepository definitions;
    private final AcdStateRepository state;
    private final HistoryStore history;
    private final HubEvents events;
    private final Clock clock;
    private final String defaultQueue;
    private final boolean createDefaultQueue;
    private final Duration presenceGrace;
    private final InteractionScheduler scheduler;
    private final List<TenantSummary> summaries = new ArrayList<>();

    /** What was done for one tenant (the INFO line, tests). */
    public record TenantSummary(String tenantId, int waiting, int requeued, int assigned, int queuedAnew, int moved,
                                int closed, int left, int scheduled, int presences, boolean lastPresence,
                                int lastAgents, long millis, long storeMillis, long engineMillis, String failure) {
    }

    /**
     * Restores every tenant at activation; the service is registered (and the ingress starts) once that is done.
     * The recorders are references so that what routing decides right after the restore is recorded.
     */
    @Activate
    public AcdRecovery(RecoveryConfiguration config, @Reference AcdEngine acd,
                       @Reference AcdDefinitions restoredDefinitions, @Reference DefinitionRepository definitions,
                       @Reference AcdStateRepository state, @Reference HistoryStore history,
                       @Reference HubEvents events, @Reference AcdHistoryRecorder recorder,
                       @Reference AcdStateRecorder stateRecorder, @Reference RecoveryStatus status,
                       @Reference InteractionScheduler scheduler) {
        this(acd, definitions, state, history, events, Clock.systemUTC(), config.defaultQueue(),
                config.createDefaultQueue(), Duration.ofSeconds(Math.max(0, config.presenceGraceSeconds())),
                scheduler);
        try {
            recoverAll(status);
        } catch (RuntimeException e) {
            // the tenants could not even be listed: the ingress stays stopped (nothing routed on a half-known ACD)
            status.failed("the store could not be read: " + e.getClass().getSimpleName());
            LOG.error("The ACD could not be rebuilt from the store: {}: {}", e.getClass().getSimpleName(),
                    e.getMessage());
            throw e;
        }
    }

    /** A recovery on these parts, run by {@link #recoverAll} (tests). */
    public AcdRecovery(AcdEngine acd, DefinitionRepository definitions, AcdStateRepository state,
                       HistoryStore history, HubEvents events, Clock clock, String defaultQueue,
                       boolean createDefaultQueue, Duration presenceGrace) {
        this(acd, definitions, state, history, events, clock, defaultQueue, createDefaultQueue, presenceGrace, null);
    }

    /** A recovery on these parts that hands held-back interactions to {@code scheduler} (null: none are held). */
    public AcdRecovery(AcdEngine acd, DefinitionRepository definitions, AcdStateRepository state,
                       HistoryStore history, HubEvents events, Clock clock, String defaultQueue,
                       boolean createDefaultQueue, Duration presenceGrace, InteractionScheduler scheduler) {
        this.scheduler = scheduler;
        this.acd = acd;
        this.definitions = definitions;
        this.state = state;
        this.history = history;
        this.events = events;
        this.clock = clock;
        this.defaultQueue = defaultQueue;
        this.createDefaultQueue = createDefaultQueue;
        this.presenceGrace = presenceGrace;
    }

    /** A change of the ingress's or this configuration after the start changes nothing: recovery ran once. */
    @Modified
    void modified() {
    }

    /** Restores every tenant; returns what was done per tenant. */
    public List<TenantSummary> recoverAll(RecoveryStatus status) {
        long start = System.nanoTime();
        Set<String> tenants = new TreeSet<>();
        for (DefinitionRepository.Kind kind : List.of(DefinitionRepository.Kind.AGENT, DefinitionRepository.Kind.QUEUE)) {
            definitions.all(kind).forEach(d -> tenants.add(d.tenantId()));
        }
        tenants.addAll(state.tenantsWithOpenInteractions());
        int failed = 0;
        int interactions = 0;
        for (String tenant : tenants) {
            TenantSummary s = recover(tenant);
            summaries.add(s);
            failed += s.failure().isEmpty() ? 0 : 1;
            interactions += s.waiting() + s.assigned() + s.queuedAnew();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (status != null) {
            status.done(failed == 0 ? "ACD rebuilt from the store" : failed + " tenants could not be restored (see log)",
                    Map.of("tenants", Integer.toString(tenants.size()), "interactions", Integer.toString(interactions),
                            "failedTenants", Integer.toString(failed), "millis", Long.toString(millis)), failed);
        }
        return List.copyOf(summaries);
    }

    /** Restores one tenant; a failure is logged and reported, never thrown (the other tenants still come back). */
    TenantSummary recover(String tenant) {
        long start = System.nanoTime();
        Plan plan = new Plan(tenant, clock.instant());
        try {
            plan.build();
            long built = System.nanoTime();
            plan.storeMillis = (built - start) / 1_000_000;
            plan.apply();
            plan.engineMillis = (System.nanoTime() - built) / 1_000_000;
            TenantSummary s = plan.summary((System.nanoTime() - start) / 1_000_000, "");
            LOG.info("ACD of tenant {} restored in {} ms (reading the store {} ms, the engine {} ms): {} waiting ({} back "
                            + "at the head of their queue), {} assigned, {} queued anew, {} moved to another queue, "
                            + "{} closed, {} left to their provider, {} held back until their time; {} agents' "
                            + "presence ({}), {} last-agent records",
                    tenant, s.millis(), s.storeMillis(), s.engineMillis(), s.waiting(), s.requeued(), s.assigned(),
                    s.queuedAnew(), s.moved(), s.closed(), s.left(), s.scheduled(), s.presences(),
                    s.lastPresence() ? "as before the restart" : "logged out: the outage was longer than "
                            + presenceGrace.toSeconds() + " s", s.lastAgents());
            return s;
        } catch (RuntimeException e) {
            TenantSummary s = plan.summary((System.nanoTime() - start) / 1_000_000, e.getClass().getSimpleName()
                    + ": " + e.getMessage());
            LOG.error("ACD of tenant {} could not be restored from the store: {}: {}", tenant,
                    e.getClass().getSimpleName(), e.getMessage());
            return s;
        }
    }

    /** One tenant's restore: what the store holds, mapped to the engine's {@link AcdRestore}. */
    private final class Plan {
        private final String tenant;
        private final Instant now;
        private final AcdRestore.Builder restore;
        /** Interactions to queue after the restore (never queued before, or the engine already had the tenant). */
        private final List<Interaction> enqueue = new ArrayList<>();
        /** Held back until a time still ahead: handed to the scheduler once the engine took the state. */
        private final List<Interaction> held = new ArrayList<>();
        /** Held back until a time that passed while the hub was down, with that time. */
        private final List<Map.Entry<OpenInteraction, Instant>> due = new ArrayList<>();
        /** Assigned work to hand to its agent one by one when the engine already had the tenant. */
        private final List<AcdRestore.Assigned> forceAssign = new ArrayList<>();
        /** History records of what recovery changed, written once the engine took the state. */
        private final List<Runnable> records = new ArrayList<>();
        private final List<AgentPresence> loggedOut = new ArrayList<>();
        private boolean engineHasTenant;
        private boolean lastPresence;
        private int waiting;
        private int requeued;
        private int assigned;
        private int queuedAnew;
        private int moved;
        private int closed;
        private int left;
        private int scheduled;
        private int presences;
        private int lastAgents;
        long storeMillis;
        long engineMillis;

        Plan(String tenant, Instant now) {
            this.tenant = tenant;
            this.now = now;
            this.restore = AcdRestore.builder(tenant);
        }

        void build() {
            List<OpenInteraction> open = state.openInteractions(tenant);
            List<AgentPresence> stored = state.presences(tenant);
            List<StickyRecord> sticky = state.stickyNewerThan(tenant, now.minus(stickyWindow()));
            // The engine outlived the hub (the hub bundle alone was restarted): what it holds is the truth, and
            // restore refuses a tenant it has interactions of; only what it does not know is given to it.
            engineHasTenant = open.stream().anyMatch(o -> acd.interaction(o.interaction().id()).isPresent());
            Instant lastChange = null;
            for (OpenInteraction o : open) {
                lastChange = later(lastChange, o.interaction().updatedAt());
                if (!acd.interaction(o.interaction().id()).isPresent()) {
                    plan(o);
                }
            }
            // fell due while the hub was down: waiting since their time, in time order
            due.sort(Map.Entry.comparingByValue());
            for (Map.Entry<OpenInteraction, Instant> d : due) {
                planDue(d.getKey(), d.getValue());
            }
            for (AgentPresence p : stored) {
                lastChange = later(lastChange, p.since());
            }
            for (StickyRecord r : sticky) {
                lastChange = later(lastChange, r.at());
            }
            lastPresence = !presenceGrace.isZero() && lastChange != null
                    && Duration.between(lastChange, now).compareTo(presenceGrace) <= 0;
            if (!engineHasTenant) {
                for (AgentPresence p : stored) {
                    planPresence(p);
                }
                for (StickyRecord r : sticky) {
                    if (acd.agent(r.agentId()).isPresent()) {
                        restore.lastAgent(new AcdRestore.LastAgent(r.customerId(), r.agentId(), r.channel(), r.at()));
                        lastAgents++;
                    }
                }
            }
        }

        private void plan(OpenInteraction o) {
            Interaction i = o.interaction();
            switch (i.state()) {
                case NEW -> {
                    Optional<Instant> queueAt = scheduler == null ? Optional.empty() : scheduler.queueAt(i);
                    if (i.queueId().isEmpty() || routedExternally(i)) {
                        left++;
                    } else if (queueAt.isPresent() && queueAt.get().isAfter(now)) {
                        held.add(i);
                        scheduled++;
                    } else if (queueAt.isPresent()) {
                        due.add(Map.entry(o, queueAt.get()));
                    } else {
                        enqueue.add(i);
                    }
                }
                case QUEUED, OFFERED -> {
                    if (routedExternally(i)) {
                        left++;
                    } else {
                        planWaiting(o, i.state() == InteractionState.OFFERED, "");
                    }
                }
                case CONNECTED, HELD, WRAP_UP -> planAssigned(o);
                default -> left++;
            }
        }

        /**
         * Waiting in its queue, else moved to the default queue, else closed. {@code why}: non-empty when it was
         * assigned and its agent is gone (then it goes back to the head of its queue).
         */
        private void planWaiting(OpenInteraction o, boolean head, String why) {
            Interaction i = o.interaction();
            Instant queuedAt = o.queuedAt() != null ? o.queuedAt() : i.createdAt();
            String refusal = refusal(i.queueId(), i.channel());
            if (refusal == null) {
                Interaction waitingOne = i;
                Offers offers = NO_OFFERS;
                if (!why.isEmpty()) {
                    // the row keeps the agent (as after a reject): the next start reads its events, as here
                    waitingOne = withQueue(i, i.queueId(), i.agentId());
                    Interaction stored = waitingOne;
                    records.add(() -> requeued(stored, why, true));
                } else if (!i.agentId().isEmpty()) {
                    // offered before: a reject or timeout put it back at the head and excludes that agent
                    offers = offers(i);
                }
                addWaiting(new AcdRestore.Waiting(waitingOne, queuedAt, queuedAt, o.vip(),
                        head || !why.isEmpty() || offers.requeued(), offers.excluded(), "", null));
                return;
            }
            String reason = (why.isEmpty() ? "" : why + ", and ") + refusal;
            String fallback = ScopedId.of(tenant, defaultQueue);
            if (!fallback.equals(i.queueId()) && refusal(fallback, i.channel()) == null) {
                Interaction movedOne = withQueue(i, fallback, "");
                records.add(() -> requeued(movedOne, reason + ": moved to the default queue", false));
                addWaiting(new AcdRestore.Waiting(movedOne, now, now, o.vip(), false, Set.of(), "", null));
                moved++;
                return;
            }
            records.add(() -> close(i, reason + " and no queue of the tenant can take it"));
            closed++;
        }

        /**
         * Held back until {@code queueAt}, which passed while the hub was down: waiting in its queue since then (the
         * store and the history say so: QUEUED at that time), or queued now when the engine already had the tenant;
         * moved or closed as any waiting one when its queue cannot take it.
         */
        private void planDue(OpenInteraction o, Instant queueAt) {
            Interaction i = o.interaction();
            if (refusal(i.queueId(), i.channel()) != null) {
                planWaiting(o, false, "");
                return;
            }
            if (engineHasTenant) {
                enqueue.add(i);
                return;
            }
            Interaction queued = new Interaction(i.id(), i.tenantId(), i.channel(), i.customerId(), i.from(), i.to(),
                    i.threadKey(), i.queueId(), i.priority(), i.attributes(), InteractionState.QUEUED, i.createdAt(),
                    queueAt, "", i.disposition());
            records.add(() -> {
                history.saveInteraction(queued);
                InteractionEvent e = InteractionEvent.of(i.id() + "-due", i.tenantId(), i.id(), i.customerId(),
                        i.channel(), InteractionEventType.QUEUED, queueAt, ACTOR,
                        Map.of(AcdAttributes.QUEUE_ID, i.queueId(), RECOVERY_ATTRIBUTE,
                                "its time " + queueAt + " passed while the hub was stopped"));
                if (history.append(e)) {
                    events.publish(e);
                }
            });
            addWaiting(new AcdRestore.Waiting(queued, queueAt, queueAt, o.vip(), false, Set.of(), "", null));
        }

        private void addWaiting(AcdRestore.Waiting w) {
            if (engineHasTenant) {
                enqueue.add(w.interaction());
                return;
            }
            restore.waiting(w);
            waiting++;
            requeued += w.requeued() ? 1 : 0;
        }

        private void planAssigned(OpenInteraction o) {
            Interaction i = o.interaction();
            if (i.agentId().isEmpty() || acd.agent(i.agentId()).isEmpty()) {
                planWaiting(o, true, i.agentId().isEmpty() ? "it was assigned to no agent"
                        : "its agent " + ScopedId.localOf(i.agentId()) + " is gone");
                return;
            }
            Times t = times(i);
            AcdRestore.Assigned a = new AcdRestore.Assigned(i, i.agentId(), i.state(),
                    o.queuedAt() != null ? o.queuedAt() : i.createdAt(), t.acceptedAt, t.since,
                    t.setAside && i.state() == InteractionState.HELD);
            if (engineHasTenant) {
                forceAssign.add(a);
            } else {
                restore.assigned(a);
            }
            assigned++;
        }

        private void planPresence(AgentPresence p) {
            if (acd.agent(p.agentId()).isEmpty()) {
                return;
            }
            if (lastPresence) {
                restore.presence(new AcdRestore.Presence(p.agentId(), p.state(), p.reason(), p.since()));
                presences++;
            } else if (p.state() != PresenceState.OFFLINE) {
                restore.presence(new AcdRestore.Presence(p.agentId(), PresenceState.OFFLINE, "", now));
                loggedOut.add(new AgentPresence(tenant, p.agentId(), PresenceState.OFFLINE, "", now));
                presences++;
            }
        }

        void apply() {
            // The store first: once the engine has the state, its own events (an offer right after the restore) are
            // recorded on these rows, and must not be overwritten by them.
            records.forEach(Runnable::run);
            if (!engineHasTenant) {
                acd.restore(restore.build());
                if (!loggedOut.isEmpty()) {
                    // else the next start within the grace would log them in again
                    state.savePresences(loggedOut);
                }
            } else {
                for (AcdRestore.Assigned a : forceAssign) {
                    acd.forceAssign(a.interaction(), a.agentId(), ACTOR);
                }
            }
            for (Interaction i : enqueue) {
                String refusal = refusal(i.queueId(), i.channel());
                String fallback = ScopedId.of(tenant, defaultQueue);
                if (refusal == null) {
                    acd.enqueue(i);
                    queuedAnew++;
                } else if (refusal(fallback, i.channel()) == null) {
                    Interaction movedOne = withQueue(i, fallback, "");
                    requeued(movedOne, refusal + ": moved to the default queue", false);
                    acd.enqueue(movedOne);
                    moved++;
                } else {
                    close(i, refusal + " and no queue of the tenant can take it");
                    closed++;
                }
            }
            // after the restore: the engine refuses a restore of a tenant it already has interactions of
            for (Interaction i : held) {
                scheduler.rearm(i);
            }
        }

        TenantSummary summary(long millis, String failure) {
            return new TenantSummary(tenant, waiting, requeued, assigned, queuedAnew, moved, closed, left, scheduled,
                    presences, lastPresence, lastAgents, millis, storeMillis, engineMillis, failure);
        }

        /** Why the queue cannot take the channel now, or null if it can (the default queue is created if so set). */
        private String refusal(String queueId, Channel channel) {
            Optional<QueueDefinition> q = acd.queue(queueId);
            if (q.isEmpty() && createDefaultQueue && queueId.equals(ScopedId.of(tenant, defaultQueue))) {
                acd.defineQueue(QueueDefinition.builder(queueId).name("Default").channels(Channel.values()).build());
                q = acd.queue(queueId);
            }
            if (q.isEmpty()) {
                return "its queue " + ScopedId.localOf(queueId) + " is gone";
            }
            return q.get().channels().contains(channel) ? null
                    : "its queue " + ScopedId.localOf(queueId) + " does not take " + channel;
        }

        private Duration stickyWindow() {
            Duration window = MIN_STICKY_WINDOW;
            for (QueueDefinition q : acd.queues()) {
                if (ScopedId.belongsTo(q.id(), tenant) && q.sticky().ttl().compareTo(window) > 0) {
                    window = q.sticky().ttl();
                }
            }
            return window;
        }

        private Interaction withQueue(Interaction i, String queueId, String agentId) {
            return new Interaction(i.id(), i.tenantId(), i.channel(), i.customerId(), i.from(), i.to(), i.threadKey(),
                    queueId, i.priority(), i.attributes(), InteractionState.QUEUED, i.createdAt(), now, agentId,
                    i.disposition());
        }

        /**
         * The store and the history say where recovery put it (the engine restores silently): a QUEUED event with a
         * {@code reason} when it is back at the head of its queue (a requeue, as after a reject), else with the
         * attribute {@code recovery} (a new place in another queue).
         */
        private void requeued(Interaction i, String reason, boolean head) {
            history.saveInteraction(i);
            InteractionEvent e = InteractionEvent.of(i.id() + "-recovered-" + now.toEpochMilli(), i.tenantId(), i.id(),
                    i.customerId(), i.channel(), InteractionEventType.QUEUED, now, ACTOR,
                    Map.of(AcdAttributes.QUEUE_ID, i.queueId(), head ? AcdAttributes.REASON : RECOVERY_ATTRIBUTE,
                            "recovery: " + reason));
            history.append(e);
            events.publish(e);
            LOG.warn("Interaction {} of tenant {} is waiting in queue {} after the restart: {}", i.id(), i.tenantId(),
                    ScopedId.localOf(i.queueId()), reason);
        }

        private void close(Interaction i, String reason) {
            history.saveInteraction(new Interaction(i.id(), i.tenantId(), i.channel(), i.customerId(), i.from(),
                    i.to(), i.threadKey(), i.queueId(), i.priority(), i.attributes(), InteractionState.ENDED,
                    i.createdAt(), now, i.agentId(), i.disposition()));
            InteractionEvent e = InteractionEvent.of(i.id() + "-recovery-closed", i.tenantId(), i.id(),
                    i.customerId(), i.channel(), InteractionEventType.ENDED, now, ACTOR,
                    Map.of(AcdAttributes.OUTCOME, "refused", AcdAttributes.REASON, "recovery: " + reason));
            history.append(e);
            events.publish(e);
            LOG.warn("Interaction {} of tenant {} was closed at the restart: {}", i.id(), i.tenantId(), reason);
        }
    }

    /** When assigned work was accepted and its current state began, from its events (the row's update otherwise). */
    private Times times(Interaction i) {
        Instant accepted = null;
        Instant since = null;
        boolean setAside = false;
        for (InteractionEvent e : history.interactionEvents(i.tenantId(), i.id())) {
            switch (e.type()) {
                case ACCEPTED -> {
                    accepted = e.timestamp();
                    since = e.timestamp();
                    setAside = false;
                }
                case RESUMED -> {
                    since = e.timestamp();
                    setAside = false;
                }
                case HELD -> {
                    since = e.timestamp();
                    setAside = "set-aside".equals(e.attributes().get(AcdAttributes.REASON));
                }
                case WRAP_UP -> since = e.timestamp();
                default -> {
                }
            }
        }
        return new Times(accepted != null ? accepted : i.updatedAt(), since != null ? since : i.updatedAt(), setAside);
    }

    private record Times(Instant acceptedAt, Instant since, boolean setAside) {
    }

    /** REJECTED reasons that do not exclude the agent (the engine's own rule). */
    private static final Set<String> NOT_EXCLUDING = Set.of("withdrawn", "offline", "transferred", "force-assigned");
    private static final Offers NO_OFFERS = new Offers(false, Set.of());

    /**
     * A waiting interaction that was offered before, from its events: back at the head of its queue (its last
     * QUEUED carries a {@code reason}: a reject, a timeout, a recovery requeue) and the agents it must not be offered
     * to again (a timeout, a reject other than a withdrawal; a transfer to an agent lifts it).
     */
    private Offers offers(Interaction i) {
        boolean requeued = false;
        Set<String> excluded = new java.util.HashSet<>();
        for (InteractionEvent e : history.interactionEvents(i.tenantId(), i.id())) {
            String agent = e.attributes().get(AcdAttributes.AGENT_ID);
            switch (e.type()) {
                case QUEUED -> requeued = e.attributes().containsKey(AcdAttributes.REASON);
                case OFFER_TIMEOUT -> {
                    if (agent != null) {
                        excluded.add(agent);
                    }
                }
                case REJECTED -> {
                    if (agent != null && !NOT_EXCLUDING.contains(e.attributes().get(AcdAttributes.REASON))) {
                        excluded.add(agent);
                    }
                }
                case TRANSFERRED -> {
                    if (agent != null) {
                        excluded.remove(agent);
                    }
                }
                default -> {
                }
            }
        }
        // an agent deleted since is no exclusion the engine could check
        excluded.removeIf(a -> acd.agent(a).isEmpty());
        return new Offers(requeued, excluded);
    }

    private record Offers(boolean requeued, Set<String> excluded) {
    }

    private static boolean routedExternally(Interaction i) {
        return ConnectorAttributes.ROUTING_EXTERNAL.equals(i.attributes().get(ConnectorAttributes.ROUTING));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    /** What was done per tenant at the start. */
    public List<TenantSummary> summaries() {
        return List.copyOf(summaries);
    }
}
