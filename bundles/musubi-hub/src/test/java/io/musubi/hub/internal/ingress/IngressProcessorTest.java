package io.musubi.hub.internal.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.hub.internal.events.AcdHistoryRecorder;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.testkit.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.api.InboundEventRefusedException;
import io.musubi.api.InteractionIntake;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.JourneyQuery;
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

import io.musubi.testkit.TestStores;
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

    private JdbcStore history;
    private IdentityService identity;
    private AcdEngine acd;
    private IngressProcessor processor;

    @BeforeEach
    void setUp() {
        history = TestStores.h2(dir.resolve("history"));
        identity = IdentityServices.create(history.customers(), "JP");
        acd = Acd.newEngine(new ManualClock(T0));
        acd.defineQueue(QueueDefinition.builder(QUEUE).channels(Channel.values()).build());
        acd.addListener(new AcdHistoryRecorder(history.store(), history.transactions(), new HubEvents()).listener());
        processor = new IngressProcessor(identity, history.store(), history.idempotency(), acd,
                "default", false, List::of, new HubEvents(), history.transactions());
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
                }), new HubEvents(), history.transactions());
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
        acd.addListener(new AcdHistoryRecorder(history.store(), history.transactions(), events).listener());
        IngressProcessor intake = new IngressProcessor(identity, history.store(), history.idempotency(), acd,
                "default", false, List::of, events, history.transactions());
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
    void aConnectorEventNamingAnUnknownQueueFallsBackToTheTenantDefaultQueueCreatedOnFirstUse() throws Exception {
        IngressProcessor creating = new IngressProcessor(identity, history.store(), history.idempotency(), acd,
                "inbox", true, List::of, new HubEvents(), history.transactions());
        InboundEvent e = new InboundEvent("q-1", "line.main", "acme", Channel.LINE, InteractionEventType.MESSAGE_IN,
                Address.parse("line:U0000000001"), null, "", MessageContent.text("hi"),
                Map.of("musubi.queue", "nope"), T0);
        assertThat(creating.handle(e)).isTrue();
        Interaction i = history.store().findOpenInteraction("acme", Channel.LINE, "line:U0000000001").orElseThrow();
        assertThat(i.queueId()).isEqualTo("acme/inbox");
        assertThat(acd.waiting("acme/inbox")).extracting(w -> w.interactionId()).containsExactly(i.id());
        assertThat(acd.waiting(QUEUE)).isEmpty();
    }

    // ---- issue #9 item 6: a refused event stores nothing

    private static InboundEvent api(String messageId, String from, String text, Map<String, String> attributes) {
        return new InboundEvent(messageId, InteractionIntake.API_SOURCE, T, Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, Address.parse(from), null, "", MessageContent.text(text), attributes,
                T0);
    }

    private void assertNothingStoredFor(String from) {
        assertThat(identity.findByAddress(T, Address.parse(from))).isEmpty();
        assertThat(history.store().findOpenInteraction(T, Channel.WEBCHAT, from)).isEmpty();
    }

    @Test
    void anApiEventForAQueueThatDoesNotTakeTheChannelIsRefusedAndStoresNothing() {
        acd.defineQueue(QueueDefinition.builder(T + "/voice").channels(Channel.VOICE).build());
        InboundEvent e = api("m-1", "webchat:visitor-1", "hello", Map.of("musubi.queue", "voice"));

        assertThatThrownBy(() -> processor.submit(e)).isInstanceOfSatisfying(InboundEventRefusedException.class,
                x -> {
                    assertThat(x.reason()).isEqualTo(InboundEventRefusedException.Reason.CHANNEL_NOT_TAKEN);
                    assertThat(x.queueId()).isEqualTo("voice");
                    assertThat(x.queueNamed()).isTrue();
                });

        assertNothingStoredFor("webchat:visitor-1");
        assertThat(history.idempotency().isProcessed(T, "api", "m-1")).isFalse();
        assertThat(acd.waiting(T + "/voice")).isEmpty();
    }

    @Test
    void afterARefusalTheNextMessageOnTheAddressWithAValidQueueOpensAQueuedInteractionThatCanBeEnded() {
        acd.defineQueue(QueueDefinition.builder(T + "/voice").channels(Channel.VOICE).build());
        assertThatThrownBy(() -> processor.submit(api("m-1", "webchat:visitor-1", "refused",
                Map.of("musubi.queue", "voice")))).isInstanceOf(InboundEventRefusedException.class);

        Interaction i = processor.submit(api("m-2", "webchat:visitor-1", "taken", Map.of()));

        assertThat(i.queueId()).isEqualTo(QUEUE);
        assertThat(acd.waiting(QUEUE)).extracting(w -> w.interactionId()).containsExactly(i.id());
        String customer = identity.findByAddress(T, Address.parse("webchat:visitor-1")).orElseThrow().id();
        assertThat(journey(customer)).filteredOn(ev -> ev.type() == InteractionEventType.MESSAGE_IN)
                .extracting(ev -> ev.content().text()).containsExactly("taken");
        acd.end(i.id(), Actors.SYSTEM);
        assertThat(history.store().findInteraction(T, i.id()).orElseThrow().state().isTerminal()).isTrue();
    }

    @Test
    void anInteractionTheAcdRefusesAfterTheChecksIsClosedNotLeftNew() {
        // The queue changes between the processor's checks and the ACD's enqueue (an admin's PUT /queues).
        AcdEngine refusing = (AcdEngine) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AcdEngine.class}, (proxy, method, args) -> {
                    if (method.getName().equals("enqueue")) {
                        throw new IllegalArgumentException("queue " + QUEUE + " does not take WEBCHAT");
                    }
                    try {
                        return method.invoke(acd, args);
                    } catch (java.lang.reflect.InvocationTargetException x) {
                        throw x.getCause();
                    }
                });
        IngressProcessor racing = new IngressProcessor(identity, history.store(), history.idempotency(), refusing,
                "default", false, List::of, new HubEvents(), history.transactions());
        InboundEvent e = api("m-1", "webchat:visitor-1", "hello", Map.of());

        assertThatThrownBy(() -> racing.submit(e)).isInstanceOfSatisfying(InboundEventRefusedException.class,
                x -> assertThat(x.getMessage()).isEqualTo("the default queue 'default' does not take channel WEBCHAT"));

        assertThat(history.store().findOpenInteraction(T, Channel.WEBCHAT, "webchat:visitor-1")).isEmpty();
        assertThat(history.store().findInteraction(T, IngressProcessor.derivedId("i", e)))
                .hasValueSatisfying(i -> assertThat(i.state()).isEqualTo(InteractionState.ENDED));
        assertThat(history.store().interactionEvents(T, IngressProcessor.derivedId("i", e)))
                .filteredOn(ev -> ev.type() == InteractionEventType.ENDED).singleElement()
                .satisfies(ev -> assertThat(ev.attributes()).containsEntry("outcome", "refused")
                        .containsEntry("reason", "the default queue 'default' does not take channel WEBCHAT"));
        assertThat(history.idempotency().isProcessed(T, "api", "m-1")).isFalse();

        // The address stays usable.
        Interaction next = processor.submit(api("m-2", "webchat:visitor-1", "again", Map.of()));
        assertThat(acd.waiting(QUEUE)).extracting(w -> w.interactionId()).containsExactly(next.id());
    }

    @Test
    void anInteractionLeftNewWithAQueueThatNoLongerTakesItIsClosedAndTheMessageOpensANewOne() {
        // What an older version stored for a refused request: NEW, never queued, its queue unable to take it.
        acd.defineQueue(QueueDefinition.builder(T + "/voice").channels(Channel.VOICE).build());
        Interaction stale = new Interaction("i-stale", T, Channel.WEBCHAT, "", Address.parse("webchat:visitor-1"),
                null, "webchat:visitor-1", T + "/voice", 0, Map.of("musubi.source", "api"), InteractionState.NEW, T0,
                T0, "", "");
        history.store().saveInteraction(stale);

        Interaction i = processor.submit(api("m-2", "webchat:visitor-1", "hello", Map.of()));

        assertThat(i.id()).isNotEqualTo("i-stale");
        assertThat(acd.waiting(QUEUE)).extracting(w -> w.interactionId()).containsExactly(i.id());
        assertThat(history.store().findInteraction(T, "i-stale").orElseThrow().state()).isEqualTo(InteractionState.ENDED);
        assertThat(history.store().findOpenInteraction(T, Channel.WEBCHAT, "webchat:visitor-1")).get()
                .extracting(Interaction::id).isEqualTo(i.id());
    }

    @Test
    void onlyAnInteractionLeftNewIsClosedAQueuedOneTheAcdLostAfterARestartIsStillJoined() {
        // QUEUED in the history but not in the (restarted) ACD's memory: the known re-queue gap, not a refusal.
        acd.defineQueue(QueueDefinition.builder(T + "/voice").channels(Channel.VOICE).build());
        Interaction queued = new Interaction("i-queued", T, Channel.WEBCHAT, "", Address.parse("webchat:visitor-1"),
                null, "webchat:visitor-1", T + "/voice", 0, Map.of("musubi.source", "api"), InteractionState.QUEUED,
                T0, T0, "", "");
        history.store().saveInteraction(queued);

        Interaction joined = processor.submit(api("m-2", "webchat:visitor-1", "two", Map.of()));

        assertThat(joined.id()).isEqualTo("i-queued");
        assertThat(history.store().findInteraction(T, "i-queued").orElseThrow().state())
                .isEqualTo(InteractionState.QUEUED);
    }

    @Test
    void aConnectorEventTheDefaultQueueCannotTakeIsRefusedAndStoresNothing() {
        acd.defineQueue(QueueDefinition.builder(QUEUE).channels(Channel.VOICE).build());
        InboundEvent e = new InboundEvent("wh-1", "webchat.main", T, Channel.WEBCHAT, InteractionEventType.MESSAGE_IN,
                Address.parse("webchat:visitor-1"), null, "", MessageContent.text("hi"), Map.of(), T0);

        assertThatThrownBy(() -> processor.handle(e)).isInstanceOfSatisfying(InboundEventRefusedException.class,
                x -> assertThat(x.queueNamed()).isFalse());
        assertNothingStoredFor("webchat:visitor-1");
    }

    @Test
    void aConnectorEventNamingAQueueThatDoesNotTakeTheChannelGoesToTheDefaultQueue() throws Exception {
        acd.defineQueue(QueueDefinition.builder(T + "/voice").channels(Channel.VOICE).build());
        InboundEvent e = new InboundEvent("wh-1", "webchat.main", T, Channel.WEBCHAT, InteractionEventType.MESSAGE_IN,
                Address.parse("webchat:visitor-1"), null, "", MessageContent.text("hi"),
                Map.of("musubi.queue", "voice"), T0);

        assertThat(processor.handle(e)).isTrue();
        assertThat(acd.waiting(QUEUE)).hasSize(1);
    }

    // ---- issue #9 item 9: an unknown queue is refused over the API

    @Test
    void anApiEventNamingAnUnknownQueueIsRefusedAndStoresNothing() {
        IngressProcessor creating = new IngressProcessor(identity, history.store(), history.idempotency(), acd,
                "default", true, List::of, new HubEvents(), history.transactions());

        assertThatThrownBy(() -> creating.submit(api("m-1", "webchat:visitor-1", "hi",
                Map.of("musubi.queue", "nope")))).isInstanceOfSatisfying(InboundEventRefusedException.class, x -> {
                    assertThat(x.reason()).isEqualTo(InboundEventRefusedException.Reason.UNKNOWN_QUEUE);
                    assertThat(x.queueId()).isEqualTo("nope");
                });
        assertNothingStoredFor("webchat:visitor-1");
        assertThat(acd.waiting(QUEUE)).isEmpty();
    }

    @Test
    void anApiEventJoiningAnOpenInteractionStillHasItsNamedQueueChecked() {
        Interaction first = processor.submit(api("m-1", "webchat:visitor-1", "one", Map.of()));

        assertThatThrownBy(() -> processor.submit(api("m-2", "webchat:visitor-1", "two",
                Map.of("musubi.queue", "nope")))).isInstanceOf(InboundEventRefusedException.class);
        assertThat(history.store().interactionEvents(T, first.id()))
                .filteredOn(ev -> ev.type() == InteractionEventType.MESSAGE_IN).hasSize(1);
    }

    @Test
    void anApiEventWithoutAQueueWhenTheTenantHasNoDefaultQueueIsRefused() {
        InboundEvent e = new InboundEvent("m-1", InteractionIntake.API_SOURCE, "acme", Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, Address.parse("webchat:visitor-1"), null, "",
                MessageContent.text("hi"), Map.of(), T0);

        assertThatThrownBy(() -> processor.submit(e)).isInstanceOfSatisfying(InboundEventRefusedException.class,
                x -> assertThat(x.reason()).isEqualTo(InboundEventRefusedException.Reason.NO_DEFAULT_QUEUE));
        assertThat(identity.findByAddress("acme", Address.parse("webchat:visitor-1"))).isEmpty();
    }

    // ---- issue #9 item 7: an API message id is scoped to its conversation

    @Test
    void theSameApiMessageIdFromAnotherCustomerIsAnotherMessage() {
        Interaction a = processor.submit(api("msg-1", "webchat:visitor-a", "from a", Map.of()));
        Interaction b = processor.submit(api("msg-1", "webchat:visitor-b", "from b", Map.of()));

        assertThat(b.id()).isNotEqualTo(a.id());
        assertThat(b.from().uri()).isEqualTo("webchat:visitor-b");
        assertThat(history.store().interactionEvents(T, b.id()))
                .filteredOn(ev -> ev.type() == InteractionEventType.MESSAGE_IN)
                .extracting(ev -> ev.content().text()).containsExactly("from b");
        assertThat(acd.waiting(QUEUE)).hasSize(2);
    }

    @Test
    void aRetryAtAnotherTimeIsAnsweredWithTheFirstInteractionEvenOnceItEnded() {
        Interaction first = processor.submit(api("msg-1", "webchat:visitor-a", "hello", Map.of()));
        acd.end(first.id(), Actors.SYSTEM);
        // The client retries a minute later: its event carries another time, hence another derived id.
        InboundEvent retry = new InboundEvent("msg-1", InteractionIntake.API_SOURCE, T, Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, Address.parse("webchat:visitor-a"), null, "",
                MessageContent.text("hello"), Map.of(), T0.plusSeconds(60));

        Interaction again = processor.submit(retry);

        assertThat(IngressProcessor.derivedId("i", retry)).isNotEqualTo(first.id());
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(history.store().interactionEvents(T, first.id()))
                .filteredOn(ev -> ev.type() == InteractionEventType.MESSAGE_IN).hasSize(1);
    }

    @Test
    void derivedIdsSortByTheEventsTime() {
        InboundEvent early = line("wh-9", "one", T0);
        InboundEvent later = line("wh-1", "two", T0.plusMillis(1));

        assertThat(IngressProcessor.derivedId("i", early)).isLessThan(IngressProcessor.derivedId("i", later))
                .startsWith("i-" + String.format("%012x", T0.toEpochMilli()) + "-");
        assertThat(IngressProcessor.derivedId("i", early)).isEqualTo(IngressProcessor.derivedId("i", line("wh-9",
                "one", T0)));
    }

    @Test
    void aRetryOfTheSameApiMessageIsStillDeduplicated() {
        Interaction first = processor.submit(api("msg-1", "webchat:visitor-a", "hello", Map.of()));
        Interaction again = processor.submit(api("msg-1", "webchat:visitor-a", "hello", Map.of()));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(history.store().interactionEvents(T, first.id()))
                .filteredOn(ev -> ev.type() == InteractionEventType.MESSAGE_IN).hasSize(1);
        assertThat(acd.waiting(QUEUE)).hasSize(1);
    }
}
