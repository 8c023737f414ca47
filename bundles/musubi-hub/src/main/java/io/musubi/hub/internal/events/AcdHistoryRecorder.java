package io.musubi.hub.internal.events;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdEventSink;
import io.musubi.acd.AcdListener;
import io.musubi.api.Health;
import io.musubi.api.HealthContributor;
import io.musubi.hub.recording.AcdRecording;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceChange;
import io.musubi.spi.Backoff;
import io.musubi.store.HistoryStore;
import io.musubi.store.InteractionMove;
import io.musubi.store.StoreTransactions;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the ACD does (queued, offered, accepted, wrap-up, ended, ...) into the history and keeps the
 * interaction's current state there, so the journey shows routing, the ingress finds open conversations and a
 * restarted hub rebuilds the ACD from the store.
 *
 * <p>The engine hands every event to this recorder under its lock, in engine order ({@link AcdEventSink}): the
 * recorder only appends it to its journal there. One writer thread commits the journal in batches, each batch one
 * store transaction (events and interaction rows together), so a burst of decisions costs one durable commit, not two
 * per event. A second thread waits for the committed batches to be durable (on embedded H2 a shared flush, see
 * {@link StoreTransactions#awaitDurable()}) and only then publishes them to the hub's listeners (SSE, webhooks), in
 * engine order, so nobody is told of a decision the store does not have; meanwhile the writer commits the next batch
 * instead of idling through the flush (a profile at 1 000 creates/s had the writer waiting for flushes ~70 % of the
 * time while decisions piled up behind it). A caller that must not answer before its decisions are
 * durable (the ingress before it acknowledges an event, the REST API before it answers a command) calls
 * {@link #awaitRecorded()}, which shares the batch's commit with every other caller waiting at the same time.
 *
 * <p>A batch the store refuses (down, full, a failover) is not dropped: it is written again with back-off, everything
 * later behind it; the backlog shows in {@code GET /api/v1/health} ({@code acd-recorder}: degraded while the store
 * refuses). The journal is held in memory: a crash loses its unwritten tail, which recovery at start makes good (an
 * interaction the ingress stored but whose QUEUED is missing is queued again; an offer not recorded is made again).
 */
@Component(service = {AcdHistoryRecorder.class, AcdRecording.class, HealthContributor.class}, immediate = true,
        property = HealthContributor.NAME_PROPERTY + "=acd-recorder")
public final class AcdHistoryRecorder implements AcdEventSink, AcdRecording, HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(AcdHistoryRecorder.class);

    /** Most events one store transaction writes. */
    static final int MAX_BATCH = 2_000;
    /** Most committed batches waiting to be made durable and published; the writer waits beyond. */
    static final int MAX_COMMITTED = 8;
    /** How long {@link #awaitRecorded()} waits before it gives up. */
    private static final long AWAIT_MILLIS = 30_000;

    private final HistoryStore history;
    private final StoreTransactions transactions;
    private final HubEvents events;
    private final Backoff backoff;
    private final Object lock = new Object();
    /** Events and presence changes not yet taken by the writer, in engine order; guarded by {@link #lock}. */
    private ArrayList<Object> journal = new ArrayList<>();
    /** How many entries were ever added / ever written; guarded by {@link #lock}. */
    private long added;
    private long written;
    /**
     * Callers of {@link #awaitRecorded()} by the entry count they wait for, in call order (so in target order: added
     * only grows); guarded by {@link #lock}. Each waits on its own future, completed by the writer once that many
     * entries are written: a commit wakes only the callers it covers, not every waiting request thread (with a
     * monitor's notifyAll, ~150 REST threads woke and fought for the lock on every commit and every first journal
     * entry, under the engine's lock, at 1 000 creates/s). Callers with the same target share one future.
     */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /**
     * Batches committed by the writer, not yet known durable, in engine order; guarded by {@link #lock}. The publisher
     * takes them all at once: one wait for durability covers every batch committed before it.
     */
    private final ArrayDeque<ArrayList<Object>> committed = new ArrayDeque<>();
    /**
     * Entries taken by the writer but not yet published (being written, refused by the store, or being flushed);
     * guarded by {@link #lock}.
     */
    private int inFlight;
    private volatile boolean running = true;
    /**
     * The last failure of each thread, empty once it succeeds again: one per thread, so that one recovering does not
     * clear the health while the other still fails.
     */
    private final AtomicReference<String> writeFailure = new AtomicReference<>("");
    private final AtomicReference<String> durabilityFailure = new AtomicReference<>("");
    private final Backoff publishBackoff;
    private final Thread writer;
    private final Thread publisher;

    private AcdEngine acd;

    /** Records what the ACD does from now on (the engine's one in-lock sink). */
    @Activate
    public AcdHistoryRecorder(@Reference HistoryStore history, @Reference StoreTransactions transactions,
                              @Reference HubEvents events, @Reference AcdEngine acd) {
        this(history, transactions, events);
        this.acd = acd;
        acd.setEventSink(this);
    }

    /** A recorder of what it is told; tests attach it to an engine ({@link #listener()} or as the sink). */
    public AcdHistoryRecorder(HistoryStore history, StoreTransactions transactions, HubEvents events) {
        this(history, transactions, events, new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30)));
    }

    AcdHistoryRecorder(HistoryStore history, StoreTransactions transactions, HubEvents events, Backoff backoff) {
        this.history = history;
        this.transactions = transactions;
        this.events = events;
        this.backoff = backoff;
        this.publishBackoff = backoff.fresh();
        this.writer = new Thread(this::writeLoop, "musubi-acd-recorder");
        this.writer.setDaemon(true);
        this.publisher = new Thread(this::publishLoop, "musubi-acd-recorder-publisher");
        this.publisher.setDaemon(true);
        this.writer.start();
        this.publisher.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (acd != null) {
            acd.setEventSink(null);
        }
        // What was decided before the stop is written if the store takes it within a few seconds.
        try {
            awaitRecorded(5_000);
        } catch (IllegalStateException e) {
            // counted below
        }
        running = false;
        List<Waiter> stranded;
        synchronized (lock) {
            lock.notifyAll();
            stranded = new ArrayList<>(waiters);
            waiters.clear();
        }
        stranded.forEach(w -> w.done.completeExceptionally(new IllegalStateException("the ACD recorder stopped")));
        writer.interrupt();
        publisher.interrupt();
        writer.join(5_000);
        publisher.join(5_000);
        int left = backlog();
        if (left > 0) {
            LOG.error("{} ACD events could not be written to the history before the recorder stopped", left);
        }
    }

    /**
     * An {@link AcdListener} view for an engine used without this recorder as its sink (tests): it journals each
     * event as it is delivered and returns once it is written, so the caller sees the history as of its command.
     */
    public AcdListener listener() {
        return new AcdListener() {
            @Override
            public void onInteractionEvent(InteractionEvent event) {
                AcdHistoryRecorder.this.onInteractionEvent(event);
                awaitRecorded();
            }

            @Override
            public void onPresenceChange(PresenceChange change) {
                AcdHistoryRecorder.this.onPresenceChange(change);
                awaitRecorded();
            }
        };
    }

    @Override
    public String name() {
        return "acd-recorder";
    }

    @Override
    public Health health() {
        int left = backlog();
        String failure = lastFailure();
        return failure.isEmpty() ? Health.up(left == 0 ? "recording" : "recording, " + left + " events being written")
                : Health.degraded(left + " ACD events wait for the store: " + failure);
    }

    /** How many events wait to be written. */
    public int backlog() {
        synchronized (lock) {
            return journal.size() + inFlight;
        }
    }

    /** Under the engine's lock: journals the event (cheap, never blocks on the store). */
    @Override
    public void onInteractionEvent(InteractionEvent event) {
        add(event);
    }

    /** Under the engine's lock: journals the change (published in order with the events once they are written). */
    @Override
    public void onPresenceChange(PresenceChange change) {
        add(change);
    }

    /**
     * Publishes events its caller committed in a transaction of its own (durable or not yet), in order with the
     * ACD's decisions made after this call: once a flush that started after this call is durable, before those
     * decisions. The ingress hands a new interaction's arrival over so and routes it at once instead of waiting for
     * its own flush first, so the offer reaches the agent one flush sooner, still never before the arrival is durable,
     * and the stream still shows ARRIVED before QUEUED and OFFERED.
     */
    public void publishCommitted(List<InteractionEvent> committedByCaller) {
        for (InteractionEvent e : committedByCaller) {
            add(new CommittedByCaller(e));
        }
    }

    /** An event its caller wrote and committed: published in order, never written again. */
    private record CommittedByCaller(InteractionEvent event) {
    }

    private void add(Object entry) {
        synchronized (lock) {
            journal.add(entry);
            added++;
            if (journal.size() == 1) {
                lock.notifyAll();
            }
        }
    }

    /**
     * Returns once every event the ACD handed over before this call is written to the store (and published).
     *
     * @throws IllegalStateException if the store has not taken them within 30 s (they are still kept and written
     *                               later)
     */
    @Override
    public void awaitRecorded() {
        awaitRecorded(AWAIT_MILLIS);
    }

    private void awaitRecorded(long timeoutMillis) {
        CompletableFuture<Void> done;
        synchronized (lock) {
            long target = added;
            if (written >= target) {
                return;
            }
            if (!running) {
                throw notRecorded();
            }
            Waiter last = waiters.peekLast();
            if (last == null || last.target != target) {
                last = new Waiter(target, new CompletableFuture<>());
                waiters.addLast(last);
            }
            last.callers++;
            done = last.done;
        }
        try {
            done.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Left in the queue if timed out: completed, unheard, once the writer gets there.
            throw notRecorded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ACD's events to be recorded", e);
        }
    }

    private IllegalStateException notRecorded() {
        return new IllegalStateException("the ACD's events were not recorded in time: "
                + (lastFailure().isEmpty() ? running ? "the store is slow" : "the recorder stopped" : lastFailure()));
    }

    /** The writer's failure if it fails, else the publisher's; empty while neither does. */
    private String lastFailure() {
        String write = writeFailure.get();
        return write.isEmpty() ? durabilityFailure.get() : write;
    }

    /** How many distinct targets callers of {@link #awaitRecorded()} wait for now (tests). */
    int waitingTargets() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    /** How many callers of {@link #awaitRecorded()} wait for {@code target} entries to be written (tests). */
    int callersWaitingFor(long target) {
        synchronized (lock) {
            return waiters.stream().filter(w -> w.target == target).mapToInt(w -> w.callers).sum();
        }
    }

    /** The callers of {@link #awaitRecorded()} for one target: done once {@code target} entries are written. */
    private static final class Waiter {
        final long target;
        final CompletableFuture<Void> done;
        /** Guarded by the recorder's lock. */
        int callers;

        Waiter(long target, CompletableFuture<Void> done) {
            this.target = target;
            this.done = done;
        }
    }

    private void writeLoop() {
        while (true) {
            ArrayList<Object> batch;
            synchronized (lock) {
                waitWhile(journal::isEmpty);
                if (journal.isEmpty()) {
                    return;
                }
                if (journal.size() <= MAX_BATCH) {
                    batch = journal;
                    journal = new ArrayList<>(Math.min(MAX_BATCH, Math.max(16, batch.size())));
                } else {
                    batch = new ArrayList<>(journal.subList(0, MAX_BATCH));
                    journal.subList(0, MAX_BATCH).clear();
                }
                inFlight += batch.size();
            }
            if (!writeUntilTaken(batch)) {
                return;
            }
            synchronized (lock) {
                waitWhile(() -> committed.size() >= MAX_COMMITTED);
                if (!running) {
                    return;
                }
                committed.addLast(batch);
                lock.notifyAll();
            }
        }
    }

    /** Under {@link #lock}: waits while {@code blocked} holds, until the recorder stops. */
    private void waitWhile(java.util.function.BooleanSupplier blocked) {
        while (blocked.getAsBoolean() && running) {
            try {
                lock.wait();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    /**
     * Publishes committed batches once they are durable, in the order they were committed, and releases the callers of
     * {@link #awaitRecorded()} they cover.
     */
    private void publishLoop() {
        ArrayList<ArrayList<Object>> ready = new ArrayList<>();
        ArrayList<CompletableFuture<Void>> covered = new ArrayList<>();
        while (true) {
            synchronized (lock) {
                waitWhile(committed::isEmpty);
                if (committed.isEmpty()) {
                    return;
                }
                ready.addAll(committed);
                committed.clear();
                lock.notifyAll(); // room for the writer
            }
            // Every batch in hand was committed before this call: one wait covers them all.
            if (!durableUntilTaken()) {
                return;
            }
            int entries = 0;
            for (ArrayList<Object> batch : ready) {
                publish(batch);
                entries += batch.size();
            }
            ready.clear();
            synchronized (lock) {
                written += entries;
                inFlight -= entries;
                while (!waiters.isEmpty() && waiters.peekFirst().target <= written) {
                    covered.add(waiters.pollFirst().done);
                }
            }
            // Outside the lock: the woken callers never contend with the engine's next journal entry for it.
            for (CompletableFuture<Void> done : covered) {
                done.complete(null);
            }
            covered.clear();
        }
    }

    /** Waits until the committed batches are durable, again with back-off while the store fails; false if stopped. */
    private boolean durableUntilTaken() {
        return untilTaken(transactions::awaitDurable, publishBackoff, durabilityFailure,
                "ACD events durable in the history again after {} attempts",
                e -> LOG.warn("Committed ACD events could not be made durable yet, trying again: {}: {}",
                        e.getClass().getSimpleName(), e.getMessage()));
    }

    /**
     * Writes the batch's ACD events, again with back-off while the store refuses them; false if stopped meanwhile. A
     * batch with none to write (presence changes, events their callers committed) opens no transaction: the
     * publisher's wait for durability covers the callers' commits.
     */
    private boolean writeUntilTaken(List<Object> batch) {
        List<InteractionEvent> toWrite = new ArrayList<>(batch.size());
        for (Object entry : batch) {
            if (entry instanceof InteractionEvent e) {
                toWrite.add(e);
            }
        }
        if (toWrite.isEmpty()) {
            return true;
        }
        return untilTaken(() -> transactions.inTransactionCommitted(() -> {
            write(toWrite);
            return null;
        }), backoff, writeFailure, "ACD events written to the history again after {} attempts", e -> {
            // Logged by count and the first event's id and type only (no message text).
            InteractionEvent first = toWrite.get(0);
            LOG.warn("Could not record {} ACD events (first {} {} of interaction {}), kept to write again: {}: {}",
                    toWrite.size(), first.id(), first.type(), first.interactionId(), e.getClass().getSimpleName(),
                    e.getMessage());
        });
    }

    /**
     * Runs {@code attempt} until it succeeds, sleeping {@code delays} after each failure (told to {@code failed}, and
     * shown in the health meanwhile); false if the recorder stopped while waiting.
     */
    private boolean untilTaken(Runnable attempt, Backoff delays, AtomicReference<String> failure, String recovered,
                               java.util.function.Consumer<RuntimeException> failed) {
        while (true) {
            try {
                attempt.run();
                if (delays.attempts() > 0) {
                    LOG.info(recovered, delays.attempts());
                    delays.reset();
                    failure.set("");
                }
                return true;
            } catch (RuntimeException e) {
                failure.set(e.getClass().getSimpleName());
                failed.accept(e);
                try {
                    Thread.sleep(delays.nextDelay().toMillis());
                } catch (InterruptedException stop) {
                    if (!running) {
                        return false;
                    }
                }
            }
        }
    }

    /**
     * One transaction: the events, then each interaction's row moved to its state after each event in turn (so the
     * store sees every QUEUED, which dates the interaction's place in its queue for a restart). The moves touch only
     * the ACD's columns, without reading the rows: the ingress may be writing a conversation's reply data meanwhile.
     */
    private void write(List<InteractionEvent> toWrite) {
        history.appendAll(toWrite);
        List<InteractionMove> moves = new ArrayList<>(toWrite.size());
        for (InteractionEvent e : toWrite) {
            Optional<InteractionState> state = stateAfter(e);
            // A disposition changes no state but is part of the interaction's current picture.
            if (state.isPresent() || e.type() == InteractionEventType.DISPOSITION) {
                moves.add(new InteractionMove(e.tenantId(), e.interactionId(), state.orElse(null),
                        e.attributes().get(AcdAttributes.QUEUE_ID), e.attributes().get(AcdAttributes.AGENT_ID),
                        e.attributes().get(AcdAttributes.DISPOSITION), e.timestamp()));
            }
        }
        // Only the ACD's columns, in event order (each QUEUED dates the place in the queue for a restart).
        history.moveInteractions(moves);
    }

    private void publish(List<Object> batch) {
        for (Object entry : batch) {
            if (entry instanceof InteractionEvent e) {
                events.publish(e);
            } else if (entry instanceof CommittedByCaller c) {
                events.publish(c.event());
            } else {
                events.publish((PresenceChange) entry);
            }
        }
    }

    static Optional<InteractionState> stateAfter(InteractionEvent e) {
        return Optional.ofNullable(switch (e.type()) {
            case QUEUED, REJECTED, OFFER_TIMEOUT -> InteractionState.QUEUED;
            case OFFERED -> InteractionState.OFFERED;
            case ACCEPTED, RESUMED -> InteractionState.CONNECTED;
            case HELD -> InteractionState.HELD;
            case WRAP_UP -> InteractionState.WRAP_UP;
            case ENDED -> InteractionState.ENDED;
            case ABANDONED -> InteractionState.ABANDONED;
            default -> null;
        });
    }
}
