package io.musubi.hub.internal.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.hub.internal.events.AcdHistoryRecorder;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.identity.IdentityServices;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.PresenceState;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.testkit.Await;
import io.musubi.testkit.HeldFlushes;
import io.musubi.testkit.ManualClock;
import io.musubi.testkit.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's wiring of the ingress ({@link IngressProcessor#routeBeforeDurable}): a new interaction is routed as soon
 * as its transaction committed, while nobody is told of it, nor is the event acknowledged, before that commit is
 * durable; the stream still shows the arrival before the ACD's decisions on it. Real H2, engine and recorder; only
 * the flushes are held.
 */
class IngressRoutesBeforeDurableTest {

    private static final String T = "t1";
    private static final String QUEUE = T + "/default";
    private static final String AGENT = T + "/hanako";
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path dir;

    private JdbcStore history;
    private HeldFlushes transactions;
    private AcdEngine acd;
    private AcdHistoryRecorder recorder;
    private IngressProcessor processor;
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @BeforeEach
    void setUp() {
        history = TestStores.h2(dir.resolve("history"));
        transactions = new HeldFlushes(history.transactions());
        HubEvents events = new HubEvents();
        events.add(e -> published.add(e.type().name()));
        acd = Acd.newEngine(new ManualClock(T0));
        acd.defineQueue(QueueDefinition.builder(QUEUE).channels(Channel.values()).build());
        recorder = new AcdHistoryRecorder(history.store(), transactions, events);
        acd.setEventSink(recorder);
        acd.defineAgent(AgentDefinition.builder(AGENT).build());
        acd.setPresence(AGENT, PresenceState.AVAILABLE, "", Actors.agent(AGENT));
        processor = new IngressProcessor(IdentityServices.create(history.customers(), "JP"), history.store(),
                history.idempotency(), acd, "default", false, List::of, events, transactions);
        processor.routeBeforeDurable(recorder::publishCommitted);
    }

    @AfterEach
    void tearDown() throws Exception {
        transactions.flushes.release(10_000);
        caller.shutdownNow();
        recorder.awaitRecorded(); // nothing left to write when the store closes (its threads are daemons)
        history.close();
    }

    private static InboundEvent line(String id, String text) {
        return new InboundEvent(id, "line.main", T, Channel.LINE, InteractionEventType.MESSAGE_IN,
                Address.parse("line:U4af4980629"), Address.parse("line:@musubi"), "U4af4980629",
                MessageContent.text(text), Map.of(), T0);
    }

    @Test
    void aNewInteractionIsOfferedBeforeItsFlushButToldAndAcknowledgedOnlyOnceDurableArrivalFirst() throws Exception {
        Future<Boolean> handled = caller.submit(() -> processor.handle(line("wh-1", "こんにちは")));

        // Routed while its commit waits for the flush: the agent has the offer in the engine already.
        Await.until("the interaction offered in the engine", Duration.ofSeconds(30),
                () -> !acd.agents().get(0).offered().isEmpty());
        String interactionId = acd.agents().get(0).offered().get(0);
        assertThat(history.store().findInteraction(T, interactionId)).as("committed").isPresent();
        // Nobody is told, and the event is not acknowledged, before a flush made it durable.
        assertThat(published).isEmpty();
        assertThat(handled.isDone()).isFalse();

        transactions.flushes.release(10_000);
        assertThat(handled.get(30, TimeUnit.SECONDS)).isTrue();
        Await.until("everything published", Duration.ofSeconds(30), () -> published.size() >= 4);
        assertThat(published).containsExactly("ARRIVED", "MESSAGE_IN", "QUEUED", "OFFERED");
        assertThat(transactions.flushCalls.get()).as("the ingress waited for durability itself").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aRepeatedEventIsNeitherRoutedNorToldTwice() throws Exception {
        transactions.flushes.release(10_000);
        assertThat(processor.handle(line("wh-1", "one"))).isTrue();
        assertThat(processor.handle(line("wh-1", "one"))).isFalse();
        recorder.awaitRecorded();
        assertThat(published).containsExactly("ARRIVED", "MESSAGE_IN", "QUEUED", "OFFERED");
    }

    @Test
    void aCallBackForLaterIsToldOfOnlyAfterItsArrival() throws Exception {
        // The hub's scheduler holds a call-back with a due time back and tells of it at once (CALLBACK_SCHEDULED);
        // here a stand-in that does the same for any interaction with the attribute.
        HubEvents events = new HubEvents();
        events.add(e -> published.add(e.type().name()));
        IngressProcessor withScheduler = new IngressProcessor(IdentityServices.create(history.customers(), "JP"),
                history.store(), history.idempotency(), acd, "default", false, List::of, events, transactions, i -> {
                    if (!i.attributes().containsKey(io.musubi.api.ScheduledInteractions.DUE_AT)) {
                        return false;
                    }
                    events.publish(io.musubi.model.InteractionEvent.of(i.id() + "-scheduled", i.tenantId(), i.id(),
                            i.customerId(), i.channel(), InteractionEventType.CALLBACK_SCHEDULED, T0, "system",
                            Map.of()));
                    return true;
                });
        withScheduler.routeBeforeDurable(recorder::publishCommitted);
        transactions.flushes.release(10_000);
        InboundEvent callBack = new InboundEvent("cb-1", "callback.test", T, Channel.VOICE, InteractionEventType.ARRIVED,
                Address.parse("tel:+81312345678"), null, "", null,
                Map.of(io.musubi.api.ScheduledInteractions.DUE_AT, "2026-12-05T15:00:00Z"), T0);

        assertThat(withScheduler.handle(callBack)).isTrue();
        recorder.awaitRecorded();
        assertThat(published).containsExactly("ARRIVED", "CALLBACK_SCHEDULED");
        assertThat(acd.agents().get(0).offered()).as("held back, not routed").isEmpty();
    }
}
