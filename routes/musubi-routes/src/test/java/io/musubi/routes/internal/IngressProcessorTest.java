package io.musubi.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.history.JdbcHistory;
import io.musubi.history.JdbcSettings;
import io.musubi.history.JourneyQuery;
import io.musubi.identity.IdentityService;
import io.musubi.identity.IdentityServices;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.MessageContent;
import io.musubi.model.PresenceState;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingress handling on real parts: an embedded H2 history, the identity service and the ACD engine. */
class IngressProcessorTest {

    private static final String T = "t1";
    private static final String QUEUE = T + "/default";
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    private JdbcHistory history;
    private IdentityService identity;
    private AcdEngine acd;
    private IngressProcessor processor;

    @BeforeEach
    void setUp() {
        history = JdbcHistory.open(JdbcSettings.embedded(dir.resolve("history")));
        identity = IdentityServices.create(history.customers(), "JP");
        acd = Acd.newEngine(new ManualClock(T0));
        acd.defineQueue(QueueDefinition.builder(QUEUE).channels(Channel.values()).build());
        acd.addListener(new AcdHistoryRecorder(history.store(), new HubEvents()));
        processor = new IngressProcessor(identity, history.store(), history.idempotency(), acd,
                "default", false, List::of, new HubEvents());
    }

    @AfterEach
    void tearDown() {
        history.close();
    }

    private static InboundEvent line(String id, String text, Instant at) {
        return new InboundEvent(id, "line.main", T, Channel.LINE, InteractionEventType.MESSAGE_IN,
                Address.parse("line:U4af4980629"), Address.parse("line:@musubi"), "U4af4980629",
                MessageContent.text(text), Map.of(), at);
    }

    private List<InteractionEvent> journey(String customerId) {
        return history.store().journey(JourneyQuery.of(T, customerId)).events();
    }

    @Test
    void aListenerFailureLeavesTheEventUnmarkedSoTheRedeliveryTellsListenersAgain() throws Exception {
        java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean(true);
        IngressProcessor withListener = new IngressProcessor(identity, history.store(), history.idempotency(), acd,
                "default", false, () -> List.of(e -> {
                    if (fail.getAndSet(false)) {
                        throw new IllegalStateException("listener down");
                    }
                    told.add(e.eventId());
                }), new HubEvents());
        InboundEvent e = line("wh-1", "one", T0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> withListener.handle(e))
                .hasMessage("listener down");
        assertThat(history.idempotency().isProcessed(T, e.source(), e.eventId())).isFalse();

        assertThat(withListener.handle(e)).isTrue();
        assertThat(told).containsExactly("wh-1");
        assertThat(acd.waiting(QUEUE)).hasSize(1);
    }

    @Test
    void aFirstMessageOpensAnInteractionQueuesItAndLandsInTheJourney() throws Exception {
        assertThat(processor.handle(line("wh-1", "こんにちは", T0))).isTrue();

        String customer = identity.findByAddress(T, Address.parse("line:U4af4980629")).orElseThrow().id();
        List<InteractionEvent> events = journey(customer);
        assertThat(events).extracting(InteractionEvent::type)
                .containsExactly(InteractionEventType.ARRIVED, InteractionEventType.MESSAGE_IN, InteractionEventType.QUEUED);
        assertThat(events.get(1).content().text()).isEqualTo("こんにちは");
        String interactionId = events.get(0).interactionId();
        assertThat(acd.waiting(QUEUE)).extracting(w -> w.interactionId()).containsExactly(interactionId);
        assertThat(history.store().findInteraction(T, interactionId).orElseThrow().state())
                .isEqualTo(InteractionState.QUEUED);
    }

    @Test
    void followUpMessagesOnTheThreadJoinTheOpenInteraction() throws Exception {
        processor.handle(line("wh-1", "one", T0));
        processor.handle(line("wh-2", "two", T0.plusSeconds(5)));

        String customer = identity.findByAddress(T, Address.parse("line:U4af4980629")).orElseThrow().id();
        List<InteractionEvent> events = journey(customer);
        assertThat(events).extracting(InteractionEvent::interactionId).containsOnly(events.get(0).interactionId());
        assertThat(events).filteredOn(e -> e.type() == InteractionEventType.MESSAGE_IN).hasSize(2);
        assertThat(acd.waiting(QUEUE)).hasSize(1);
    }

    @Test
    void aDuplicateDeliveryCreatesNothing() throws Exception {
        assertThat(processor.handle(line("wh-1", "one", T0))).isTrue();
        assertThat(processor.handle(line("wh-1", "one", T0))).isFalse();

        String customer = identity.findByAddress(T, Address.parse("line:U4af4980629")).orElseThrow().id();
        assertThat(journey(customer)).hasSize(3);
        assertThat(acd.waiting(QUEUE)).hasSize(1);
    }

    @Test
    void aRetryAfterACrashBeforeTheEventWasMarkedWritesNothingTwice() throws Exception {
        InboundEvent e = line("wh-1", "one", T0);
        processor.handle(e);
        // Simulate the crash window: effects written, processed-mark lost.
        history.idempotency().unmark(T, e.source(), e.eventId());

        assertThat(processor.handle(e)).isTrue();

        String customer = identity.findByAddress(T, Address.parse("line:U4af4980629")).orElseThrow().id();
        assertThat(journey(customer)).extracting(InteractionEvent::type)
                .containsExactly(InteractionEventType.ARRIVED, InteractionEventType.MESSAGE_IN, InteractionEventType.QUEUED);
        assertThat(acd.waiting(QUEUE)).hasSize(1);
    }

    @Test
    void anEndedConversationIsFollowedByANewInteraction() throws Exception {
        String hanako = T + "/hanako";     // an agent of the event's tenant
        acd.defineAgent(AgentDefinition.builder(hanako).build());
        acd.setPresence(hanako, PresenceState.AVAILABLE, "", Actors.agent(hanako));
        processor.handle(line("wh-1", "one", T0));
        String first = acd.agents().get(0).offered().get(0);
        acd.accept(first, hanako);
        acd.end(first, Actors.agent(hanako));

        processor.handle(line("wh-2", "again", T0.plusSeconds(3600)));

        String customer = identity.findByAddress(T, Address.parse("line:U4af4980629")).orElseThrow().id();
        List<String> interactions = journey(customer).stream().map(InteractionEvent::interactionId).distinct().toList();
        assertThat(interactions).hasSize(2).startsWith(first);
        assertThat(history.store().findInteraction(T, first).orElseThrow().state())
                .isIn(InteractionState.WRAP_UP, InteractionState.ENDED);
    }

    @Test
    void aWithheldCallerGetsAnInteractionButNoCustomer() throws Exception {
        InboundEvent call = new InboundEvent("call-1", "asterisk.pbx1", T, Channel.VOICE, InteractionEventType.ARRIVED,
                Address.parse("tel:anonymous"), Address.parse("tel:+81312345678"), "1732000000.1", null, Map.of(), T0);
        assertThat(processor.handle(call)).isTrue();
        assertThat(acd.waiting(QUEUE)).singleElement()
                .satisfies(w -> assertThat(w.customerId()).isEmpty());
    }

    @Test
    void concurrentSubmissionsOnOneThreadOpenOneInteractionAndEveryRecordedEventIsPublishedOnce() throws Exception {
        HubEvents events = new HubEvents();
        List<InteractionEvent> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        events.add(published::add);
        acd.addListener(new AcdHistoryRecorder(history.store(), events));
        IngressProcessor intake = new IngressProcessor(identity, history.store(), history.idempotency(), acd,
                "default", false, List::of, events);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.Set<String> ids = new java.util.HashSet<>();
        try {
            List<java.util.concurrent.Future<Interaction>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                InboundEvent e = line("api-" + i, "m" + i, T0.plusMillis(i));
                results.add(pool.submit(() -> intake.submit(e)));
            }
            for (java.util.concurrent.Future<Interaction> f : results) {
                ids.add(f.get().id());
            }
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(acd.waiting(QUEUE)).hasSize(1);
        assertThat(published).filteredOn(e -> e.type() == InteractionEventType.MESSAGE_IN).hasSize(40);
        assertThat(published).filteredOn(e -> e.type() == InteractionEventType.ARRIVED).hasSize(1);
        assertThat(published).filteredOn(e -> e.type() == InteractionEventType.QUEUED).hasSize(1);
        assertThat(published).extracting(InteractionEvent::id).doesNotHaveDuplicates();

        InboundEvent again = line("api-7", "m7", T0.plusMillis(7));
        assertThat(intake.submit(again).id()).isEqualTo(ids.iterator().next());
        assertThat(published).filteredOn(e -> e.type() == InteractionEventType.MESSAGE_IN).hasSize(40);
    }

    @Test
    void anUnknownQueueFallsBackToTheTenantDefaultQueueCreatedOnFirstUse() throws Exception {
        IngressProcessor creating = new IngressProcessor(identity, history.store(), history.idempotency(), acd,
                "inbox", true, List::of, new HubEvents());
        InboundEvent e = new InboundEvent("q-1", "line.main", "acme", Channel.LINE, InteractionEventType.MESSAGE_IN,
                Address.parse("line:U0000000001"), null, "", MessageContent.text("hi"),
                Map.of("musubi.queue", "nope"), T0);
        Interaction i = creating.submit(e);
        assertThat(i.queueId()).isEqualTo("acme/inbox");
        assertThat(acd.waiting("acme/inbox")).extracting(w -> w.interactionId()).containsExactly(i.id());
        assertThat(acd.waiting(QUEUE)).isEmpty();
    }
}
