package io.musubi.connector.asterisk.internal;

import io.musubi.model.InboundEvent;
import io.musubi.spi.Backoff;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.IngressGateway;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events the connector has for the hub, in order, until the hub took them. AMI replays nothing, so an event the
 * hub cannot take now (broker unreachable) is kept and submitted again with back-off, before any later one: the hub
 * sees a call's events in the order they happened. Runs on the connector's worker thread. Bounded: beyond
 * {@link #MAX_PENDING} the oldest are dropped, counted and logged (the re-sync after the hub returns reconciles calls).
 */
final class Outbox {

    static final int MAX_PENDING = 20_000;

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final IngressGateway ingress;
    private final ScheduledExecutorService worker;
    private final ConnectorStatus status;
    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
    private final Deque<InboundEvent> pending = new ArrayDeque<>();
    /** The size of {@link #pending}, readable from any thread (health). */
    private volatile int size;
    private ScheduledFuture<?> retry;

    Outbox(IngressGateway ingress, ScheduledExecutorService worker, ConnectorStatus status) {
        this.ingress = ingress;
        this.worker = worker;
        this.status = status;
    }

    /** Hands an event to the hub now, or as soon as the hub takes the ones before it. */
    void submit(InboundEvent event) {
        if (pending.size() >= MAX_PENDING) {
            pending.pollFirst();
            long dropped = status.increment("dropped");
            if (dropped == 1 || dropped % 1000 == 0) {
                LOG.warn("Hub unavailable: {} events of connector {} dropped so far", dropped, event.source());
            }
        }
        pending.addLast(event);
        size = pending.size();
        if (retry == null) {
            flush();
        }
    }

    /** Events not yet taken by the hub. */
    int pending() {
        return size;
    }

    private void flush() {
        retry = null;
        while (!pending.isEmpty()) {
            InboundEvent next = pending.peekFirst();
            try {
                ingress.submit(List.of(next));
            } catch (RuntimeException e) {
                Duration delay = backoff.nextDelay();
                if (backoff.attempts() == 1) {
                    LOG.info("The hub did not take an event of connector {} ({}); {} pending, retrying",
                            next.source(), e.getClass().getSimpleName(), pending.size());
                }
                retry = worker.schedule(this::flush, delay.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            pending.pollFirst();
            size = pending.size();
            status.increment(ConnectorStatus.RECEIVED);
            backoff.reset();
        }
    }

    void close() {
        if (retry != null) {
            retry.cancel(false);
        }
    }
}
