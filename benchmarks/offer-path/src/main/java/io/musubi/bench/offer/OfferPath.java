package io.musubi.bench.offer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.musubi.bench.http.LoadClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The offer path of a running hub at a fixed rate (DESIGN §12, issue #5): each interaction is created with
 * {@code POST /interactions} on a schedule, and its latency runs from the moment it was due to be sent (so a stall
 * is not hidden: no coordinated omission) until its {@code offered} event arrives on the SSE stream. The baseline is
 * the same schedule of {@code GET /version}, a bare Jersey resource in the same container, measured to its response.
 *
 * <pre>
 * java -jar benchmarks/offer-path/target/offer-path.jar --url http://127.0.0.1:8181/api/v1 \
 *      --key-file run/musubi/etc/musubi/admin.key --rate 1000 --seconds 20 --warmup 5 --agents 100 \
 *      [--max-in-flight 256]
 * </pre>
 *
 * The hub's per-caller rate limit must allow the rate (etc/io.musubi.rest.security.cfg, {@code rate.perSecond}).
 * It sets up its own queue and agents ({@code bench-*}) in the admin key's tenant; run it against a throw-away hub.
 */
public final class OfferPath {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The hub's default offer timeout of the CUSTOM channel (QueueDefinition.defaultOfferTimeout). */
    private static final int TEXT_OFFER_TIMEOUT_SECONDS = 30;

    /**
     * HTTP/1.1 as the hub speaks it: left at its default (HTTP/2), the JDK client offers every new connection an h2c
     * upgrade that the hub declines. The driver shares the machine with the hub, so what it spends is taken from the hub.
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(8)).build();
    /**
     * The load itself (the baseline's GETs, the creates, the ends) goes through {@link LoadClient}, which spends a
     * fraction of the JDK client's CPU per request; the JDK client keeps the set-up and the event stream.
     */
    private final LoadClient load;
    private final String url;
    private final String key;
    private final String basePath;
    /** Creates the hub refused as busy (429, its back-pressure); counted among the errors too. */
    private final AtomicInteger busy = new AtomicInteger();
    /** Times the event stream was closed by the hub and opened again with Last-Event-ID. */
    private final AtomicInteger resumed = new AtomicInteger();
    private final CountDownLatch streamOpen = new CountDownLatch(1);
    /** Every interaction this run created (answered 201), ended at the end of the run. */
    private final Set<String> created = ConcurrentHashMap.newKeySet();

    /**
     * Requests in flight at most, as a client with a bounded connection pool (a vendor's integration) would send
     * them: a request due while all are taken waits for one, and that wait counts in its latency (measured from
     * when it was due). Without a bound the JDK client opens a connection per request in flight, and an overloaded
     * hub then holds thousands of connections.
     */
    private final Semaphore inFlight;

    private OfferPath(String url, String key, int maxInFlight) {
        this.url = url;
        this.key = key;
        URI u = URI.create(url);
        this.basePath = u.getRawPath();
        this.load = new LoadClient(u);
        this.inFlight = new Semaphore(maxInFlight);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String url = a.getOrDefault("url", "http://127.0.0.1:8181/api/v1");
        String key = Files.readString(Path.of(a.getOrDefault("key-file", "run/musubi/etc/musubi/admin.key"))).trim();
        int rate = Integer.parseInt(a.getOrDefault("rate", "1000"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
        int agents = Integer.parseInt(a.getOrDefault("agents", "100"));
        int maxInFlight = Integer.parseInt(a.getOrDefault("max-in-flight", "256"));
        // --keys sequential: senders and message ids counted up, so the hub's indexes keyed by them grow at their end;
        // random (default): spread as real traffic is, so each new one lands at a random place of those indexes.
        boolean sequential = "sequential".equals(a.getOrDefault("keys", "random"));
        if (warmup + seconds >= TEXT_OFFER_TIMEOUT_SECONDS) {
            // Its agents never answer an offer: past the offer timeout the hub takes each offer back and marks the
            // agent NOT_RESPONDING (RONA), and what is created after that is never offered.
            throw new IllegalArgumentException("warm-up + seconds must stay under the offer timeout of a text channel ("
                    + TEXT_OFFER_TIMEOUT_SECONDS + " s): the bench agents do not answer their offers");
        }
        OfferPath bench = new OfferPath(url, key, maxInFlight);
        String run = Long.toString(System.currentTimeMillis(), 36);
        bench.setUp(agents, (rate * (seconds + warmup)) / agents + 10);

        Result baseline = bench.baseline(rate, warmup, seconds);
        Result offers = bench.offers(run, rate, warmup, seconds, sequential);
        int ended = bench.endAll();
        System.out.printf("%nrate %d/s for %d s after %d s warm-up, %d agents, %d requests in flight at most%n", rate,
                seconds, warmup, agents, maxInFlight);
        baseline.print("GET /version (bare Jersey)");
        offers.print("create → offered on SSE");
        System.out.printf("p99 ratio offer/baseline: %.1f%n", offers.histogram.getValueAtPercentile(99)
                / (double) Math.max(1, baseline.histogram.getValueAtPercentile(99)));
        System.out.printf("creates refused as busy (429): %d%n", bench.busy.get());
        System.out.printf("event stream closed by the hub and resumed with Last-Event-ID: %d time(s)%n",
                bench.resumed.get());
        System.out.printf("ended %d of the %d interactions it created (so another run can follow on this hub)%n",
                ended, bench.created.size());
        System.exit(0);
    }

    record Result(Histogram histogram, int sent, int completed, int errors, double seconds) {
        void print(String what) {
            System.out.printf("%-28s sent %6d  done %6d  errors %4d  %.0f/s  p50 %6.2f ms  p90 %6.2f ms  "
                            + "p99 %6.2f ms  p99.9 %6.2f ms  max %7.2f ms%n", what, sent, completed, errors,
                    completed / seconds, ms(50), ms(90), ms(99), ms(99.9), histogram.getMaxValue() / 1e6);
        }

        private double ms(double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1e6;
        }
    }

    private void setUp(int agents, int capacity) throws Exception {
        send("PUT", "/queues/bench-q", "{\"name\":\"Bench\",\"channels\":[\"CUSTOM\"]}");
        for (int i = 0; i < agents; i++) {
            send("PUT", "/agents/bench-a" + i, "{\"name\":\"Bench " + i + "\",\"capacities\":{\"CUSTOM\":" + capacity
                    + "},\"sharedCapacity\":" + capacity + "}");
            send("PUT", "/agents/bench-a" + i + "/presence", "{\"state\":\"AVAILABLE\"}");
        }
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < agents; i++) {
            members.append(i == 0 ? "" : ",").append("\"bench-a").append(i).append('"');
        }
        send("PUT", "/queues/bench-q", "{\"name\":\"Bench\",\"channels\":[\"CUSTOM\"],\"members\":[" + members + "]}");
    }

    private Result baseline(int rate, int warmup, int seconds) throws Exception {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        int total = rate * (warmup + seconds);
        CountDownLatch all = new CountDownLatch(total);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        byte[] version = loadRequest("GET", "/version", null);
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            boolean measured = i >= rate * warmup;
            timer.schedule(() -> {
                inFlight.acquireUninterruptibly();
                load.send(version, (status, location, failure) -> {
                    inFlight.release();
                    if (failure != null || status != 200) {
                        errors.incrementAndGet();
                    } else if (measured) {
                        synchronized (h) {
                            h.recordValue(System.nanoTime() - due);
                        }
                        done.incrementAndGet();
                    }
                    all.countDown();
                });
            }, due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        all.await(seconds + warmup + 60L, TimeUnit.SECONDS);
        timer.shutdownNow();
        return new Result(h, rate * seconds, done.get(), errors.get(), seconds);
    }

    /**
     * One create of the run, met from two sides: its answer (which names the interaction: {@code due} and
     * {@code measured}) and its {@code offered} event ({@code offeredAt}), which can arrive first. A side not yet seen
     * is -1.
     */
    private record Pending(long due, boolean measured, long offeredAt) {
        /** This side and the other one's, once both are known. */
        Pending with(Pending other) {
            return due >= 0 ? new Pending(due, measured, other.offeredAt) : new Pending(other.due, other.measured,
                    offeredAt);
        }
    }

    /**
     * Files one side of a create under its interaction's id; when the other side is already there, the create is
     * complete and handed to {@code completed} (by whichever side came second).
     */
    private static void meet(Map<String, Pending> pending, String id, Pending side,
                             java.util.function.Consumer<Pending> completed) {
        Pending[] met = new Pending[1];
        pending.compute(id, (k, other) -> {
            if (other == null) {
                return side;
            }
            met[0] = side.with(other);
            return null;
        });
        if (met[0] != null) {
            completed.accept(met[0]);
        }
    }

    private Result offers(String run, int rate, int warmup, int seconds, boolean sequential) throws Exception {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Map<String, Pending> pending = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        int total = rate * (warmup + seconds);
        CountDownLatch all = new CountDownLatch(total);
        java.util.function.Consumer<Pending> completed = p -> {
            if (p.measured()) {
                synchronized (h) {
                    h.recordValue(Math.max(0, p.offeredAt() - p.due()));
                }
                done.incrementAndGet();
            }
            all.countDown();
        };

        Thread reader = new Thread(() -> readOffers(pending, completed, errors), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        awaitStream();

        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            String n = sequential ? Integer.toString(i) : java.util.UUID.nameUUIDFromBytes(
                    (run + "/" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
            String messageId = "bench-" + run + "-" + n;
            // Each from its own sender: a new customer and conversation each time, the most the hub writes.
            String from = "webchat:bench-" + run + "-" + n;
            boolean measured = i >= rate * warmup;
            String body = "{\"from\":\"" + from + "\",\"queueId\":\"bench-q\",\"text\":\"hi\","
                    + "\"messageId\":\"" + messageId + "\"}";
            timer.schedule(() -> {
                byte[] create = loadRequest("POST", "/interactions", body);
                inFlight.acquireUninterruptibly();
                load.send(create, (status, location, failure) -> {
                    inFlight.release();
                    if (failure == null && status == 429) {
                        busy.incrementAndGet();
                    }
                    if (failure != null || status != 201 || location == null || location.isEmpty()) {
                        errors.incrementAndGet();
                        all.countDown();
                        return;
                    }
                    // The answer names the interaction (the hub's ids carry the time it took the create).
                    String id = location.substring(location.lastIndexOf('/') + 1);
                    created.add(id);
                    meet(pending, id, new Pending(due, measured, -1), completed);
                });
            }, due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        all.await(seconds + warmup + 60L, TimeUnit.SECONDS);
        timer.shutdownNow();
        long answeredOnly = pending.values().stream().filter(p -> p.due() >= 0).count();
        System.out.printf("%ncreates answered but never offered on the stream: %d; offered events of no create of "
                + "this run: %d%n", answeredOnly, pending.size() - answeredOnly);
        return new Result(h, rate * seconds, done.get(), errors.get(), seconds);
    }

    /**
     * Reads the {@code offered} events of the bench queue until the JVM exits. When the hub closes the stream (it
     * closes a stream that falls too far behind), the reader opens it again with {@code Last-Event-ID}, as a vendor's
     * client would, and the hub replays what it missed from its ring; each such resumption is counted and printed.
     */
    private void readOffers(Map<String, Pending> pending, java.util.function.Consumer<Pending> completed,
                            AtomicInteger errors) {
        String lastId = null;
        while (true) {
            try {
                HttpRequest.Builder r = request("GET", "/events?queueId=bench-q&type=offered", null)
                        .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(30));
                if (lastId != null) {
                    r.header("Last-Event-ID", lastId);
                    resumed.incrementAndGet();
                }
                HttpResponse<Stream<String>> stream = http.send(r.build(), HttpResponse.BodyHandlers.ofLines());
                streamOpen.countDown();
                java.util.Iterator<String> lines = stream.body().iterator();
                while (lines.hasNext()) {
                    String line = lines.next();
                    if (line.startsWith("id:")) {
                        lastId = line.substring(3).strip();
                    } else if (line.startsWith("data:")) {
                        long now = System.nanoTime();
                        JsonNode e = JSON.readTree(line.substring(5));
                        if ("offered".equals(e.path("type").asText())) {
                            meet(pending, e.path("interactionId").asText(), new Pending(-1, false, now), completed);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                errors.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void awaitStream() throws InterruptedException {
        if (!streamOpen.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the event stream did not open");
        }
    }

    /**
     * Ends every interaction the run created ({@code POST /interactions/{id}/end}, 16 at a time), so that the agents'
     * capacity is free and nothing of this run is offered or waiting when the next run starts.
     *
     * @return how many were ended (answered 2xx)
     */
    private int endAll() throws Exception {
        Semaphore ending = new Semaphore(16);
        AtomicInteger ended = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(created.size());
        for (String id : created) {
            ending.acquire();
            load.send(loadRequest("POST", "/interactions/" + id + "/end", "{}"), (status, location, failure) -> {
                if (failure == null && status / 100 == 2) {
                    ended.incrementAndGet();
                }
                ending.release();
                all.countDown();
            });
        }
        all.await(5, TimeUnit.MINUTES);
        return ended.get();
    }

    private void send(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(request(method, path, body).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " → " + r.statusCode() + " " + r.body());
        }
    }

    /** The headers of every request to the API: the key, and the type of a body when there is one. */
    private Map<String, String> headers(String body) {
        return body == null ? Map.of("Authorization", "Bearer " + key)
                : Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json");
    }

    /** A request of the load as bytes for {@link LoadClient}. */
    private byte[] loadRequest(String method, String path, String body) {
        return load.request(method, basePath + path, headers(body),
                body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers(body).forEach(b::header);
        return b;
    }
}
