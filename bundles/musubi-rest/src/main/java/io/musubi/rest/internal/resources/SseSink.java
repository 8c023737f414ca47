package io.musubi.rest.internal.resources;

import io.musubi.hub.events.EventStream;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link EventStream.Sink} on a Jakarta REST {@link SseEventSink}: {@code id:} is the event id, {@code event:} the
 * type and {@code data:} the event's JSON (already written, sent as is).
 */
final class SseSink implements EventStream.Sink {

    private final Sse sse;
    private final SseEventSink sink;
    private final Duration writeTimeout;

    SseSink(Sse sse, SseEventSink sink, Duration writeTimeout) {
        this.sse = sse;
        this.sink = sink;
        this.writeTimeout = writeTimeout;
    }

    @Override
    public void event(String id, String type, String json) throws IOException {
        send(sse.newEventBuilder().id(id).name(type).data(String.class, json).build());
    }

    @Override
    public void comment(String text) throws IOException {
        send(sse.newEventBuilder().comment(text).build());
    }

    private void send(OutboundSseEvent event) throws IOException {
        if (sink.isClosed()) {
            throw new IOException("the client closed the stream");
        }
        try {
            sink.send(event).toCompletableFuture().get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("write failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("write timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        sink.close();
    }
}
