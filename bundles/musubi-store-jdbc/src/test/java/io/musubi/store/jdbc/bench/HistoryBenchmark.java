package io.musubi.store.jdbc.bench;

import io.musubi.store.HistoryStore;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.store.JourneyPage;
import io.musubi.store.JourneyQuery;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.MessageContent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * History store benchmark (not a test; never fails a build). Measures, on embedded H2 and on PostgreSQL:
 *
 * <ol>
 *   <li>durable append rate: events/s with one event per transaction (1 and more writer threads) and with
 *       batches of 100 events per transaction, every commit durable before append() returns;</li>
 *   <li>journey page latency: p50/p99 of 50-event pages for a customer with 10 000 events in a store of
 *       1 000 000 events (first page, random deeper pages by cursor, newest first, filtered by channel);</li>
 *   <li>inbound events/s: what the ingress stores for one inbound event (resolve the customer, save the
 *       interaction, append ARRIVED + MESSAGE_IN, mark the provider event processed) from 1, 8 and 32 concurrent
 *       callers, either as one {@code inTransaction} per event ({@code tx}) or as five separate durable calls
 *       ({@code separate}, the ingress before issue #11).</li>
 * </ol>
 *
 * Usage (see docs/history.md, "Benchmark"):
 * <pre>
 *   eval "$(scripts/postgres-test.sh --db musubi_bench)"
 *   mvn -q -pl bundles/musubi-store-jdbc test-compile exec:java -Dexec.args="both"
 * </pre>
 * Arguments: {@code h2|pg|both} then optional {@code key=value}: {@code appends=20000}, {@code store=1000000},
 * {@code customer=10000}, {@code queries=2000}, {@code threads=1,4,16}, {@code cases=append,journey,inbound},
 * {@code inbound=5000} (events per row), {@code inboundThreads=1,8,32}, {@code modes=tx,separate}. The PostgreSQL run reads
 * MUSUBI_TEST_PG_URL/_USER/_PASSWORD. The 1 000 000-event store is loaded once and reused by later runs.
 */
public final class HistoryBenchmark {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Channel[] CHANNELS = {Channel.VOICE, Channel.LINE, Channel.EMAIL, Channel.WEBCHAT};
    private static final String JOURNEY_TENANT = "bench-journey";

    private final int appends;
    private final int storeEvents;
    private final int customerEvents;
    private final int queries;
    private final int[] threads;
    private final Set<String> cases;
    private final int inbound;
    private final int[] inboundThreads;
    private final List<String> modes;

    private HistoryBenchmark(Map<String, String> opts) {
        appends = Integer.parseInt(opts.getOrDefault("appends", "20000"));
        storeEvents = Integer.parseInt(opts.getOrDefault("store", "1000000"));
        customerEvents = Integer.parseInt(opts.getOrDefault("customer", "10000"));
        queries = Integer.parseInt(opts.getOrDefault("queries", "2000"));
        threads = ints(opts.getOrDefault("threads", "1,4,16"));
        cases = Set.of(opts.getOrDefault("cases", "append,journey,inbound").split(","));
        inbound = Integer.parseInt(opts.getOrDefault("inbound", "5000"));
        inboundThreads = ints(opts.getOrDefault("inboundThreads", "1,8,32"));
        modes = List.of(opts.getOrDefault("modes", "tx,separate").split(","));
    }

    private static int[] ints(String list) {
        String[] t = list.split(",");
        int[] out = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = Integer.parseInt(t[i].trim());
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "both";
        Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            opts.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        HistoryBenchmark bench = new HistoryBenchmark(opts);
        System.out.printf(Locale.ROOT, "JVM %s, %d cores, max heap %d MB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        if (which.equals("h2") || which.equals("both")) {
            Path dir = benchDir();
            if (bench.cases.contains("append")) {
                bench.appendRates("H2 (fsync per commit)", JdbcSettings.embedded(
                        dir.resolve("append-" + UUID.randomUUID())).withMaxPoolSize(16).withSyncCommits(true));
                bench.appendRates("H2 (write per commit, no fsync)", JdbcSettings.embedded(
                        dir.resolve("append-" + UUID.randomUUID())).withMaxPoolSize(16).withSyncCommits(false));
            }
            if (bench.cases.contains("journey")) {
                bench.journey("H2", JdbcSettings.embedded(dir.resolve("journey")).withMaxPoolSize(4));
            }
            if (bench.cases.contains("inbound")) {
                bench.inboundRates("H2 (fsync)", JdbcSettings.embedded(dir.resolve("inbound-" + UUID.randomUUID()))
                        .withMaxPoolSize(16).withSyncCommits(true));
            }
        }
        if (which.equals("pg") || which.equals("both")) {
            String url = System.getenv("MUSUBI_TEST_PG_URL");
            if (url == null || url.isBlank()) {
                System.out.println("PostgreSQL: MUSUBI_TEST_PG_URL not set, skipped");
            } else {
                JdbcSettings pg = JdbcSettings.of(url, System.getenv("MUSUBI_TEST_PG_USER"),
                        System.getenv("MUSUBI_TEST_PG_PASSWORD")).withMaxPoolSize(16);
                if (bench.cases.contains("append")) {
                    bench.appendRates("PostgreSQL (synchronous_commit=on)", pg);
                }
                if (bench.cases.contains("journey")) {
                    bench.journey("PostgreSQL", pg.withMaxPoolSize(4));
                }
                if (bench.cases.contains("inbound")) {
                    bench.inboundRates("PostgreSQL", pg);
                }
            }
        }
    }

    /** target/bench of this module, whether started from the module or from the repository root. */
    private static Path benchDir() {
        Path module = Path.of("bundles", "musubi-store-jdbc");
        return (java.nio.file.Files.isDirectory(module) ? module : Path.of(".")).resolve("target").resolve("bench");
    }

    // ------------------------------------------------------------------ append rate

    private void appendRates(String label, JdbcSettings settings) throws Exception {
        try (JdbcStore history = JdbcStore.open(settings)) {
            HistoryStore store = history.store();
            String tenant = "bench-append-" + UUID.randomUUID();
            // warm-up: JIT, pool, first pages of the indexes
            runSingle(store, tenant + "-warm", Math.min(2000, appends), 4);
            for (int t : threads) {
                String ten = tenant + "-t" + t;
                long start = System.nanoTime();
                runSingle(store, ten, appends, t);
                report(label, "1 event/tx, " + t + " thread(s)", appends, System.nanoTime() - start);
            }
            int batch = 100;
            int batches = Math.max(1, appends * 5 / batch);
            long start = System.nanoTime();
            Random random = new Random(7);
            for (int b = 0; b < batches; b++) {
                List<InteractionEvent> events = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    events.add(sample(tenant + "-batch", "b" + b + "-" + i, random, b * batch + i));
                }
                store.appendAll(events);
            }
            report(label, batch + " events/tx, 1 thread", (long) batches * batch, System.nanoTime() - start);
        }
    }

    private static void runSingle(HistoryStore store, String tenant, int count, int threadCount) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threadCount);
        AtomicLong next = new AtomicLong();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    long n;
                    while ((n = next.getAndIncrement()) < count) {
                        if (!store.append(sample(tenant, "e" + n, random, n))) {
                            throw new IllegalStateException("duplicate in benchmark");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    // ------------------------------------------------------------------ one inbound event

    private void inboundRates(String label, JdbcSettings settings) throws Exception {
        try (JdbcStore history = JdbcStore.open(settings)) {
            String tenant = "bench-inbound-" + UUID.randomUUID();
            for (String mode : modes) {
                inboundRun(history, mode, tenant + "-warm-" + mode, Math.min(1000, inbound), 8); // JIT, pool
            }
            for (int t : inboundThreads) {
                for (String mode : modes) {
                    long start = System.nanoTime();
                    inboundRun(history, mode, tenant + "-" + mode + "-t" + t, inbound, t);
                    long nanos = System.nanoTime() - start;
                    System.out.printf(Locale.ROOT, "INBOUND %-20s %-9s %2d caller(s) %7d events in %7.2f s = %8.0f "
                            + "events/s%n", label, mode, t, inbound, nanos / 1e9, inbound / (nanos / 1e9));
                }
            }
        }
    }

    private static void inboundRun(JdbcStore history, String mode, String tenant, int count, int threadCount)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threadCount);
        AtomicLong next = new AtomicLong();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                futures.add(pool.submit(() -> {
                    long n;
                    while ((n = next.getAndIncrement()) < count) {
                        long id = n;
                        if (mode.equals("tx")) {
                            history.transactions().runInTransaction(() -> inboundEvent(history, tenant, id));
                        } else {
                            inboundEvent(history, tenant, id);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** One LINE message from one of 2 000 customers (new ones at first, known ones later): five store calls. */
    private static void inboundEvent(JdbcStore history, String tenant, long n) {
        Address from = Address.parse("line:U" + (n % 2000));
        Instant at = T0.plusMillis(n);
        String customer = history.customers().resolveOrCreate(tenant, from).customer().id();
        String interaction = "i" + n;
        history.store().saveInteraction(new Interaction(interaction, tenant, Channel.LINE, customer, from, null,
                from.uri(), "support", 0, Map.of(), InteractionState.QUEUED, at, at, "", ""));
        history.store().appendAll(List.of(
                InteractionEvent.of("a" + n, tenant, interaction, customer, Channel.LINE, InteractionEventType.ARRIVED,
                        at, "system", Map.of()),
                new InteractionEvent("m" + n, tenant, interaction, customer, Channel.LINE,
                        InteractionEventType.MESSAGE_IN, at, "customer", Map.of(),
                        MessageContent.text("こんにちは、注文番号 " + n + " の配送状況について教えてください。"))));
        if (!history.idempotency().markProcessed(tenant, "line~bench", "wh-" + n)) {
            throw new IllegalStateException("duplicate in benchmark");
        }
    }

    /** A realistic event: a chat line of ~80 characters for a customer among 1000, or a state event. */
    private static InteractionEvent sample(String tenant, String id, Random random, long n) {
        String customer = "c" + random.nextInt(1000);
        Channel channel = CHANNELS[random.nextInt(CHANNELS.length)];
        Instant at = T0.plusMillis(n * 10);
        if (random.nextInt(3) == 0) {
            return InteractionEvent.of(id, tenant, "i" + (n / 10), customer, channel, InteractionEventType.QUEUED, at,
                    "system", Map.of("queue", "support"));
        }
        return new InteractionEvent(id, tenant, "i" + (n / 10), customer, channel, InteractionEventType.MESSAGE_IN, at,
                "customer", Map.of(), MessageContent.text("こんにちは、注文番号 " + n + " の配送状況について教えてください。"
                        + " Hello, where is my order?"));
    }

    private static void report(String label, String what, long events, long nanos) {
        double seconds = nanos / 1e9;
        System.out.printf(Locale.ROOT, "APPEND  %-36s %-26s %9d events in %7.2f s = %9.0f events/s%n", label, what,
                events, seconds, events / seconds);
    }

    // ------------------------------------------------------------------ journey

    private void journey(String label, JdbcSettings settings) throws Exception {
        try (JdbcStore history = JdbcStore.open(settings)) {
            HistoryStore store = history.store();
            String target = "c-target";
            long existing = countJourney(store, target);
            if (existing != customerEvents) {
                load(label, store, target);
            } else {
                System.out.printf(Locale.ROOT, "JOURNEY %-12s reusing the loaded store (%d events for the customer)%n",
                        label, existing);
            }
            // cursors of every page, oldest first
            List<String> cursors = new ArrayList<>();
            JourneyQuery q = JourneyQuery.of(JOURNEY_TENANT, target).withLimit(50);
            JourneyPage page;
            int seen = 0;
            do {
                page = store.journey(q);
                seen += page.events().size();
                if (page.hasMore()) {
                    cursors.add(page.nextCursor());
                }
                q = q.after(page.nextCursor());
            } while (page.hasMore());
            if (seen != customerEvents) {
                throw new IllegalStateException("journey has " + seen + " events, expected " + customerEvents);
            }
            Random random = new Random(42);
            Histogram all = new Histogram(3);
            measure(label, "first page", all, () -> store.journey(JourneyQuery.of(JOURNEY_TENANT, target)));
            measure(label, "random page by cursor", all, () -> store.journey(JourneyQuery.of(JOURNEY_TENANT, target)
                    .after(cursors.get(random.nextInt(cursors.size())))));
            measure(label, "newest first", all, () -> store.journey(JourneyQuery.of(JOURNEY_TENANT, target)
                    .newestFirst(true)));
            measure(label, "channel=VOICE, by cursor", all, () -> store.journey(JourneyQuery.of(JOURNEY_TENANT, target)
                    .withChannels(Set.of(Channel.VOICE)).after(cursors.get(random.nextInt(cursors.size() / 4)))));
            print(label, "all of the above", all);
        }
    }

    private static long countJourney(HistoryStore store, String target) {
        return store.eventCounts(JOURNEY_TENANT, target).values().stream().mapToLong(Long::longValue).sum();
    }

    private void load(String label, HistoryStore store, String target) {
        System.out.printf(Locale.ROOT, "JOURNEY %-12s loading %d events (%d for the measured customer)...%n", label,
                storeEvents, customerEvents);
        long start = System.nanoTime();
        Random random = new Random(1);
        int others = storeEvents - customerEvents;
        int every = Math.max(1, storeEvents / customerEvents);
        List<InteractionEvent> batch = new ArrayList<>(1000);
        int targetCount = 0;
        for (int n = 0; n < storeEvents; n++) {
            boolean mine = n % every == 0 && targetCount < customerEvents;
            String customer = mine ? target : "c" + random.nextInt(Math.max(1, others / 100));
            if (mine) {
                targetCount++;
            }
            Channel channel = CHANNELS[n % CHANNELS.length];
            Instant at = T0.plusMillis(n * 1000L);
            batch.add(new InteractionEvent("j" + n, JOURNEY_TENANT, "i" + (n / 8), customer, channel,
                    n % 3 == 0 ? InteractionEventType.QUEUED : InteractionEventType.MESSAGE_IN, at, "customer", Map.of(),
                    n % 3 == 0 ? null : MessageContent.text("message " + n + " — お問い合わせありがとうございます。")));
            if (batch.size() == 1000) {
                store.appendAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.appendAll(batch);
        }
        System.out.printf(Locale.ROOT, "JOURNEY %-12s loaded in %.1f s%n", label, (System.nanoTime() - start) / 1e9);
    }

    private void measure(String label, String what, Histogram all, java.util.function.Supplier<JourneyPage> query) {
        for (int i = 0; i < Math.min(500, queries); i++) { // warm-up
            query.get();
        }
        Histogram h = new Histogram(3);
        for (int i = 0; i < queries; i++) {
            long t = System.nanoTime();
            JourneyPage page = query.get();
            long micros = (System.nanoTime() - t) / 1000;
            if (page.events().isEmpty()) {
                throw new IllegalStateException("empty page");
            }
            h.recordValue(micros);
            all.recordValue(micros);
        }
        print(label, what, h);
    }

    private static void print(String label, String what, Histogram h) {
        System.out.printf(Locale.ROOT, "JOURNEY %-12s %-26s n=%5d  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n", label,
                what, h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0);
    }
}
