package io.musubi.connector.webchat.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.musubi.spi.LiveChannel;
import io.musubi.spi.LiveSignal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The visitors of one web chat instance: each visitor's transcript (kept on disk so that a page reload, or a hub
 * restart, shows the conversation again), the visitor's open event streams, and the hub-side subscribers to what the
 * visitor's browser signals (the agent's desktop, through the hub's {@link LiveChannel}).
 *
 * <p>Appending a line and opening a stream happen under the same per-visitor lock: a stream opened while a line is
 * added sees it exactly once, either in its replay or live, and in order. Transcripts are JSON lines, one file per
 * visitor, at most {@value #MAX_LINES} lines (older ones are dropped), deleted {@code retention} after their last
 * line. They hold message text (PII) like the history store does; nothing of them is logged.
 */
final class Visitors {

    static final int MAX_LINES = 1000;
    static final int MAX_STREAMS_PER_VISITOR = 5;
    private static final Logger LOG = LoggerFactory.getLogger(Visitors.class);

    /** A transcript line as stored and as sent to the browser ({@code seq} is the SSE event id). */
    record Entry(long seq, String id, String direction, String text, List<String> attachments, Instant at) {
    }

    /** An open event stream of a browser: takes SSE frames without blocking. */
    interface Stream {
        /** @return false when the stream cannot take more (its client is too slow): it is closed then */
        boolean offer(String frame);

        void close();
    }

    /** Too many streams are open (for the visitor, or for the instance). */
    static final class TooManyStreamsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyStreamsException(String message) {
            super(message);
        }
    }

    private final Path directory;
    private final Duration retention;
    private final Clock clock;
    private final ObjectMapper json;
    private final int maxStreams;
    private final Object[] stripes = new Object[64];
    private final Map<String, List<Stream>> streams = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<LiveSignal>>> subscribers = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    Visitors(Path directory, Duration retention, Clock clock, ObjectMapper json, int maxStreams) throws IOException {
        this.directory = directory;
        this.retention = retention;
        this.clock = clock;
        this.json = json;
        this.maxStreams = maxStreams;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
        Files.createDirectories(directory);
    }

    private Object lock(String visitorId) {
        return stripes[Math.floorMod(visitorId.hashCode(), stripes.length)];
    }

    private Path file(String visitorId) {
        if (!VisitorTokens.VISITOR_ID.matcher(visitorId).matches()) {
            throw new IllegalArgumentException("not a visitor id");
        }
        return directory.resolve(visitorId + ".jsonl");
    }

    // ------------------------------------------------------------------ transcript

    /** The visitor's transcript, oldest first; empty when there is none (or it expired). */
    List<Entry> transcript(String visitorId) {
        synchronized (lock(visitorId)) {
            return read(visitorId);
        }
    }

    /**
     * Adds a line to the visitor's transcript and pushes it to the visitor's open streams; a line whose id is there
     * already is not added again (the existing one is returned).
     */
    Entry append(String visitorId, String id, String direction, String text, List<String> attachments, Instant at) {
        synchronized (lock(visitorId)) {
            List<Entry> lines = read(visitorId);
            for (Entry e : lines) {
                if (e.id().equals(id)) {
                    return e;
                }
            }
            Entry entry = new Entry(lines.isEmpty() ? 1 : lines.get(lines.size() - 1).seq() + 1, id, direction, text,
                    List.copyOf(attachments), at);
            try {
                if (lines.size() >= MAX_LINES) {
                    List<Entry> kept = new ArrayList<>(lines.subList(lines.size() - MAX_LINES / 2, lines.size()));
                    kept.add(entry);
                    rewrite(visitorId, kept);
                } else {
                    Files.writeString(file(visitorId), line(entry) + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("transcript not writable (" + e.getClass().getSimpleName() + ")", e);
            }
            publish(visitorId, frame(Long.toString(entry.seq()), "message", line(entry)));
            return entry;
        }
    }

    private List<Entry> read(String visitorId) {
        Path file = file(visitorId);
        List<Entry> out = new ArrayList<>();
        try {
            if (!Files.exists(file)) {
                return out;
            }
            if (expired(file)) {
                Files.deleteIfExists(file);
                return out;
            }
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    out.add(entry(json.readTree(l)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("transcript not readable (" + e.getClass().getSimpleName() + ")", e);
        }
        return out;
    }

    private void rewrite(String visitorId, List<Entry> lines) throws IOException {
        Path file = file(visitorId);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder b = new StringBuilder();
        lines.forEach(e -> b.append(line(e)).append('\n'));
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private boolean expired(Path file) throws IOException {
        return Files.getLastModifiedTime(file).toInstant().plus(retention).isBefore(clock.instant());
    }

    /** Deletes the transcripts whose last line is older than the retention; returns how many. */
    int sweep() {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "v-*.jsonl")) {
            for (Path f : files) {
                String visitorId = f.getFileName().toString().replace(".jsonl", "");
                synchronized (lock(visitorId)) {
                    if (expired(f) && Files.deleteIfExists(f)) {
                        deleted++;
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Web chat transcripts in {} could not be swept: {}", directory, e.getClass().getSimpleName());
        }
        return deleted;
    }

    String line(Entry e) {
        ObjectNode n = json.createObjectNode();
        n.put("seq", e.seq());
        n.put("id", e.id());
        n.put("direction", e.direction());
        n.put("text", e.text());
        if (!e.attachments().isEmpty()) {
            e.attachments().forEach(n.putArray("attachments")::add);
        }
        n.put("at", e.at().toString());
        return n.toString();
    }

    private static Entry entry(JsonNode n) {
        List<String> attachments = new ArrayList<>();
        n.path("attachments").forEach(a -> attachments.add(a.asText()));
        return new Entry(n.path("seq").asLong(), n.path("id").asText(), n.path("direction").asText(),
                n.path("text").asText(), attachments, Instant.parse(n.path("at").asText()));
    }

    // ------------------------------------------------------------------ streams

    /**
     * Opens a stream for the visitor: first the transcript lines after {@code afterSeq} (all with 0), then live lines
     * and signals as they come.
     *
     * @throws TooManyStreamsException when the visitor or the instance has too many open
     */
    void open(String visitorId, long afterSeq, Stream stream) {
        synchronized (lock(visitorId)) {
            List<Stream> mine = streams.computeIfAbsent(visitorId, k -> new CopyOnWriteArrayList<>());
            if (mine.size() >= MAX_STREAMS_PER_VISITOR) {
                throw new TooManyStreamsException("at most " + MAX_STREAMS_PER_VISITOR + " open streams per visitor");
            }
            if (open.incrementAndGet() > maxStreams) {
                open.decrementAndGet();
                throw new TooManyStreamsException("too many open streams, retry later");
            }
            mine.add(stream);
            for (Entry e : read(visitorId)) {
                if (e.seq() > afterSeq && !stream.offer(frame(Long.toString(e.seq()), "message", line(e)))) {
                    break;
                }
            }
        }
    }

    /** Forgets a stream (its client went away). */
    void close(String visitorId, Stream stream) {
        synchronized (lock(visitorId)) {
            List<Stream> mine = streams.get(visitorId);
            if (mine != null && mine.remove(stream)) {
                open.decrementAndGet();
                if (mine.isEmpty()) {
                    streams.remove(visitorId);
                }
            }
        }
    }

    /** Streams open now, all visitors together. */
    int openStreams() {
        return open.get();
    }

    boolean isConnected(String visitorId) {
        List<Stream> mine = streams.get(visitorId);
        return mine != null && !mine.isEmpty();
    }

    /** Sends a signal to the visitor's open streams; returns how many took it. */
    int toVisitor(String visitorId, LiveSignal signal) {
        ObjectNode n = json.createObjectNode();
        n.put("type", signal.type());
        if (!signal.interactionId().isEmpty()) {
            n.put("interactionId", signal.interactionId());
        }
        try {
            n.set("data", json.readTree(signal.data()));
        } catch (IOException e) {
            n.put("data", signal.data());
        }
        return publish(visitorId, frame(null, signal.type(), n.toString()));
    }

    private int publish(String visitorId, String frame) {
        List<Stream> mine = streams.get(visitorId);
        if (mine == null) {
            return 0;
        }
        int n = 0;
        for (Stream s : mine) {
            if (s.offer(frame)) {
                n++;
            } else {
                s.close();
                close(visitorId, s);
            }
        }
        return n;
    }

    /** One Server-Sent Events frame; {@code id} null for none. The data is one line of JSON. */
    static String frame(String id, String event, String data) {
        return (id == null ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: " + data + "\n\n";
    }

    // ------------------------------------------------------------------ the hub's side

    /** Follows what the visitor's browser signals, until the subscription is closed. */
    LiveChannel.Subscription subscribe(String visitorId, Consumer<LiveSignal> listener) {
        subscribers.computeIfAbsent(visitorId, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> subscribers.computeIfPresent(visitorId, (k, v) -> {
            v.remove(listener);
            return v.isEmpty() ? null : v;
        });
    }

    /** Hands a signal of the visitor's browser to the hub-side subscribers; returns how many there are. */
    int fromVisitor(String visitorId, LiveSignal signal) {
        List<Consumer<LiveSignal>> mine = subscribers.get(visitorId);
        if (mine == null) {
            return 0;
        }
        for (Consumer<LiveSignal> c : mine) {
            try {
                c.accept(signal);
            } catch (RuntimeException e) {
                LOG.warn("A web chat signal subscriber failed: {}", e.getClass().getSimpleName());
            }
        }
        return mine.size();
    }
}
