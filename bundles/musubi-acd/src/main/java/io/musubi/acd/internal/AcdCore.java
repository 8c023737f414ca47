package io.musubi.acd.internal;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdConfig;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdEventSink;
import io.musubi.acd.AcdRestore;
import io.musubi.acd.AcdListener;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.AgentStatus;
import io.musubi.acd.OverflowTarget;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.QueueStatistics;
import io.musubi.acd.Strategies;
import io.musubi.acd.WaitingInteraction;
import io.musubi.acd.spi.RoutingStrategy;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The ACD engine. Single writer: every command takes one lock, runs the timers that are due, applies the command,
 * routes until nothing more can be offered, and releases the lock; the events it produced are then delivered in order
 * outside the lock. See docs/acd.md for the model and the concurrency design.
 */
public class AcdCore implements AcdEngine {

    private static final System.Logger LOG = System.getLogger(AcdCore.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock;
    private final AcdConfig config;
    private final EngineTime time;

    /** Last-agent records of every tenant as one list, oldest first (for pruning), updated in place. */
    private final LastAgentRegistry lastAgents = new LastAgentRegistry();
    /** Interactions that started waiting in this command, to be routed by the flush. */
    private final ArrayDeque<WorkItem> pendingRoute = new ArrayDeque<>();

    /** The events of the state changes: the in-lock sink, the listeners, event ids (see {@link EventOutbox}). */
    private final EventOutbox outbox = new EventOutbox(lock);
    /** Builds the interaction events and posts them to the outbox (see {@link InteractionEvents}). */
    private final InteractionEvents events;
    /** The free sets, capacity bookkeeping and derived presence of the agents (see {@link AgentIndex}). */
    private final AgentIndex index;
    /** Set presence, its time accounting, channel toggles, device busy (see {@link AgentPresence}). */
    private final AgentPresence presence;
    /** The agents, queues, tenants and pools as defined (see {@link Topology}). */
    private final Topology topology;
    /** Which agent an arrival is offered to, which work a free agent takes; the plugged-in strategies. */
    private final Router router;
    /** Where a waiting interaction is listed, or the agent it is pinned to (see {@link WaitingIndex}). */
    private final WaitingIndex waitingIndex;
    /** Closed queues, last-agent waits, escalation, max wait, overflow: decisions (see {@link WaitPolicy}). */
    private final WaitPolicy waitPolicy;
    /** Every deadline: offer timeout, wrap-up, call-back, the next wait deadline (see {@link Deadlines}). */
    private final Deadlines deadlines;
    /** The interactions open in the ACD by id (see {@link OpenInteractions}). */
    private final OpenInteractions open = new OpenInteractions();
    /** Rebuilds a tenant's state on restore (see {@link Restorer}). */
    private final Restorer restorer;
    /** The answers to the read-only queries (see {@link Queries}). */
    private final Queries queries;

    public AcdCore(AcdConfig config, Clock clock) {
        this(config, clock, System::nanoTime);
    }

    /** With the time source that plugged-in strategies are timed with (tests). */
    AcdCore(AcdConfig config, Clock clock, java.util.function.LongSupplier nanoTime) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.time = new EngineTime(clock.millis());
        this.events = new InteractionEvents(outbox, time);
        this.index = new AgentIndex(config.channelRules(), time, outbox);
        this.presence = new AgentPresence(config, time, index);
        this.topology = new Topology(config.tenantId(), time, index);
        this.waitingIndex = new WaitingIndex(time);
        this.waitPolicy = new WaitPolicy(time, topology, lastAgents);
        this.deadlines = new Deadlines(time, waitPolicy);
        this.restorer = new Restorer(config, time, topology, open, index, presence, lastAgents, waitingIndex,
                deadlines);
        this.queries = new Queries(time, topology, open, lastAgents);
        this.router = new Router(config, time, Objects.requireNonNull(nanoTime, "nanoTime"));
    }

    // ------------------------------------------------------------------ command frame

    private void enter() {
        lock.lock();
        try {
            runTimers();
        } catch (RuntimeException | Error e) {
            lock.unlock();
            throw e;
        }
    }

    /**
     * Runs one command in the frame: lock, due timers, the command, routing to a fixed point, unlock, delivery of the
     * events. The hot commands (enqueue, accept, end) write the frame out, so that no lambda is on the routing path.
     */
    private void command(Runnable body) {
        enter();
        try {
            body.run();
            flush();
        } finally {
            exit();
        }
    }

    private void exit() {
        boolean pending = outbox.hasPending();
        lock.unlock();
        if (pending) {
            outbox.drain();
        }
    }

    private void runTimers() {
        long target = Math.max(time.now, clock.millis());
        WorkItem w;
        while ((w = deadlines.pollDue(target)) != null) {
            time.now = Math.max(time.now, w.deadline);
            byte kind = w.timerKind;
            w.timerKind = WorkItem.T_NONE;
            fire(w, kind);
            flush();
        }
        time.now = target;
        lastAgents.prune(time.now - config.stickyRetention().toMillis());
        flush();
    }

    /** Routes until nothing more can be offered: newly waiting interactions, then agents with new capacity. */
    private void flush() {
        while (true) {
            WorkItem w = pendingRoute.poll();
            if (w != null) {
                w.pendingRoute = false;
                index.attachDeferred();
                routeWork(w);
                continue;
            }
            AgentState a = index.nextToPickWork();
            if (a != null) {
                pickWork(a);
                continue;
            }
            return;
        }
    }

    private void markPending(WorkItem w) {
        if (!w.pendingRoute) {
            w.pendingRoute = true;
            pendingRoute.add(w);
        }
    }

    // ------------------------------------------------------------------ definitions

    @Override
    public void defineAgent(AgentDefinition def) {
        Objects.requireNonNull(def, "def");
        command(() -> topology.defineAgent(def));
    }

    @Override
    public void removeAgent(String agentId) {
        command(() -> {
            AgentState a = topology.agentOf(agentId);
            if (!a.works.isEmpty()) {
                throw new IllegalStateException("agent " + agentId + " has interactions offered or assigned");
            }
            if (a.base != PresenceState.OFFLINE) {
                changePresence(a, PresenceState.OFFLINE, "removed", Actors.SYSTEM);
            }
            releasePinned(a);
            topology.removeAgent(a);
        });
    }

    @Override
    public void defineQueue(QueueDefinition def) {
        Objects.requireNonNull(def, "def");
        topology.checkSameTenant(def);
        command(() -> {
            Topology.checkEscalation(def);
            QueueState old = topology.queue(def.id());
            // what waits in its pools is taken out, and put back into the new pools
            List<WorkItem> relist = old == null ? List.of() : waitingIndex.unlistAllIn(old, open.all());
            QueueState q = topology.defineQueue(def);
            for (WorkItem w : relist) {
                waitingIndex.listAfterRedefinition(w, q);
                markPending(w);
            }
            for (WorkItem w : open.all()) {
                if (w.queue == q && w.state == InteractionState.QUEUED) {
                    deadlines.nextWait(w);
                }
            }
        });
    }

    @Override
    public void removeQueue(String queueId) {
        command(() -> {
            QueueState q = topology.queueOf(queueId);
            for (WorkItem w : open.all()) {
                if (w.queue == q) {
                    throw new IllegalStateException("queue " + queueId + " still has interactions");
                }
            }
            waitingIndex.dropEscalationQueue(q, open.all());
            topology.removeQueue(q);
        });
    }

    @Override
    public void registerStrategy(RoutingStrategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        if (Strategies.BUILT_IN.contains(strategy.name())) {
            throw new IllegalArgumentException("strategy name " + strategy.name() + " is built in");
        }
        command(() -> router.register(strategy));
    }

    @Override
    public void unregisterStrategy(String name) {
        command(() -> router.unregister(name));
    }

    // ------------------------------------------------------------------ presence

    @Override
    public void setPresence(String agentId, PresenceState state, String reasonCode, String actor) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(actor, "actor");
        String reason = reasonCode == null ? "" : reasonCode;
        presence.check(state, reason);
        command(() -> changePresence(topology.agentOf(agentId), state, reason, actor));
    }

    private void changePresence(AgentState a, PresenceState state, String reason, String actor) {
        if (state == PresenceState.OFFLINE) {
            for (WorkItem w : new ArrayList<>(a.works)) {
                if (w.state == InteractionState.OFFERED) {
                    withdrawOffer(w, a, "offline", actor);
                }
            }
            releasePinned(a);
        }
        presence.set(a, state, reason, actor, time.now);
    }

    /** Interactions waiting for an agent that went offline (or away for good) go back to normal routing. */
    private void releasePinned(AgentState a) {
        if (a.pinned == null) {
            return;
        }
        for (WorkItem w : new ArrayList<>(a.pinned)) {
            waitingIndex.unpin(w);
            if (w.queue != null) {
                waitingIndex.list(w);
                deadlines.nextWait(w);
            }
            markPending(w);
        }
    }

    @Override
    public void setChannelEnabled(String agentId, Channel channel, boolean enabled, String actor) {
        Objects.requireNonNull(channel, "channel");
        command(() -> presence.setChannelEnabled(topology.agentOf(agentId), channel, enabled, actor));
    }

    @Override
    public void setDeviceBusy(String agentId, boolean busy, String actor) {
        command(() -> presence.setDeviceBusy(topology.agentOf(agentId), busy, actor));
    }

    // ------------------------------------------------------------------ arrivals

    @Override
    public void enqueue(Interaction interaction) {
        enqueue(interaction, "true".equalsIgnoreCase(interaction.attributes().get(AcdAttributes.VIP)));
    }

    @Override
    public void enqueue(Interaction interaction, boolean vip) {
        Objects.requireNonNull(interaction, "interaction");
        enter();
        try {
            if (open.contains(interaction.id())) {
                throw new IllegalStateException("interaction " + interaction.id() + " is already in the ACD");
            }
            QueueState q = topology.queue(interaction.queueId());
            if (q == null) {
                throw new NoSuchElementException("no queue " + interaction.queueId());
            }
            TenantState.requireTenant(interaction.id(), interaction.tenantId(), q.tenant, "queue " + q.id());
            if (vip && !q.def.vipQueueId().isEmpty()) {
                QueueState vq = topology.queue(q.def.vipQueueId());
                if (vq != null && vq.takes(interaction.channel().ordinal())) {
                    q = vq;
                }
            }
            if (!q.takes(interaction.channel().ordinal())) {
                throw new IllegalArgumentException("queue " + q.id() + " does not take " + interaction.channel());
            }
            WorkItem w = open.add(interaction, q.tenant);
            w.vip = vip;
            w.updatedAt = time.now;
            OverflowTarget closed = waitPolicy.closedTarget(q);
            if (closed != null) {
                w.queue = q;
                overflow(w, closed, "closed");
            } else {
                startWaiting(w, q, time.now, time.now, null, true);
            }
            flush();
        } finally {
            exit();
        }
    }

    /**
     * Puts an interaction into a queue: QUEUED, in the queue's order, pinned to {@code pinTo} (transfer) or to the
     * customer's last agent (sticky), else listed in the queue's pool for any member to take.
     */
    private void startWaiting(WorkItem w, QueueState q, long queuedAt, long orderAt, AgentState pinTo,
                              boolean stickyLookup) {
        w.queue = q;
        w.queuedAt = queuedAt;
        w.orderAt = orderAt;
        w.tier = 0;
        w.nextStep = 0;
        w.maxWaitPassed = false;
        w.extraQueues = null;
        w.requeued = false;
        w.agent = null;
        w.ringing = null;
        w.setState(InteractionState.QUEUED, time.now);
        q.link(w);
        if (pinTo != null) {
            waitingIndex.pin(w, pinTo, WaitPolicy.maxWaitUntil(q, queuedAt));
        } else if (stickyLookup) {
            AgentState last = waitPolicy.lastAgentToWaitFor(w, q);
            if (last != null) {
                waitingIndex.pin(w, last, waitPolicy.lastAgentWaitUntil(q, queuedAt));
            }
        }
        events.queued(w, q);
        if (w.pinned == null) {
            waitingIndex.list(w);
        }
        markPending(w);
        deadlines.nextWait(w);
    }

    // ------------------------------------------------------------------ routing

    /** Offers a newly waiting interaction to a free agent if there is one. */
    private void routeWork(WorkItem w) {
        if (w.state != InteractionState.QUEUED || w.parked) {
            return;
        }
        if (w.pinned != null) {
            AgentState a = w.pinned;
            if (index.canTake(a, w.ch) && !w.isExcluded(a)) {
                offer(w, a, true);
            } else if (w.pinUntil <= time.now) {
                waitingIndex.unpin(w);
                waitingIndex.list(w);
                deadlines.nextWait(w);
                routeWork(w);
            }
            return;
        }
        if (!w.listed()) {
            return;
        }
        if (tryPool(w, w.primary.pool)) {
            return;
        }
        if (w.extra != null) {
            for (WaitingEntry l : new ArrayList<>(w.extra)) {
                if (w.state != InteractionState.QUEUED) {
                    return;
                }
                if (tryPool(w, l.pool)) {
                    return;
                }
            }
        }
    }

    /** Offers the interaction to the pool's agent the router chooses (or rings them all); false if none is free. */
    private boolean tryPool(WorkItem w, Pool p) {
        if (Router.ringsAll(w, p)) {
            List<AgentState> ring = Router.ringing(w, p);
            if (ring == null) {
                return false;
            }
            offerRing(w, ring);
            return true;
        }
        AgentState a = router.chooseAgent(w, p);
        if (a == null) {
            return false;
        }
        offer(w, a, false);
        return true;
    }

    /** Offers the agent the most urgent work it can take, as long as it has free capacity. */
    private void pickWork(AgentState a) {
        if (a.deferredAttach) {
            a.deferredAttach = false;
            if (!a.attached) {
                // released earlier in this command and not yet re-indexed: pick while detached, then attach once
                int mask = index.computeFreeMask(a);
                a.freeMask = mask;
                try {
                    if (mask != 0) {
                        pickLoop(a, true);
                    }
                } finally {
                    a.detachedMask = mask;
                    index.attach(a);
                }
                return;
            }
        }
        if (!a.attached || a.freeMask == 0) {
            return;
        }
        boolean detached = false;
        try {
            pickLoop(a, detached);
        } finally {
            if (!a.attached) {
                index.attach(a);
            }
        }
    }

    /**
     * Offers until the agent has no capacity or nothing fits. The agent is taken out of its free sets once, before
     * the first offer, and put back once at the end (not once per offer).
     */
    private void pickLoop(AgentState a, boolean detached) {
        while (a.freeMask != 0) {
            WorkItem chosen = router.mostUrgentFor(a);
            if (chosen == null) {
                return;
            }
            boolean stickyOffer = chosen.pinned == a;      // it waited for this agent (pinned work is never listed)
            if (!detached) {
                index.detach(a);
                detached = true;
            }
            offerDetached(chosen, a, stickyOffer);
            a.freeMask = index.computeFreeMask(a);
        }
    }

    // ------------------------------------------------------------------ offers

    private void offer(WorkItem w, AgentState a, boolean stickyOffer) {
        index.detach(a);
        offerDetached(w, a, stickyOffer);
        index.attach(a);
    }

    /** Makes an offer; the agent must be detached from its free sets (the caller re-attaches it). */
    private void offerDetached(WorkItem w, AgentState a, boolean stickyOffer) {
        waitingIndex.unlist(w);
        waitingIndex.unpin(w);
        index.reserveDetached(a, w);
        w.agent = a;
        w.ringing = null;
        w.offeredAt = time.now;
        w.setState(InteractionState.OFFERED, time.now);
        QueueState q = w.queue;
        deadlines.offerTimeout(w);
        if (q != null) {
            q.offered++;
        }
        if (stickyOffer) {
            events.emit(w, InteractionEventType.OFFERED, Actors.SYSTEM, AcdAttributes.AGENT_ID, a.id(),
                    AcdAttributes.QUEUE_ID, w.queueId(), AcdAttributes.STICKY, "true");
        } else {
            events.emit(w, InteractionEventType.OFFERED, Actors.SYSTEM, AcdAttributes.AGENT_ID, a.id(),
                    AcdAttributes.QUEUE_ID, w.queueId());
        }
    }

    private void offerRing(WorkItem w, List<AgentState> ring) {
        waitingIndex.unlist(w);
        waitingIndex.unpin(w);
        w.agent = null;
        w.ringing = new ArrayList<>(ring);
        w.offeredAt = time.now;
        w.setState(InteractionState.OFFERED, time.now);
        for (AgentState a : ring) {
            index.reserve(a, w);
            if (w.queue != null) {
                w.queue.offered++;
            }
            events.emit(w, InteractionEventType.OFFERED, Actors.SYSTEM, AcdAttributes.AGENT_ID, a.id(),
                    AcdAttributes.QUEUE_ID, w.queueId());
        }
        deadlines.offerTimeout(w);
    }

    private List<AgentState> offeredTo(WorkItem w) {
        if (w.ringing != null) {
            return new ArrayList<>(w.ringing);
        }
        return w.agent == null ? List.of() : List.of(w.agent);
    }

    private boolean isOfferedTo(WorkItem w, AgentState a) {
        return w.state == InteractionState.OFFERED && (w.agent == a || (w.ringing != null && w.ringing.contains(a)));
    }

    @Override
    public void accept(String interactionId, String agentId) {
        enter();
        try {
            WorkItem w = open.of(interactionId);
            // the usual case: the agent the work is offered to (no second map lookup)
            AgentState a = w.agent != null && w.agent.id().equals(agentId) ? w.agent : topology.agentOf(agentId);
            if (!isOfferedTo(w, a)) {
                throw new IllegalStateException("interaction " + interactionId + " is not offered to " + agentId);
            }
            if (w.ringing != null) {
                for (AgentState other : new ArrayList<>(w.ringing)) {
                    if (other != a) {
                        index.release(other, w, false);
                        events.emit(w, InteractionEventType.REJECTED, Actors.SYSTEM, AcdAttributes.AGENT_ID, other.id(),
                                AcdAttributes.REASON, "withdrawn");
                    }
                }
                w.ringing = null;
                w.agent = a;
            }
            deadlines.cancel(w);
            connect(w, a);
            events.emit(w, InteractionEventType.ACCEPTED, Actors.agent(a.id()), AcdAttributes.AGENT_ID, a.id(),
                    AcdAttributes.QUEUE_ID, w.queueId(), AcdAttributes.WAIT_MS, Long.toString(time.now - w.queuedAt));
            setAsideFor(w, a);
            flush();
        } finally {
            exit();
        }
    }

    private void connect(WorkItem w, AgentState a) {
        w.setState(InteractionState.CONNECTED, time.now);
        w.acceptedAt = time.now;
        QueueState q = w.queue;
        if (q != null) {
            q.unlink(w);
            q.answered++;
            long waited = time.now - w.queuedAt;
            q.asaSumMs += waited;
            if (waited <= q.def.serviceLevel().threshold().toMillis()) {
                q.answeredInSl++;
            }
        }
        if (!w.customerId.isEmpty()) {
            lastAgents.put(w.tenant, w.customerId, a.id(), w.channel, time.now);
        }
    }

    /** A blocking interaction was connected: the agent's interruptible work is set aside. */
    private void setAsideFor(WorkItem w, AgentState a) {
        if (!index.blocksOthers(w.ch)) {
            return;
        }
        for (WorkItem x : a.works) {
            if (x != w && x.state == InteractionState.CONNECTED && index.setsAside(w.ch, x.ch)) {
                x.setAside = true;
                x.setState(InteractionState.HELD, time.now);
                events.emit(x, InteractionEventType.HELD, Actors.SYSTEM, AcdAttributes.AGENT_ID, a.id(),
                        AcdAttributes.REASON, "set-aside");
            }
        }
    }

    /** When the agent has no blocking interaction in progress any more, set-aside work resumes. */
    private void maybeResume(AgentState a) {
        if (!index.hasInterruptibleLoad(a)) {
            return;      // set-aside work is always interruptible work still counted in the load
        }
        for (WorkItem x : a.works) {
            if (index.blocksOthers(x.ch) && (x.state == InteractionState.CONNECTED || x.state == InteractionState.HELD
                    || x.state == InteractionState.OFFERED)) {
                return;
            }
        }
        for (int i = 0, n = a.works.size(); i < n; i++) {      // no structural change below: no copy needed
            WorkItem x = a.works.get(i);
            if (x.setAside) {
                x.setAside = false;
                if (x.state == InteractionState.HELD) {
                    x.setState(InteractionState.CONNECTED, time.now);
                    events.emit(x, InteractionEventType.RESUMED, Actors.SYSTEM, AcdAttributes.AGENT_ID, a.id(),
                            AcdAttributes.REASON, "set-aside");
                }
            }
        }
    }

    @Override
    public void reject(String interactionId, String agentId, String reason) {
        command(() -> {
            WorkItem w = open.of(interactionId);
            AgentState a = topology.agentOf(agentId);
            if (!isOfferedTo(w, a)) {
                throw new IllegalStateException("interaction " + interactionId + " is not offered to " + agentId);
            }
            index.release(a, w, false);
            w.exclude(a);
            events.emit(w, InteractionEventType.REJECTED, Actors.agent(a.id()), AcdAttributes.AGENT_ID, a.id(),
                    AcdAttributes.REASON, reason == null || reason.isEmpty() ? "rejected" : reason);
            if (w.ringing != null) {
                w.ringing.remove(a);
                if (!w.ringing.isEmpty()) {
                    return;
                }
            }
            requeue(w, "rejected");
        });
    }

    /** An offer disappears without fault of the agent (logout, force-assign elsewhere). */
    private void withdrawOffer(WorkItem w, AgentState a, String reason, String actor) {
        index.release(a, w, false);
        events.emit(w, InteractionEventType.REJECTED, actor, AcdAttributes.AGENT_ID, a.id(), AcdAttributes.REASON,
                reason);
        if (w.ringing != null) {
            w.ringing.remove(a);
            if (!w.ringing.isEmpty()) {
                return;
            }
        }
        requeue(w, reason);
    }

    private void offerTimedOut(WorkItem w) {
        for (AgentState a : offeredTo(w)) {
            index.release(a, w, false);
            w.exclude(a);
            events.emit(w, InteractionEventType.OFFER_TIMEOUT, Actors.SYSTEM, AcdAttributes.AGENT_ID, a.id());
            if (a.base.isLoggedIn()) {
                changePresence(a, PresenceState.NOT_RESPONDING, "rona", Actors.SYSTEM);
            }
        }
        requeue(w, "offer-timeout");
    }

    /** Back at the head of its queue after a reject, a timeout or a withdrawn offer. */
    private void requeue(WorkItem w, String reason) {
        deadlines.cancel(w);
        w.agent = null;
        w.ringing = null;
        w.requeued = true;
        w.setState(InteractionState.QUEUED, time.now);
        events.emit(w, InteractionEventType.QUEUED, Actors.SYSTEM, AcdAttributes.QUEUE_ID, w.queueId(),
                AcdAttributes.REASON, reason);
        waitingIndex.list(w);
        markPending(w);
        deadlines.nextWait(w);
    }

    @Override
    public void forceAssign(Interaction interaction, String agentId, String actor) {
        Objects.requireNonNull(interaction, "interaction");
        command(() -> {
            AgentState a = topology.agentOf(agentId);
            WorkItem w = open.get(interaction.id());
            if (w == null) {
                TenantState.requireTenant(interaction.id(), interaction.tenantId(), a.tenant, "agent " + agentId);
                QueueState q = topology.queue(interaction.queueId());
                if (q != null) {
                    TenantState.requireTenant(interaction.id(), interaction.tenantId(), q.tenant, "queue " + q.id());
                }
                w = open.add(interaction, a.tenant);
                w.queue = q;
                w.queuedAt = time.now;
                w.orderAt = time.now;
            } else {
                TenantState.requireTenant(w, a.tenant, "agent " + agentId);
                if (w.state != InteractionState.QUEUED && w.state != InteractionState.OFFERED
                        && w.state != InteractionState.NEW) {
                    throw new IllegalStateException("interaction " + w.id + " is " + w.state);
                }
                if (w.state == InteractionState.OFFERED) {
                    for (AgentState o : offeredTo(w)) {
                        index.release(o, w, false);
                        if (o != a) {
                            events.emit(w, InteractionEventType.REJECTED, actor, AcdAttributes.AGENT_ID, o.id(),
                                    AcdAttributes.REASON, "force-assigned");
                        }
                    }
                    w.ringing = null;
                }
                waitingIndex.unlist(w);
                waitingIndex.unpin(w);
                deadlines.cancel(w);
                if (w.parked) {
                    w.parked = false;
                    if (w.queue != null) {
                        w.queue.parkedCount--;
                    }
                }
            }
            index.reserve(a, w);
            w.agent = a;
            connect(w, a);
            events.emit(w, InteractionEventType.ACCEPTED, actor, AcdAttributes.AGENT_ID, a.id(), AcdAttributes.QUEUE_ID,
                    w.queueId(), AcdAttributes.FORCED, "true");
            setAsideFor(w, a);
        });
    }

    // ------------------------------------------------------------------ in progress and after

    @Override
    public void hold(String interactionId, String actor) {
        command(() -> {
            WorkItem w = open.of(interactionId);
            if (w.state != InteractionState.CONNECTED) {
                throw new IllegalStateException("interaction " + interactionId + " is " + w.state);
            }
            w.setState(InteractionState.HELD, time.now);
            events.emit(w, InteractionEventType.HELD, actor, AcdAttributes.AGENT_ID, w.agent.id());
        });
    }

    @Override
    public void resume(String interactionId, String actor) {
        command(() -> {
            WorkItem w = open.of(interactionId);
            if (w.state != InteractionState.HELD) {
                throw new IllegalStateException("interaction " + interactionId + " is " + w.state);
            }
            w.setAside = false;
            w.setState(InteractionState.CONNECTED, time.now);
            events.emit(w, InteractionEventType.RESUMED, actor, AcdAttributes.AGENT_ID, w.agent.id());
        });
    }

    @Override
    public void end(String interactionId, String actor) {
        enter();
        try {
            WorkItem w = open.of(interactionId);
            switch (w.state) {
                case NEW, QUEUED, OFFERED -> abandonWork(w, actor);
                case CONNECTED, HELD -> endInProgress(w, actor);
                default -> throw new IllegalStateException("interaction " + interactionId + " is " + w.state);
            }
            flush();
        } finally {
            exit();
        }
    }

    @Override
    public void wrapUp(String interactionId, String disposition, String actor) {
        command(() -> {
            WorkItem w = open.of(interactionId);
            boolean withDisposition = disposition != null && !disposition.isBlank();
            switch (w.state) {
                case NEW, QUEUED, OFFERED -> {
                    refuseDisposition(w, withDisposition);
                    abandonWork(w, actor);
                }
                case CONNECTED, HELD -> {
                    if (withDisposition) {
                        recordDisposition(w, disposition, actor);
                    }
                    endInProgress(w, actor);
                }
                default -> throw new IllegalStateException("interaction " + interactionId + " is " + w.state);
            }
        });
    }

    @Override
    public void end(String interactionId, String disposition, String actor) {
        command(() -> {
            WorkItem w = open.of(interactionId);
            boolean withDisposition = disposition != null && !disposition.isBlank();
            switch (w.state) {
                case NEW, QUEUED, OFFERED -> {
                    refuseDisposition(w, withDisposition);
                    abandonWork(w, actor);
                }
                case CONNECTED, HELD, WRAP_UP -> {
                    boolean wrapUpTime = w.queue != null && w.queue.def.wrapUp().toMillis() > 0;
                    if (w.state != InteractionState.WRAP_UP && wrapUpTime) {
                        endInProgress(w, actor);          // WRAP_UP, as the two commands did
                    }
                    if (withDisposition) {
                        recordDisposition(w, disposition, actor);
                    }
                    if (w.state == InteractionState.WRAP_UP) {
                        finish(w, actor);
                    } else {
                        endInProgress(w, actor);          // no wrap-up time: ENDED at once
                    }
                }
                default -> throw new IllegalStateException("interaction " + interactionId + " is " + w.state);
            }
        });
    }

    /** A queued or ringing interaction was not handled: a disposition for it is refused before anything changes. */
    private static void refuseDisposition(WorkItem w, boolean withDisposition) {
        if (withDisposition) {
            throw new IllegalStateException("interaction " + w.id + " is " + w.state
                    + ": a disposition needs an interaction an agent handled");
        }
    }

    /** Connected or held → wrap-up for the queue's wrap-up time, or ended at once without one. */
    private void endInProgress(WorkItem w, String actor) {
        AgentState a = w.agent;
        long wrap = w.queue == null ? 0 : w.queue.def.wrapUp().toMillis();
        w.setAside = false;
        if (wrap > 0) {
            w.setState(InteractionState.WRAP_UP, time.now);
            a.wrapCount++;
            events.emit(w, InteractionEventType.WRAP_UP, actor, AcdAttributes.AGENT_ID, a.id());
            deadlines.wrapUpEnds(w, time.now + wrap);
            index.derivePresence(a);
            maybeResume(a);
        } else {
            finish(w, actor);
        }
    }

    private void recordDisposition(WorkItem w, String disposition, String actor) {
        w.disposition = disposition;
        events.emit(w, InteractionEventType.DISPOSITION, actor, AcdAttributes.DISPOSITION, disposition);
    }

    @Override
    public void completeWrapUp(String interactionId, String disposition, String actor) {
        command(() -> {
            WorkItem w = open.of(interactionId);
            if (w.state != InteractionState.WRAP_UP) {
                throw new IllegalStateException("interaction " + interactionId + " is " + w.state);
            }
            if (disposition != null && !disposition.isBlank()) {
                recordDisposition(w, disposition, actor);
            }
            finish(w, actor);
        });
    }

    @Override
    public void setDisposition(String interactionId, String disposition, String actor) {
        Objects.requireNonNull(disposition, "disposition");
        command(() -> recordDisposition(open.of(interactionId), disposition, actor));
    }

    /** Releases the capacity after the work (and its wrap-up) and forgets the interaction. */
    private void finish(WorkItem w, String actor) {
        AgentState a = w.agent;
        deadlines.cancel(w);
        if (a != null) {
            index.release(a, w, true);
            a.handled[w.ch]++;
            maybeResume(a);
        }
        QueueState q = w.queue;
        if (q != null) {
            q.handled++;
            q.handleSumMs += time.now - w.acceptedAt;
        }
        terminate(w, InteractionState.ENDED);
        events.emit(w, InteractionEventType.ENDED, actor, AcdAttributes.OUTCOME, "handled", AcdAttributes.AGENT_ID,
                a == null ? "" : a.id());
    }

    @Override
    public void abandon(String interactionId) {
        command(() -> {
            WorkItem w = open.of(interactionId);
            if (w.state != InteractionState.QUEUED && w.state != InteractionState.OFFERED
                    && w.state != InteractionState.NEW) {
                throw new IllegalStateException("interaction " + interactionId + " is " + w.state);
            }
            abandonWork(w, Actors.CUSTOMER);
        });
    }

    private void abandonWork(WorkItem w, String actor) {
        for (AgentState a : offeredTo(w)) {
            index.release(a, w, false);
        }
        w.ringing = null;
        w.agent = null;
        QueueState q = w.queue;
        if (q != null && !w.parked) {
            q.abandoned++;
        }
        long waited = time.now - w.queuedAt;
        terminate(w, InteractionState.ABANDONED);
        events.emit(w, InteractionEventType.ABANDONED, actor, AcdAttributes.QUEUE_ID, w.queueId(),
                AcdAttributes.WAIT_MS, Long.toString(waited));
    }

    /** Takes an interaction out of every structure. */
    private void terminate(WorkItem w, InteractionState finalState) {
        waitingIndex.unlist(w);
        waitingIndex.unpin(w);
        deadlines.cancel(w);
        if (w.queue != null) {
            w.queue.unlink(w);
            if (w.parked) {
                w.queue.parkedCount--;
                w.parked = false;
            }
        }
        w.setState(finalState, time.now);
        open.remove(w);
    }

    @Override
    public void transferToAgent(String interactionId, String agentId, String actor) {
        command(() -> {
            WorkItem w = open.of(interactionId);
            AgentState target = topology.agentOf(agentId);
            TenantState.requireTenant(w, target.tenant, "agent " + agentId);
            if (!target.base.isLoggedIn()) {
                throw new IllegalStateException("agent " + agentId + " is not logged in");
            }
            String from = detachForTransfer(w, actor);
            w.unexclude(target);
            events.emit(w, InteractionEventType.TRANSFERRED, actor, AcdAttributes.FROM_AGENT_ID, from,
                    AcdAttributes.AGENT_ID, target.id());
            if (w.queue == null) {
                w.queuedAt = time.now;
                w.orderAt = time.now;
                w.setState(InteractionState.QUEUED, time.now);
                waitingIndex.pin(w, target, WaitPolicy.NEVER);
                markPending(w);
            } else {
                startWaiting(w, w.queue, time.now, time.now, target, false);
            }
        });
    }

    @Override
    public void transferToQueue(String interactionId, String queueId, String actor) {
        command(() -> {
            WorkItem w = open.of(interactionId);
            QueueState q = topology.queueOf(queueId);
            TenantState.requireTenant(w, q.tenant, "queue " + queueId);
            if (!q.takes(w.ch)) {
                throw new IllegalArgumentException("queue " + queueId + " does not take " + w.channel);
            }
            String fromQueue = w.queueId();
            String from = detachForTransfer(w, actor);
            events.emit(w, InteractionEventType.TRANSFERRED, actor, AcdAttributes.FROM_AGENT_ID, from,
                    AcdAttributes.FROM_QUEUE_ID, fromQueue, AcdAttributes.QUEUE_ID, q.id());
            startWaiting(w, q, time.now, time.now, null, false);
        });
    }

    /** Frees an interaction from wherever it is so that it can be transferred; returns the agent it leaves. */
    private String detachForTransfer(WorkItem w, String actor) {
        String from = "";
        switch (w.state) {
            case CONNECTED, HELD -> {
                AgentState a = w.agent;
                from = a.id();
                w.setAside = false;
                index.release(a, w, true);
                maybeResume(a);
                w.agent = null;
            }
            case QUEUED -> {
                waitingIndex.unlist(w);
                waitingIndex.unpin(w);
            }
            case OFFERED -> {
                for (AgentState a : offeredTo(w)) {
                    index.release(a, w, false);
                    events.emit(w, InteractionEventType.REJECTED, actor, AcdAttributes.AGENT_ID, a.id(),
                            AcdAttributes.REASON, "transferred");
                }
                w.ringing = null;
                w.agent = null;
            }
            default -> throw new IllegalStateException("interaction " + w.id + " is " + w.state);
        }
        deadlines.cancel(w);
        if (w.queue != null) {
            w.queue.unlink(w);
        }
        return from;
    }

    @Override
    public void scheduleCallback(String waitingInteractionId, Interaction callback, Instant at, String actor) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(at, "at");
        command(() -> {
            WorkItem w = open.of(waitingInteractionId);
            if (w.state != InteractionState.QUEUED || w.queue == null) {
                throw new IllegalStateException("interaction " + waitingInteractionId + " is not waiting in a queue");
            }
            TenantState.requireTenant(callback.id(), callback.tenantId(), w.tenant, "queue " + w.queue.id());
            if (open.contains(callback.id())) {
                throw new IllegalStateException("interaction " + callback.id() + " is already in the ACD");
            }
            if (!w.queue.takes(callback.channel().ordinal())) {
                throw new IllegalArgumentException("queue " + w.queue.id() + " does not take " + callback.channel());
            }
            replaceByCallback(w, callback, at.toEpochMilli(), actor);
        });
    }

    private void replaceByCallback(WorkItem w, Interaction callback, long atMs, String actor) {
        QueueState q = w.queue;
        WorkItem cb = open.add(callback, w.tenant);
        cb.vip = w.vip;
        cb.priority = Math.max(callback.priority(), w.priority);
        cb.queue = q;
        cb.parked = true;
        cb.orderAt = w.state == InteractionState.QUEUED ? w.orderAt : time.now;
        cb.queuedAt = time.now;
        cb.updatedAt = time.now;
        q.parkedCount++;
        deadlines.callbackDue(cb, atMs);
        events.emit(w, InteractionEventType.CALLBACK_SCHEDULED, actor, AcdAttributes.QUEUE_ID, q.id(),
                AcdAttributes.CALLBACK_ID, cb.id, AcdAttributes.CALLBACK_AT, Instant.ofEpochMilli(atMs).toString());
        terminate(w, InteractionState.ENDED);
        events.emit(w, InteractionEventType.ENDED, actor, AcdAttributes.OUTCOME, "callback", AcdAttributes.CALLBACK_ID,
                cb.id);
    }

    // ------------------------------------------------------------------ recovery

    @Override
    public void restore(AcdRestore r) {
        Objects.requireNonNull(r, "state");
        command(() -> {
            restorer.check(r);
            TenantState tenant = restorer.rebuild(r);
            // routing from the agents' side: each free agent picks its most urgent work (requeued first, priority, age)
            for (AgentState a : tenant.agents) {
                index.markToPickWork(a);
            }
            runTimers();        // what came due during the outage (wrap-up over, escalation, max wait), then routing
            flush();
            restorer.derivePresenceAfterRouting(r);
        });
    }

    // ------------------------------------------------------------------ timers

    private void fire(WorkItem w, byte kind) {
        switch (kind) {
            case WorkItem.T_OFFER -> {
                if (w.state == InteractionState.OFFERED) {
                    offerTimedOut(w);
                }
            }
            case WorkItem.T_WRAP -> {
                if (w.state == InteractionState.WRAP_UP) {
                    finish(w, Actors.SYSTEM);
                }
            }
            case WorkItem.T_CALLBACK -> {
                if (w.parked) {
                    w.parked = false;
                    w.queue.parkedCount--;
                    long orderAt = w.orderAt;
                    startWaiting(w, w.queue, time.now, orderAt, null, true);
                }
            }
            case WorkItem.T_WAIT -> {
                if (w.state == InteractionState.QUEUED) {
                    waitTimer(w);
                }
            }
            default -> {
            }
        }
    }

    private void waitTimer(WorkItem w) {
        QueueState q = w.queue;
        if (w.pinned != null && w.pinUntil <= time.now) {
            waitingIndex.unpin(w);
            waitingIndex.list(w);
            markPending(w);
        }
        if (q != null) {
            if (waitPolicy.escalate(w) && w.listed()) {      // listed again at its new tier and in the added queues
                waitingIndex.unlist(w);
                waitingIndex.list(w);
                markPending(w);
            }
            if (waitPolicy.maxWaitReached(w)) {
                if (w.pinned != null) {
                    waitingIndex.unpin(w);
                    waitingIndex.list(w);
                    markPending(w);
                }
                if (q.def.overflow() != null) {
                    overflow(w, q.def.overflow(), "max-wait");
                    return;
                }
            }
        }
        deadlines.nextWait(w);
    }

    private void overflow(WorkItem w, OverflowTarget target, String reason) {
        QueueState q = w.queue;
        waitingIndex.unlist(w);
        waitingIndex.unpin(w);
        deadlines.cancel(w);
        switch (target.kind()) {
            case QUEUE -> {
                QueueState t = waitPolicy.overflowQueue(w, target);
                if (t == null) {
                    LOG.log(System.Logger.Level.WARNING, "overflow target queue " + target.queueId() + " of queue "
                            + q.id() + " cannot take " + w.channel + "; the interaction keeps waiting");
                    if (w.state != InteractionState.QUEUED) {
                        startWaiting(w, q, time.now, time.now, null, true);
                    } else {
                        waitingIndex.list(w);
                        markPending(w);
                        deadlines.nextWait(w);
                    }
                    return;
                }
                q.overflowed++;
                q.unlink(w);
                events.emit(w, InteractionEventType.TRANSFERRED, Actors.SYSTEM, AcdAttributes.FROM_QUEUE_ID, q.id(),
                        AcdAttributes.QUEUE_ID, t.id(), AcdAttributes.REASON, reason);
                startWaiting(w, t, time.now, time.now, null, true);
            }
            case VOICEMAIL -> {
                q.overflowed++;
                terminate(w, InteractionState.ENDED);
                events.emit(w, InteractionEventType.ENDED, Actors.SYSTEM, AcdAttributes.QUEUE_ID, q.id(),
                        AcdAttributes.OUTCOME, "voicemail", AcdAttributes.REASON, reason);
            }
            case CALLBACK -> {
                q.overflowed++;
                String id = w.id + ":callback";
                if (open.contains(id)) {
                    id = id + ":" + open.lastSeq();
                }
                replaceByCallback(w, waitPolicy.callback(w, q, id), waitPolicy.callbackTime(q, target, reason),
                        Actors.SYSTEM);
            }
            default -> throw new IllegalStateException();
        }
    }

    @Override
    public void tick() {
        enter();
        exit();
    }

    @Override
    public Optional<Instant> nextDeadline() {
        lock.lock();
        try {
            Long d = deadlines.earliest();
            return d == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(d));
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ events

    @Override
    public void addListener(AcdListener listener) {
        outbox.addListener(listener);
    }

    @Override
    public void removeListener(AcdListener listener) {
        outbox.removeListener(listener);
    }

    @Override
    public void setEventSink(AcdEventSink sink) {
        outbox.setSink(sink);
    }

    /** For tests and metrics: how many times the sink threw. */
    long sinkFailures() {
        return outbox.sinkFailures();
    }

    // ------------------------------------------------------------------ queries

    /** Runs a query under the lock (no timers run: a query changes nothing). */
    private <T> T read(Supplier<T> query) {
        lock.lock();
        try {
            return query.get();
        } finally {
            lock.unlock();
        }
    }

    /** The time of a query: the clock's, never before the last command's. */
    private long queryTime() {
        return Math.max(time.now, clock.millis());
    }

    @Override
    public List<AgentStatus> agents() {
        return read(() -> queries.agents(queryTime()));
    }

    @Override
    public Optional<AgentStatus> agent(String agentId) {
        return read(() -> queries.agent(agentId, queryTime()));
    }

    @Override
    public List<QueueDefinition> queues() {
        return read(queries::queues);
    }

    @Override
    public Optional<QueueDefinition> queue(String queueId) {
        return read(() -> queries.queue(queueId));
    }

    @Override
    public Optional<QueueStatistics> queueStatistics(String queueId) {
        return read(() -> queries.queueStatistics(queueId, queryTime()));
    }

    @Override
    public List<QueueStatistics> queueStatistics() {
        return read(() -> queries.queueStatistics(queryTime()));
    }

    @Override
    public List<WaitingInteraction> waiting(String queueId) {
        return read(() -> queries.waiting(queueId));
    }

    @Override
    public Optional<Interaction> interaction(String interactionId) {
        return read(() -> queries.interaction(interactionId));
    }

    @Override
    public Optional<String> lastAgent(String customerId) {
        return lastAgent(config.tenantId(), customerId);
    }

    @Override
    public Optional<String> lastAgent(String tenantId, String customerId) {
        return read(() -> queries.lastAgent(tenantId, customerId));
    }

    @Override
    public void resetStatistics() {
        lock.lock();
        try {
            queries.resetStatistics(queryTime());
        } finally {
            lock.unlock();
        }
    }

    /** For tests and metrics: a plugged-in strategy's failures, overruns and whether it is disabled. */
    long[] strategyHealth(String name) {
        return read(() -> router.strategyHealth(name));
    }

    /** For tests: a consistency check of the indexes against a full scan; returns the problems found. */
    List<String> checkIndexes() {
        return read(new IndexSelfCheck(topology, open, index)::problems);
    }
}
