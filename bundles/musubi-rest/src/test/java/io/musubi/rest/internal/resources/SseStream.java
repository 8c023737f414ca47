package io.musubi.rest.internal.resources;

import io.musubi.hub.internal.events.SseFrames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;

/** A client of a Server-Sent Events stream, parsing frames as a browser's EventSource does. */
final class SseStream implements AutoCloseable {

    private final HttpResponse<Stream<String>> response;
    private final SseFrames frames = new SseFrames();
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
                        frames.add(new SseFrames.Frame(id, type, data.toString(), null));
                    } else if (comment != null) {
                        frames.add(new SseFrames.Frame(null, null, null, comment.toString()));
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
                    frames.add(new SseFrames.Frame(null, null, line, null));
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed
        }
    }

    /** The next event (comments skipped), or null after the timeout. */
    SseFrames.Frame nextEvent(Duration timeout) throws InterruptedException {
        return frames.nextEvent(timeout);
    }

    /** The next comment, or null after the timeout. */
    SseFrames.Frame nextComment(Duration timeout) throws InterruptedException {
        return frames.nextComment(timeout);
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
