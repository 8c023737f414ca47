package io.musubi.hub.internal.ingress;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdListener;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.hub.internal.events.AcdHistoryRecorder;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.identity.IdentityService;
import io.musubi.identity.IdentityServices;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.PresenceState;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.store.jdbc.JdbcStore;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store half of the ingress (issue #11), without HTTP and the broker: the hub's own {@link IngressProcessor}
 * (identity, interaction, events, idempotency mark in one transaction, the ACD enqueue) and the ACD's history recorder
 * on an embedded H2 file, driven by {@code threads} callers as the ingress route's consumers would. Each event is an
 * SMS from its own number (a new customer and a new conversation: the most the store has to write per event), so the
 * figure is the ceiling this part sets for the whole pipeline. Prints events/s and the process's CPU per event.
 *
 * <pre>java -jar benchmarks/ingress-core/target/ingress-core.jar [events] [threads] [warm-up events] [dir]</pre>
 *
 * <p>{@code -Dmusubi.bench.statements=true} (H2 only) adds H2's statement statistics of the measured run: how often
 * each statement ran per event and the time spent in it, the costliest first. {@code -Dmusubi.bench.url=jdbc:...}
 * (with {@code .user} and {@code .password}) runs it on another database, e.g. PostgreSQL.
 * {@code -Dmusubi.bench.flushMillis=N} sets the least time between two H2 flushes (default 0; the hub's is 5).
 * {@code -Dmusubi.bench.customers=N} sends from N numbers in turn (messages of known customers on open conversations).
 * {@code -Dmusubi.bench.keys=sequential} counts numbers and message ids up instead of spreading them as real traffic.
 * On H2 it also prints how many bytes H2 wrote to and read from its file per event (pages written again per flush).
 * {@code -Dmusubi.bench.lifecycle=true} gives the queue available agents and has the callers accept and end each
 * interaction as it is offered (what the REST offer path writes: arrival, QUEUED, OFFERED, ACCEPTED, ENDED and the
 * interaction's row moved at each step), and waits until every one has ended.
 * {@code -Dmusubi.bench.keyIndexesOnly=true} (H2 only) drops, before the run, every secondary index the ingress and the
 * recorder never look anything up by ({@link #NOT_LOOKED_UP}: the customer journey's, recovery's, the purge's): what
 * the same writes cost with only the indexes that make them possible (keys and the conversation lookup) — a floor for
 * the store half that no change of the schema's other indexes can go below.
 */
public final class IngressCoreBench {

    private IngressCoreBench() {
    }

    /** The schema's secondary indexes that the ingress and the ACD's recorder write but never look anything up by. */
    static final List<String> NOT_LOOKED_UP = List.of("customers_root_idx", "customer_addresses_customer_idx",
            "interactions_customer_idx", "interactions_state_idx", "interaction_events_journey_idx",
            "interaction_events_interaction_idx", "processed_events_tenant_idx");

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        Path dir = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("musubi-ingress-core");
        Files.createDirectories(dir);
        // -Dmusubi.bench.url=jdbc:... (and .user/.password) runs it on another database, e.g. PostgreSQL.
        String url = System.getProperty("musubi.bench.url");
        JdbcSettings settings = url == null ? JdbcSettings.embedded(dir.resolve("history"))
                : JdbcSettings.of(url, System.getProperty("musubi.bench.user", "musubi"),
                        System.getProperty("musubi.bench.password", ""));
        // -Dmusubi.bench.flushMillis=N: the least time between two H2 flushes (the hub's h2FlushIntervalMillis).
        settings = settings.withFlushInterval(java.time.Duration.ofMillis(Long.getLong("musubi.bench.flushMillis", 0)));
        JdbcStore jdbc = JdbcStore.open(settings.withMaxPoolSize(threads + 8));
        try {
            if (Boolean.getBoolean("musubi.bench.keyIndexesOnly")) {
                if (url != null) {
                    throw new IllegalArgumentException("musubi.bench.keyIndexesOnly is for the embedded H2 store");
                }
                for (String index : NOT_LOOKED_UP) {
                    sql(dir, "DROP INDEX " + index);
                }
                System.out.println("dropped the indexes nothing on this path looks up by: " + NOT_LOOKED_UP);
            }
            IdentityService identity = IdentityServices.create(jdbc.customers(), "JP");
            AcdEngine acd = Acd.newEngine(Clock.systemUTC());
            HubEvents hubEvents = new HubEvents();
            AcdHistoryRecorder recorder = new AcdHistoryRecorder(jdbc.store(), jdbc.transactions(), hubEvents);
            // As in the hub: the recorder is the engine's event sink (journals under the engine's lock, writes in
            // batches on its own thread); the ingress does not wait for it.
            acd.setEventSink(recorder);
            IngressProcessor processor = new IngressProcessor(identity, jdbc.store(), jdbc.idempotency(), acd,
                    "default", true, List::of, hubEvents, jdbc.transactions());
            processor.routeBeforeDurable(recorder::publishCommitted); // as in the hub (Ingress)
            Lifecycle lifecycle = Boolean.getBoolean("musubi.bench.lifecycle") ? new Lifecycle(acd, threads) : null;
            System.out.printf("store %s, %d caller threads, %d cores%n", settings.maskedUrl(), threads,
                    Runtime.getRuntime().availableProcessors());
            run(processor, recorder, lifecycle, "warm-up", 0, warmUp, threads);
            boolean stats = Boolean.getBoolean("musubi.bench.statements") && url == null;
            if (stats) {
                sql(dir, "SET QUERY_STATISTICS_MAX_ENTRIES 1000");
                sql(dir, "SET QUERY_STATISTICS TRUE");
            }
            String h2 = url == null ? "jdbc:h2:file:" + dir.resolve("history").toAbsolutePath()
                    : url.startsWith("jdbc:h2:") ? url : null;
            long[] io = h2 == null ? null : fileIo(h2);
            run(processor, recorder, lifecycle, "measured", warmUp, events, threads);
            if (io != null) {
                long[] after = fileIo(h2);
                System.out.printf("H2 file: %.1f KB written and %.1f KB read per event%n",
                        (after[0] - io[0]) / 1024.0 / events, (after[1] - io[1]) / 1024.0 / events);
            }
            if (stats) {
                statements(dir, events);
            }
        } finally {
            jdbc.close();
        }
    }

    private static void run(IngressProcessor processor, AcdHistoryRecorder recorder, Lifecycle lifecycle, String what,
                            int from, int n, int threads) throws Exception {
        if (n <= 0) {
            return;
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AtomicInteger next = new AtomicInteger(from);
        int end = from + n;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try {
            Future<?>[] callers = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                callers[t] = pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < end; i = next.getAndIncrement()) {
                        processor.handle(event(i));
                        if (lifecycle != null) {
                            lifecycle.answerOffers();
                        }
                    }
                    return null;
                });
            }
            for (Future<?> f : callers) {
                f.get();
            }
            if (lifecycle != null) {
                lifecycle.awaitEnded(end);
            }
            long handled = System.nanoTime() - t0;
            recorder.awaitRecorded();
            long all = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            System.out.printf("%-9s %,7d events: %,6.0f events/s handled (%,.1f s), %,6.0f events/s with the ACD's "
                            + "history recorded; CPU %.2f ms/event%n", what, n, n / (handled / 1e9), handled / 1e9,
                    n / (all / 1e9), cpu / 1e6 / n);
        } finally {
            pool.shutdownNow();
        }
    }

    /** H2's count of bytes written to and read from its file so far (a measure of the pages it rewrites). */
    private static long[] fileIo(String h2Url) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(h2Url, "musubi", "");
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME IN ('info.FILE_WRITE_BYTES', 'info.FILE_READ_BYTES')")) {
            long[] io = new long[2];
            while (rs.next()) {
                io[rs.getString(1).endsWith("WRITE_BYTES") ? 0 : 1] = Long.parseLong(rs.getString(2));
            }
            return io;
        }
    }

    private static void sql(Path dir, String statement) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("history")
                .toAbsolutePath(), "musubi", ""); java.sql.Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** H2's statement statistics of the measured run: executions per event and time, the costliest first. */
    private static void statements(Path dir, int events) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("history")
                .toAbsolutePath(), "musubi", ""); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT EXECUTION_COUNT, CUMULATIVE_EXECUTION_TIME, SQL_STATEMENT "
                     + "FROM INFORMATION_SCHEMA.QUERY_STATISTICS ORDER BY CUMULATIVE_EXECUTION_TIME DESC LIMIT 40")) {
            double total = 0;
            long count = 0;
            StringBuilder lines = new StringBuilder();
            while (rs.next()) {
                long n = rs.getLong(1);
                double ms = rs.getDouble(2);
                total += ms;
                count += n;
                String text = rs.getString(3).replaceAll("\\s+", " ");
                lines.append(String.format("  %6.2f/event %8.0f ms  %s%n", (double) n / events, ms,
                        text.length() > 150 ? text.substring(0, 150) : text));
            }
            System.out.printf("statements: %.1f per event, %.2f ms per event inside H2%n%s", (double) count / events,
                    total / events, lines);
        }
    }

    /**
     * {@code -Dmusubi.bench.customers=N}: events come from N numbers in turn, so after the first N each is a message from
     * a known customer on its open conversation (the most common event of a running contact center) instead of a new
     * customer and conversation. 0 (the default): every event from its own number.
     */
    private static final int CUSTOMERS = Integer.getInteger("musubi.bench.customers", 0);

    /**
     * {@code -Dmusubi.bench.keys=sequential}: numbers and message ids counted up (+819000000001, +819000000002 …), so every
     * index keyed by them grows at its end. The default, {@code random}, spreads them as real traffic does (a contact
     * center's callers are not numbered in the order they write; a provider's message ids are random): each new one
     * lands at a random place of those indexes.
     */
    private static final boolean SEQUENTIAL_KEYS = "sequential".equals(System.getProperty("musubi.bench.keys", "random"));

    /**
     * {@code -Dmusubi.bench.lifecycle=true}: the default queue with {@code agents} available agents whose offers the
     * callers accept and end at once, so each interaction goes through what the REST offer path makes of it.
     */
    private static final class Lifecycle implements AcdListener {
        private static final String QUEUE = "default/default";
        private final AcdEngine acd;
        private final ConcurrentLinkedQueue<String[]> offered = new ConcurrentLinkedQueue<>();
        private final AtomicInteger ended = new AtomicInteger();

        Lifecycle(AcdEngine acd, int agents) {
            this.acd = acd;
            QueueDefinition.Builder queue = QueueDefinition.builder(QUEUE).name("Default").channels(Channel.values());
            for (int a = 0; a < agents; a++) {
                String id = "default/bench-a" + a;
                acd.defineAgent(AgentDefinition.builder(id).capacity(Channel.SMS, 1_000).sharedCapacity(1_000)
                        .build());
                queue.member(id);
            }
            acd.defineQueue(queue.build());
            for (int a = 0; a < agents; a++) {
                acd.setPresence("default/bench-a" + a, PresenceState.AVAILABLE, "", Actors.agent("bench-a" + a));
            }
            acd.addListener(this);
        }

        @Override
        public void onInteractionEvent(InteractionEvent e) {
            switch (e.type()) {
                case OFFERED -> offered.add(new String[] {e.interactionId(), e.attributes().get(AcdAttributes.AGENT_ID)});
                case ENDED -> ended.incrementAndGet();
                default -> { }
            }
        }

        /** Accepts and ends what has been offered so far, as the agents would. */
        void answerOffers() {
            for (String[] o; (o = offered.poll()) != null; ) {
                acd.accept(o[0], o[1]);
                acd.end(o[0], Actors.agent(o[1]));
            }
        }

        /** Answers offers until {@code total} interactions have ended since the start. */
        void awaitEnded(int total) throws InterruptedException {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
            while (ended.get() < total) {
                answerOffers();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + ended.get() + " of " + total + " interactions ended");
                }
                Thread.sleep(1);
            }
        }
    }

    private static InboundEvent event(int i) {
        int sender = CUSTOMERS > 0 ? i % CUSTOMERS : i;
        String number = String.format("+8190%08d", SEQUENTIAL_KEYS ? sender : spread(sender));
        String sid = SEQUENTIAL_KEYS ? String.format("%032x", i)
                : java.util.UUID.nameUUIDFromBytes(("sid/" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString().replace("-", "");
        return new InboundEvent("SM" + sid, "twilio/bench", "default", Channel.SMS,
                InteractionEventType.MESSAGE_IN, Address.of("tel", number), Address.of("tel", "+81501234567"),
                number, MessageContent.text("お問い合わせ " + i), Map.of(), Instant.now());
    }

    /** One number of eight digits per sender, all different, in no particular order (48 271 is prime to 10^8). */
    static long spread(int sender) {
        return (sender * 48_271L + 12_345L) % 100_000_000L;
    }
}
