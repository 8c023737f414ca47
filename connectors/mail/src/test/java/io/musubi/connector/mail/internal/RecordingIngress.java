package io.musubi.connector.mail.internal;

import io.musubi.model.InboundEvent;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.IngressUnavailableException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The hub's ingress as a connector sees it: every submitted event recorded; events the hub would drop as repeats
 * ({@code source/eventId} already taken) counted apart; "down" refuses everything as the hub does without its broker.
 */
final class RecordingIngress implements IngressGateway {

    final List<InboundEvent> submitted = new CopyOnWriteArrayList<>();
    final List<InboundEvent> accepted = new CopyOnWriteArrayList<>();
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    volatile boolean down;
    final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void submit(List<InboundEvent> events) {
        if (down) {
            refused.incrementAndGet();
            throw new IngressUnavailableException("broker unreachable", Duration.ofSeconds(1), null);
        }
        for (InboundEvent e : events) {
            submitted.add(e);
            if (keys.add(e.dedupeKey())) {
                accepted.add(e);
            }
        }
    }

    List<InboundEvent> messages() {
        List<InboundEvent> out = new ArrayList<>();
        for (InboundEvent e : accepted) {
            if (e.type() == io.musubi.model.InteractionEventType.MESSAGE_IN) {
                out.add(e);
            }
        }
        return out;
    }
}
