package io.musubi.hub.internal.events;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdListener;
import io.musubi.store.HistoryStore;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceChange;

import java.util.Optional;

import io.musubi.acd.AcdEngine;
import io.musubi.api.Health;
import io.musubi.api.HealthContributor;
import io.musubi.spi.Backoff;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the ACD does (queued, offered, accepted, wrap-up, ended, ...) into the history and keeps the
 * interaction's current state there, so the journey shows routing and the ingress finds open conversations.
 *
 * <p>The ACD does not wait for the store: an event the store refuses (down, full, a failover) is not dropped but kept
 * in order, with every later one behind it, and written again with back-off until the store takes it; it is
 * published to the API's listeners only once written. The backlog shows in {@code GET /api/v1/health}
 * ({@code acd-recorder}: degraded while anything waits). It is held in memory: a crash meanwhile loses it (the
 * pipeline issue makes this durable).
 */
@Component(service = {AcdHistoryRecorder.class, HealthContributor.class}, immediate = true,
        property = HealthContributor.NAME_PROPERTY + "=acd-recorder")
public final class AcdHistoryRecorder implements AcdListener, HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(AcdHistoryRecorder.class);

    private final HistoryStore history;
    private final HubEvents events;
    /** Events not yet written, oldest first; guarded by itself. Non-empty only while the store refuses. */
    private final ArrayDeque<InteractionEvent> pending = new ArrayDeque<>();
    private final ScheduledExecutorService retries;
    private final Backoff backoff;
    private volatile String lastFailure = "";

    private AcdEngine acd;

    /** Records what the ACD does from now on. */
    @Activate
    public AcdHistoryRecorder(@Reference HistoryStore history, @Reference HubEvents events, @Reference AcdEngine acd) {
        this(history, events);
        this.acd = acd;
        acd.addListener(this);
    }

    /** A recorder that records what it is told (tests add it to an engine themselves). */
    public AcdHistoryRecorder(HistoryStore history, HubEvents events) {
        this(history, events, new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30)));
    }

    AcdHistoryRecorder(HistoryStore history, HubEvents events, Backoff backoff) {
        this.history = history;
        this.events = events;
        this.backoff = backoff;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "musubi-acd-recorder-retry");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        if (acd != null) {
            acd.removeListener(this);
        }
        retries.shutdownNow();
        int left = backlog();
        if (left > 0) {
            LOG.error("{} ACD events could not be written to the history before the recorder stopped", left);
        }
    }

    @Override
    public String name() {
        return "acd-recorder";
    }

    @Override
    public Health health() {
        int left = backlog();
        return left == 0 ? Health.up("recording") : Health.degraded(left + " ACD events wait for the store: "
                + lastFailure);
    }

    /** How many events wait for the store. */
    public int backlog() {
        synchronized (pending) {
            return pending.size();
        }
    }

    @Override
    public void onPresenceChange(PresenceChange change) {
        events.publish(change);
    }

    @Override
    public void onInteractionEvent(InteractionEvent event) {
        synchronized (pending) {
            if (!pending.isEmpty()) {
                // Behind the ones the store refused: the history keeps the engine's order.
                pending.addLast(event);
                return;
            }
        }
        try {
            record(event);
        } catch (RuntimeException e) {
            boolean first;
            synchronized (pending) {
                first = pending.isEmpty();
                pending.addLast(event);
            }
            failed(event, e);
            if (first) {
                retries.schedule(this::retry, backoff.nextDelay().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Writes what waits, oldest first, until the store refuses again (then later) or nothing is left. */
    private void retry() {
        for (;;) {
            InteractionEvent next;
            synchronized (pending) {
                next = pending.peekFirst();
            }
            if (next == null) {
                return;
            }
            try {
                record(next);
            } catch (RuntimeException e) {
                failed(next, e);
                retries.schedule(this::retry, backoff.nextDelay().toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            boolean done;
            synchronized (pending) {
                pending.pollFirst();
                done = pending.isEmpty();
            }
            if (done) {
                LOG.info("ACD events written to the history again after {} attempts", backoff.attempts());
                backoff.reset();
                lastFailure = "";
                return;
            }
        }
    }

    private void failed(InteractionEvent event, RuntimeException e) {
        // Logged by id and type only (no message text); the exception's class and message say why.
        lastFailure = e.getClass().getSimpleName();
        LOG.warn("Could not record ACD event {} ({}) of interaction {}, kept to write again: {}: {}", event.id(),
                event.type(), event.interactionId(), e.getClass().getSimpleName(), e.getMessage());
    }

    private void record(InteractionEvent event) {
        history.append(event);
        if (stateAfter(event).isPresent() || event.type() == InteractionEventType.DISPOSITION) {
            // A disposition changes no state but is part of the interaction's current picture.
            history.findInteraction(event.tenantId(), event.interactionId()).ifPresent(i -> history
                    .saveInteraction(updated(i, stateAfter(event).orElse(i.state()), event)));
        }
        events.publish(event);
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

    private static Interaction updated(Interaction i, InteractionState state, InteractionEvent e) {
        String agent = e.attributes().getOrDefault(AcdAttributes.AGENT_ID, i.agentId());
        String queue = e.attributes().getOrDefault(AcdAttributes.QUEUE_ID, i.queueId());
        String disposition = e.attributes().getOrDefault(AcdAttributes.DISPOSITION, i.disposition());
        return new Interaction(i.id(), i.tenantId(), i.channel(), i.customerId(), i.from(), i.to(), i.threadKey(),
                queue, i.priority(), i.attributes(), state, i.createdAt(), e.timestamp(), agent, disposition);
    }
}
