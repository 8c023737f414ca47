package io.musubi.hub.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.testkit.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.api.Health;
import io.musubi.model.InteractionEventType;
import io.musubi.spi.Backoff;
import io.musubi.store.HistoryStore;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.testkit.Await;
import io.musubi.testkit.HeldFlushes;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the ACD does, as the history's current picture of an interaction shows it. */
class AcdHistoryRecorderTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    private JdbcStore history;
    private AcdEngine acd;
    private final ManualClock clock = new ManualClock(T0);

    @BeforeEach
    void setUp() {
        history = JdbcStore.open(JdbcSettings.embedded(dir.resolve("history")));
        acd = Acd.newEngine(clock);
        acd.addListener(new AcdHistoryRecorder(history.store(), history.transactions(), new HubEvents()).listener());
        acd.defineQueue(QueueDefinition.builder("t1/q").channels(Channel.values()).wrapUp(Duration.ofSeconds(60))
                .build());
        acd.defineAgent(AgentDefinition.builder("t1/alice").build());
        acd.setPresence("t1/alice", PresenceState.AVAILABLE, "", Actors.agent("alice"));
    }

    @AfterEach
    void tearDown() {
        history.close();
    }

    @Test
    void theDispositionSetAtWrapUpStaysOnTheInteractionWhenItEnds() {
        Interaction i = new Interaction("i-1", "t1", Channel.WEBCHAT, "c-1", Address.parse("webchat:v1"), null, "",
                "t1/q", 0, Map.of(), InteractionState.NEW, T0, T0, "", "");
        history.store().saveInteraction(i);
        acd.enqueue(i);
        acd.accept("i-1", "t1/alice");

        acd.setDisposition("i-1", "answered", Actors.agent("alice"));
        acd.end("i-1", Actors.agent("alice"));
        assertThat(stored().disposition()).isEqualTo("answered");
        acd.completeWrapUp("i-1", "", Actors.agent("alice"));

        Interaction ended = stored();
        assertThat(ended.state()).isEqualTo(InteractionState.ENDED);
        assertThat(ended.disposition()).isEqualTo("answered");
    }

    @Test
    void eventsTheStoreRefusesAreWrittenLaterInOrderAndOnlyThenPublished() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        HistoryStore flaky = appendsFailingWhile(failing);
        HubEvents events = new HubEvents();
        List<InteractionEventType> published = new CopyOnWriteArrayList<>();
        events.add(e -> published.add(e.type()));
        AcdHistoryRecorder recorder = new AcdHistoryRecorder(flaky, history.transactions(), events,
                new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)));
        AcdEngine engine = engineRecordedBy(recorder);
        engine.defineAgent(AgentDefinition.builder("t1/bob").build());
        engine.setPresence("t1/bob", PresenceState.AVAILABLE, "", Actors.agent("bob"));
        Interaction i = new Interaction("i-2", "t1", Channel.WEBCHAT, "c-1", Address.parse("webchat:v2"), null, "",
                "t1/q", 0, Map.of(), InteractionState.NEW, T0, T0, "", "");
        history.store().saveInteraction(i);

        failing.set(true);
        engine.enqueue(i);
        engine.accept("i-2", "t1/bob");
        Await.until("the store's refusal seen", Duration.ofSeconds(30),
                () -> recorder.health().status() == Health.Status.DEGRADED);
        assertThat(recorder.backlog()).isGreaterThanOrEqualTo(3);
        assertThat(published).isEmpty();

        failing.set(false);
        Await.until("the backlog written", Duration.ofSeconds(30), () -> recorder.backlog() == 0);
        assertThat(recorder.health().status()).isEqualTo(Health.Status.UP);
        assertThat(history.store().interactionEvents("t1", "i-2").stream().map(e -> e.type()).toList())
                .containsExactly(InteractionEventType.QUEUED, InteractionEventType.OFFERED,
                        InteractionEventType.ACCEPTED);
        assertThat(published).containsExactly(InteractionEventType.QUEUED, InteractionEventType.OFFERED,
                InteractionEventType.ACCEPTED);
        assertThat(history.store().findInteraction("t1", "i-2").orElseThrow().state())
                .isEqualTo(InteractionState.CONNECTED);
        recorder.deactivate();
    }

    @Test
    void decisionsMadeWhileAWriteIsUnderWayShareOneTransactionAndAreToldOnlyOnceDurable() throws Exception {
        java.util.concurrent.CountDownLatch firstWriteStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger transactions = new java.util.concurrent.atomic.AtomicInteger();
        io.musubi.store.StoreTransactions counting = new io.musubi.store.StoreTransactions() {
            @Override
            public <T> T inTransaction(java.util.function.Supplier<T> work) {
                if (transactions.incrementAndGet() == 1) {
                    firstWriteStarted.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return history.transactions().inTransaction(work);
            }
        };
        HubEvents events = new HubEvents();
        List<String> published = new CopyOnWriteArrayList<>();
        events.add(e -> published.add(e.interactionId() + ":" + e.type()));
        AcdHistoryRecorder recorder = new AcdHistoryRecorder(history.store(), counting, events);
        AcdEngine engine = engineRecordedBy(recorder);
        for (int n = 0; n < 50; n++) {
            Interaction i = new Interaction("i-" + n, "t1", Channel.WEBCHAT, "c-" + n, Address.parse("webchat:v" + n),
                    null, "", "t1/q", 0, Map.of(), InteractionState.NEW, T0, T0, "", "");
            history.store().saveInteraction(i);
            engine.enqueue(i);
            if (n == 0) {
                assertThat(firstWriteStarted.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(published).isEmpty();
        release.countDown();
        recorder.awaitRecorded();

        // The first QUEUED in one transaction, the 49 decided meanwhile in one more.
        assertThat(transactions.get()).isEqualTo(2);
        assertThat(published).hasSize(50).startsWith("i-0:QUEUED", "i-1:QUEUED").endsWith("i-49:QUEUED");
        for (int n = 0; n < 50; n++) {
            assertThat(history.store().findInteraction("t1", "i-" + n).orElseThrow().state())
                    .isEqualTo(InteractionState.QUEUED);
        }
        recorder.deactivate();
    }

    @Test
    void aCallerReturnsOnceItsOwnDecisionsAreWrittenNotLaterAndNotEarlier() throws Exception {
        java.util.concurrent.CountDownLatch[] releases = {new java.util.concurrent.CountDownLatch(1),
                new java.util.concurrent.CountDownLatch(1)};
        java.util.concurrent.atomic.AtomicInteger transactions = new java.util.concurrent.atomic.AtomicInteger();
        io.musubi.store.StoreTransactions gated = new io.musubi.store.StoreTransactions() {
            @Override
            public <T> T inTransaction(java.util.function.Supplier<T> work) {
                int n = transactions.incrementAndGet();
                if (n <= releases.length) {
                    try {
                        releases[n - 1].await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return history.transactions().inTransaction(work);
            }
        };
        AcdHistoryRecorder recorder = new AcdHistoryRecorder(history.store(), gated, new HubEvents());
        AcdEngine engine = engineRecordedBy(recorder);
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newCachedThreadPool();
        try {
            enqueue(engine, 0);
            Await.until("the first batch is being written", Duration.ofSeconds(30), () -> transactions.get() == 1);
            // 40 callers wait for the first decision (one target), then 40 for the second (the next batch).
            List<java.util.concurrent.Future<?>> first = new java.util.ArrayList<>();
            for (int n = 0; n < 40; n++) {
                first.add(callers.submit(recorder::awaitRecorded));
            }
            // All 40 must have joined before the second decision, or a late one would wait for the second batch.
            Await.until("the first callers wait", Duration.ofSeconds(30), () -> recorder.callersWaitingFor(1) == 40);
            enqueue(engine, 1);
            List<java.util.concurrent.Future<?>> second = new java.util.ArrayList<>();
            for (int n = 0; n < 40; n++) {
                second.add(callers.submit(recorder::awaitRecorded));
            }
            Await.until("the second callers wait", Duration.ofSeconds(30), () -> recorder.callersWaitingFor(2) == 40);
            assertThat(recorder.waitingTargets()).isEqualTo(2);
            assertThat(first).noneMatch(java.util.concurrent.Future::isDone);

            releases[0].countDown();
            for (java.util.concurrent.Future<?> f : first) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(history.store().findInteraction("t1", "i-0").orElseThrow().state())
                    .isEqualTo(InteractionState.QUEUED);
            Await.until("the second batch is being written", Duration.ofSeconds(30), () -> transactions.get() == 2);
            assertThat(second).noneMatch(java.util.concurrent.Future::isDone);
            assertThat(history.store().findInteraction("t1", "i-1").orElseThrow().state())
                    .isEqualTo(InteractionState.NEW);

            releases[1].countDown();
            for (java.util.concurrent.Future<?> f : second) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(history.store().findInteraction("t1", "i-1").orElseThrow().state())
                    .isEqualTo(InteractionState.QUEUED);
            assertThat(recorder.waitingTargets()).isZero();
        } finally {
            releases[0].countDown();
            releases[1].countDown();
            callers.shutdownNow();
            recorder.deactivate();
        }
    }

    @Test
    void theNextBatchIsCommittedWhileThePreviousOneIsFlushedAndPublishedOnlyOnceDurable() throws Exception {
        HeldFlushes store = new HeldFlushes(history.transactions());
        HubEvents events = new HubEvents();
        List<String> published = new CopyOnWriteArrayList<>();
        events.add(e -> published.add(e.interactionId() + ":" + e.type()));
        AcdHistoryRecorder recorder = new AcdHistoryRecorder(history.store(), store, events,
                new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)));
        AcdEngine engine = engineRecordedBy(recorder);
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            enqueue(engine, 0);
            Await.until("the first batch committed and its flush asked for", Duration.ofSeconds(30),
                    () -> store.commits.get() == 1 && store.flushCalls.get() == 1);
            java.util.concurrent.Future<?> caller = callers.submit(recorder::awaitRecorded);
            // The writer does not wait for the flush: the next decision is committed meanwhile.
            enqueue(engine, 1);
            Await.until("the second batch committed during the first flush", Duration.ofSeconds(30),
                    () -> store.commits.get() == 2);
            assertThat(history.store().findInteraction("t1", "i-1").orElseThrow().state())
                    .isEqualTo(InteractionState.QUEUED);
            // Committed is not durable: nobody is told yet.
            assertThat(published).isEmpty();
            assertThat(caller.isDone()).isFalse();
            assertThat(recorder.backlog()).isEqualTo(2);

            store.failures.set(1);
            store.flushes.release(1); // this flush fails: still nothing published, tried again
            Await.until("the failed flush tried again", Duration.ofSeconds(30), () -> store.flushCalls.get() >= 2);
            assertThat(published).isEmpty();
            assertThat(recorder.health().status()).isNotEqualTo(Health.up("").status());

            store.flushes.release(100);
            caller.get(30, java.util.concurrent.TimeUnit.SECONDS);
            Await.until("both published", Duration.ofSeconds(30), () -> published.size() == 2);
            assertThat(published).containsExactly("i-0:QUEUED", "i-1:QUEUED");
            assertThat(recorder.backlog()).isZero();
            Await.until("healthy again", Duration.ofSeconds(30),
                    () -> recorder.health().status() == Health.up("").status());
        } finally {
            store.flushes.release(1_000);
            callers.shutdownNow();
            recorder.deactivate();
        }
    }

    @Test
    void theHealthStaysDegradedWhileTheWriterFailsAlthoughTheFlushRecovered() throws Exception {
        HeldFlushes store = new HeldFlushes(history.transactions());
        AtomicBoolean failing = new AtomicBoolean();
        HubEvents events = new HubEvents();
        List<String> published = new CopyOnWriteArrayList<>();
        events.add(e -> published.add(e.interactionId() + ":" + e.type()));
        // Long enough back-off that the writer sleeps between its attempts when the publisher recovers.
        AcdHistoryRecorder recorder = new AcdHistoryRecorder(appendsFailingWhile(failing), store, events,
                new Backoff(Duration.ofMillis(300), Duration.ofMillis(600)));
        AcdEngine engine = engineRecordedBy(recorder);
        try {
            enqueue(engine, 0);
            Await.until("the first batch committed and its flush asked for", Duration.ofSeconds(30),
                    () -> store.commits.get() == 1 && store.flushCalls.get() == 1);
            failing.set(true);
            enqueue(engine, 1);
            store.failures.set(1);
            store.flushes.release(1); // the flush fails too
            Await.until("both threads failing", Duration.ofSeconds(30), () -> store.flushCalls.get() >= 2
                    && recorder.health().status() == Health.Status.DEGRADED);

            store.flushes.release(100); // the flush recovers and publishes the first batch; the writer still fails
            Await.until("the first batch published", Duration.ofSeconds(30), () -> published.size() == 1);
            assertThat(recorder.health().status()).isEqualTo(Health.Status.DEGRADED);
            assertThat(recorder.health().detail()).contains("IllegalStateException");
            assertThat(recorder.backlog()).isEqualTo(1);

            failing.set(false);
            Await.until("the second batch published", Duration.ofSeconds(30), () -> published.size() == 2);
            Await.until("healthy again", Duration.ofSeconds(30),
                    () -> recorder.health().status() == Health.Status.UP);
            assertThat(published).containsExactly("i-0:QUEUED", "i-1:QUEUED");
        } finally {
            store.flushes.release(1_000);
            recorder.deactivate();
        }
    }

    /** The test store, whose appends throw while {@code failing} is set. */
    private HistoryStore appendsFailingWhile(AtomicBoolean failing) {
        return (HistoryStore) Proxy.newProxyInstance(HistoryStore.class.getClassLoader(),
                new Class<?>[] {HistoryStore.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("append") && failing.get()) {
                        throw new IllegalStateException("store unavailable");
                    }
                    try {
                        return method.invoke(history.store(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** An engine with one queue that takes every channel, whose events go to {@code recorder}. */
    private AcdEngine engineRecordedBy(AcdHistoryRecorder recorder) {
        AcdEngine engine = Acd.newEngine(clock);
        engine.setEventSink(recorder);
        engine.defineQueue(QueueDefinition.builder("t1/q").channels(Channel.values()).build());
        return engine;
    }

    private void enqueue(AcdEngine engine, int n) {
        Interaction i = new Interaction("i-" + n, "t1", Channel.WEBCHAT, "c-" + n, Address.parse("webchat:v" + n),
                null, "", "t1/q", 0, Map.of(), InteractionState.NEW, T0, T0, "", "");
        history.store().saveInteraction(i);
        engine.enqueue(i);
    }

    private Interaction stored() {
        return history.store().findInteraction("t1", "i-1").orElseThrow();
    }
}
