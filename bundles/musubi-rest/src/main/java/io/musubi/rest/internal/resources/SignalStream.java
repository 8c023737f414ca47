package io.musubi.rest.internal.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.musubi.rest.internal.app.ObjectMapperResolver;
import io.musubi.spi.LiveChannel;
import io.musubi.spi.LiveSignal;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One open {@code GET /interactions/{id}/signals} stream: the customer's signals for the interaction, written as
 * Server-Sent Events ({@code event:} the signal type, {@code data:} {@code {"type","interactionId","data"}}) with a
 * comment heartbeat. The connector's thread only enqueues; writing happens on the resource's executor, so a slow
 * client never holds up the connector. A client that falls {@value #QUEUE} signals behind, or whose write fails or
 * times out, is disconnected (it reconnects).
 */
final class SignalStream implements Consumer<LiveSignal> {

    static final int QUEUE = 256;
    static final long HEARTBEAT_SECONDS = 15;
    static final long WRITE_TIMEOUT_SECONDS = 10;

    private final String interactionId;
    private final Sse sse;
    private final SseEventSink sink;
    private final ScheduledExecutorService executor;
    private final Runnable onClose;
    private final BlockingQueue<LiveSignal> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile LiveChannel.Subscription subscription;
    private volatile ScheduledFuture<?> heartbeat;

    SignalStream(String interactionId, Sse sse, SseEventSink sink, ScheduledExecutorService executor,
                 Runnable onClose) {
        this.interactionId = interactionId;
        this.sse = sse;
        this.sink = sink;
        this.executor = executor;
        this.onClose = onClose;
    }

    /** Starts the stream once the connector accepted the subscription. */
    void start(LiveChannel.Subscription subscription) {
        this.subscription = subscription;
        if (closed.get()) {
            subscription.close();
            return;
        }
        try {
            heartbeat = executor.scheduleAtFixedRate(() -> write(sse.newEventBuilder().comment("heartbeat").build()),
                    HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
            executor.execute(() -> write(sse.newEventBuilder().comment("connected").build()));
        } catch (RejectedExecutionException e) {
            close();
        }
    }

    @Override
    public void accept(LiveSignal signal) {
        if (closed.get() || !signal.concerns(interactionId)) {
            return;
        }
        if (!queue.offer(signal)) {
            close();
            return;
        }
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                close();
            }
        }
    }

    private void drain() {
        do {
            LiveSignal s;
            while ((s = queue.poll()) != null) {
                write(sse.newEventBuilder().name(s.type()).mediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE)
                        .data(String.class, json(s)).build());
            }
            draining.set(false);
        } while (!queue.isEmpty() && draining.compareAndSet(false, true));
    }

    static String json(LiveSignal s) {
        ObjectNode node = ObjectMapperResolver.mapper().createObjectNode();
        node.put("type", s.type());
        node.put("interactionId", s.interactionId());
        JsonNode data;
        try {
            data = ObjectMapperResolver.mapper().readTree(s.data());
        } catch (JsonProcessingException e) {
            data = ObjectMapperResolver.mapper().getNodeFactory().textNode(s.data());
        }
        node.set("data", data);
        return node.toString();
    }

    private synchronized void write(OutboundSseEvent event) {
        if (closed.get()) {
            return;
        }
        try {
            if (sink.isClosed()) {
                throw new IllegalStateException("closed by the client");
            }
            sink.send(event).toCompletableFuture().get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        } catch (Exception e) {
            close();
        }
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> h = heartbeat;
        if (h != null) {
            h.cancel(false);
        }
        LiveChannel.Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        try {
            sink.close();
        } catch (RuntimeException e) {
            // already gone
        }
        onClose.run();
    }
}
