package io.musubi.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A small client of the hub's REST API for the integration tests: JSON calls with a credential, and SSE. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String credential;

    ApiClient(String port, String credential) {
        this.base = "http://127.0.0.1:" + port + "/api/v1";
        this.credential = credential;
    }

    ApiClient as(String otherCredential) {
        return new ApiClient(base.replaceAll(".*:(\\d+)/api/v1", "$1"), otherCredential);
    }

    HttpResponse<String> call(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (credential != null) {
            b.header("Authorization", "Bearer " + credential);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpRequest request = b.build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // A pooled keep-alive connection the server closed as this request went out (seen once in a full run,
            // "EOF reached while reading" on a PUT right after two GETs): an HTTP client retries an idempotent
            // request once on a fresh connection; the JDK's client does so only for GET by itself.
            if (!IDEMPOTENT.contains(method)) {
                throw e;
            }
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static final java.util.Set<String> IDEMPOTENT = java.util.Set.of("GET", "HEAD", "PUT", "DELETE");

    /** Calls and expects {@code status}; returns the JSON body (or null when empty). */
    JsonNode expect(int status, String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpResponse<String> r = call(method, path, body, headers);
        if (r.statusCode() != status) {
            throw new AssertionError(method + " " + path + ": expected " + status + " but got " + r.statusCode()
                    + " " + r.body());
        }
        return r.body() == null || r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    /** A GET that must answer 200; returns the body as text. */
    String text(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = call("GET", path, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": expected 200 but got " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** An open SSE stream; events are collected as they arrive. */
    Events events(String query, String lastEventId) {
        return stream(URI.create(base + "/events" + query), credential, lastEventId);
    }

    /** An open SSE stream at any URI of the hub (the API's, a web chat visitor's), with a bearer credential. */
    Events stream(URI uri, String bearer, String lastEventId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + bearer).GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        Events events = new Events();
        // The stream is read on a thread of its own: reading it on the client's completion thread would block the
        // thread that delivers its data.
        events.response = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> {
            try {
                HttpResponse<Stream<String>> r = events.response.join();
                events.status = r.statusCode();
                events.read(r.body());
            } catch (RuntimeException e) {
                events.status = -1;
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!events.connected.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("the event stream did not open (status " + events.status + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return events;
    }

    /** Server-sent events as read from one stream. */
    static final class Events implements AutoCloseable {
        record Event(String id, String type, JsonNode data) {
        }

        private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        /** Counted down on the server's first line (its ": connected" comment): the stream is subscribed. */
        final CountDownLatch connected = new CountDownLatch(1);
        private final List<Event> seen = new ArrayList<>();
        private volatile CompletableFuture<HttpResponse<Stream<String>>> response;
        private volatile Stream<String> lines;
        volatile int status;

        private void read(Stream<String> body) {
            this.lines = body;
            String id = null;
            String type = "message";
            StringBuilder data = new StringBuilder();
            for (String line : (Iterable<String>) body::iterator) {
                connected.countDown();
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        try {
                            queue.add(new Event(id, type, JSON.readTree(data.toString())));
                        } catch (IOException e) {
                            queue.add(new Event(id, type, JSON.getNodeFactory().textNode(data.toString())));
                        }
                    }
                    id = null;
                    type = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        }

        /** Waits for the first event (seen or new) that matches; fails after {@code timeout}. */
        Event await(String what, Duration timeout, Predicate<Event> match) throws InterruptedException {
            synchronized (seen) {
                for (Event e : seen) {
                    if (match.test(e)) {
                        return e;
                    }
                }
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                Event e = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    synchronized (seen) {
                        throw new AssertionError("no SSE event " + what + " within " + timeout + "; saw " + seen);
                    }
                }
                synchronized (seen) {
                    seen.add(e);
                }
                if (match.test(e)) {
                    return e;
                }
            }
        }

        @Override
        public void close() {
            Stream<String> l = lines;
            if (l != null) {
                l.close();
            }
            if (response != null) {
                response.cancel(true);
            }
        }
    }
}
