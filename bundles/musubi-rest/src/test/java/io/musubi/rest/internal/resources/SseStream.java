package io.musubi.rest.internal.resources;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A client of a Server-Sent Events stream, parsing frames as a browser's EventSource does. */
final class SseStream implements AutoCloseable {

    /** One dispatched frame: an event (id, type, data) or a comment. */
    record Frame(String id, String type, String data, String comment) {
        boolean isEvent() {
            return comment == null;
        }
    }

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream; returns once the response headers arrived. */
    static SseStream open(HttpClient client, URI uri, String caller, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .header(TestServer.CALLER, caller);
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        return new SseStream(client.send(b.GET().build(), HttpResponse.BodyHandlers.ofLines()));
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private void read() {
        String id = null;
        String type = null;
        StringBuilder data = null;
        StringBuilder comment = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        frames.add(new Frame(id, type, data.toString(), null));
                    } else if (comment != null) {
                        frames.add(new Frame(null, null, null, comment.toString()));
                    }
                    id = null;
                    type = null;
                    data = null;
                    comment = null;
                } else if (line.startsWith(":")) {
                    comment = new StringBuilder(line.substring(1).strip());
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String part = line.substring(5);
                    part = part.startsWith(" ") ? part.substring(1) : part;
                    data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
                } else if (status() != 200) {
                    frames.add(new Frame(null, null, line, null));
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed
        }
    }

    /** The next event (comments skipped), or null after the timeout. */
    Frame nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame f = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (f == null || f.isEvent()) {
                return f;
            }
        }
    }

    /** The next comment, or null after the timeout. */
    Frame nextComment(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame f = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (f == null || !f.isEvent()) {
                return f;
            }
        }
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
