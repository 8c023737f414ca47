package io.musubi.hub.internal.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentStatus;
import io.musubi.acd.WaitingInteraction;
import io.musubi.api.Health;
import io.musubi.hub.definitions.AgentForm;
import io.musubi.hub.definitions.QueueForm;
import io.musubi.hub.internal.definitions.Definitions;
import io.musubi.hub.internal.events.AcdHistoryRecorder;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.hub.internal.ingress.IngressProcessor;
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
import io.musubi.store.AcdStateRepository.AgentPresence;
import io.musubi.store.DefinitionRepository.Kind;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.testkit.ManualClock;
import io.musubi.testkit.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub's life, a stop, and the next life on the same store: the ACD the second life rebuilds (a real engine, the
 * H2 store, the hub's recorders, definitions and ingress) holds what the first one held.
 */
class AcdRecoveryTest {

    private static final String T = "acme";
    private static final String CHAT = T + "/chat";
    private static final String ALICE = T + "/alice";
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private Life life;

    @AfterEach
    void close() {
        if (life != null) {
            life.close();
        }
    }

    /** One life of the hub: a fresh engine on the store, with what the hub wires around it. */
    private final class Life implements AutoCloseable {
        final JdbcStore store = TestStores.h2(dir.resolve("store"), clock);
        final HubEvents events = new HubEvents();
        final AcdEngine acd = Acd.newEngine(clock);
        final AcdStateRecorder stateRecorder = new AcdStateRecorder(store.acdState());
        final Definitions definitions;
        final IngressProcessor ingress;
        final RecoveryStatus status = new RecoveryStatus();
        List<AcdRecovery.TenantSummary> recovered = List.of();

        Life() {
            acd.addListener(new AcdHistoryRecorder(store.store(), store.transactions(), events).listener());
            acd.addListener(stateRecorder);
            definitions = new Definitions(acd, store.definitions());
            ingress = new IngressProcessor(IdentityServices.create(store.customers(), "JP"), store.store(),
                    store.idempotency(), acd, "default", true, List::of, events, store.transactions());
        }

        Life recover(boolean createDefaultQueue, Duration presenceGrace) {
            recovered = new AcdRecovery(acd, store.definitions(), store.acdState(), store.store(), events, clock,
                    "default", createDefaultQueue, presenceGrace).recoverAll(status);
            return this;
        }

        Interaction chat(String visitor, String text) {
            return ingress.submit(new InboundEvent(visitor + "-" + clock.millis(), "api", T, Channel.WEBCHAT,
                    InteractionEventType.MESSAGE_IN, Address.parse("webchat:" + visitor), null, "",
                    MessageContent.text(text), Map.of("musubi.queue", "chat"), clock.instant()));
        }

        Interaction stored(String id) {
            return store.store().findInteraction(T, id).orElseThrow();
        }

        List<InteractionEvent> events(String id) {
            return store.store().interactionEvents(T, id);
        }

        /** The stop: what the recorder noted is stored (a kill -9 would lose the last milliseconds of it). */
        @Override
        public void close() {
            stateRecorder.flush();
            store.close();
        }
    }

    private Life restart() {
        life.close();
        life = null;
        clock.advance(Duration.ofSeconds(60));
        life = new Life();
        return life;
    }

    private static QueueForm.Body chatQueue(long wrapUpSeconds) {
        return new QueueForm.Body("Chat", Set.of(Channel.WEBCHAT), null, null, null, null, null, null, null, null,
                null, wrapUpSeconds, null, null, null, null, null, null);
    }

    private static AgentForm.Body chatAgent() {
        return new AgentForm.Body("Alice", Map.of(), Map.of(Channel.WEBCHAT, 1), null, null, null, null, null);
    }

    private record Place(String id, Instant queuedAt, boolean requeued) {
    }

    private static List<Place> places(AcdEngine acd, String queue) {
        return acd.waiting(queue).stream()
                .map(w -> new Place(w.interactionId(), w.queuedAt(), w.requeued())).toList();
    }

    @Test
    void waitingAssignedWorkLastAgentAndPresenceComeBackAndTheRestoredInteractionsWorkAsBefore() {
        life = new Life();
        life.definitions.saveQueue(T, "chat", chatQueue(30));
        life.definitions.saveAgent(T, "alice", chatAgent());
        life.acd.setPresence(ALICE, PresenceState.AVAILABLE, "", Actors.agent(ALICE));
        Interaction first = life.chat("v1", "hello");
        life.acd.accept(first.id(), ALICE);
        clock.advanceSeconds(10);
        Interaction second = life.chat("v2", "two");
        clock.advanceSeconds(10);
        Interaction third = life.chat("v3", "three");
        clock.advanceSeconds(10);
        Interaction fourth = life.chat("v4", "four");
        List<Place> before = places(life.acd, CHAT);
        assertThat(before).extracting(Place::id).containsExactly(second.id(), third.id(), fourth.id());
        String customer = first.customerId();
        AgentStatus aliceBefore = life.acd.agent(ALICE).orElseThrow();

        Life next = restart();
        assertThat(next.acd.interaction(first.id())).as("a fresh engine knows nothing yet").isEmpty();
        next.recover(true, Duration.ofMinutes(5));

        assertThat(next.status.health().status()).isEqualTo(Health.Status.UP);
        assertThat(places(next.acd, CHAT)).as("same list, same order, same queue times").isEqualTo(before);
        AgentStatus alice = next.acd.agent(ALICE).orElseThrow();
        assertThat(alice.assigned()).containsExactly(first.id());
        assertThat(alice.offered()).as("her capacity is still used: no extra offer").isEmpty();
        assertThat(alice.load()).containsEntry(Channel.WEBCHAT, 1);
        assertThat(alice.state()).as("her presence after a short outage, since the same time")
                .isEqualTo(aliceBefore.state()).isEqualTo(PresenceState.AVAILABLE);
        assertThat(alice.since()).isEqualTo(aliceBefore.since());
        assertThat(alice.routableChannels()).as("WEBCHAT is full").doesNotContain(Channel.WEBCHAT);
        assertThat(next.acd.lastAgent(T, customer)).contains(ALICE);
        assertThat(next.recovered).singleElement().satisfies(s -> {
            assertThat(s.waiting()).isEqualTo(3);
            assertThat(s.assigned()).isEqualTo(1);
            assertThat(s.lastPresence()).isTrue();
        });

        // a new message of a waiting conversation joins its interaction, which the ACD knows: it keeps its place
        Interaction joined = next.chat("v3", "are you there?");
        assertThat(joined.id()).isEqualTo(third.id());
        assertThat(next.acd.interaction(third.id())).isPresent();
        assertThat(next.events(third.id())).extracting(InteractionEvent::type).contains(InteractionEventType.MESSAGE_IN);
        assertThat(places(next.acd, CHAT)).isEqualTo(before);

        // the assigned one is wrapped up and ended as before; the head of the queue goes to alice
        next.acd.wrapUp(first.id(), "solved", Actors.agent(ALICE));
        next.acd.end(first.id(), "solved", Actors.agent(ALICE));
        assertThat(next.stored(first.id()).state()).isEqualTo(InteractionState.ENDED);
        assertThat(next.acd.interaction(second.id())).hasValueSatisfying(i -> {
            assertThat(i.state()).isEqualTo(InteractionState.OFFERED);
            assertThat(i.agentId()).isEqualTo(ALICE);
        });
    }

    @Test
    void anOfferInFlightGoesBackToTheHeadAndAgentsComeBackOfflineAfterALongOutage() {
        life = new Life();
        life.definitions.saveQueue(T, "chat", chatQueue(0));
        life.definitions.saveAgent(T, "alice", chatAgent());
        Interaction first = life.chat("v1", "first");
        clock.advanceSeconds(5);
        Interaction second = life.chat("v2", "second");
        clock.advanceSeconds(5);
        life.acd.setPresence(ALICE, PresenceState.AVAILABLE, "", Actors.agent(ALICE));
        assertThat(life.acd.interaction(first.id()).orElseThrow().state()).isEqualTo(InteractionState.OFFERED);

        restart();
        clock.advance(Duration.ofHours(2));
        life.recover(true, Duration.ofMinutes(5));

        assertThat(life.acd.waiting(CHAT)).extracting(WaitingInteraction::interactionId, WaitingInteraction::requeued)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(first.id(), true),
                        org.assertj.core.groups.Tuple.tuple(second.id(), false));
        assertThat(life.acd.waiting(CHAT).get(0).queuedAt()).isEqualTo(T0);
        assertThat(life.acd.agent(ALICE).orElseThrow().state()).isEqualTo(PresenceState.OFFLINE);
        assertThat(life.store.acdState().presences(T)).extracting(AgentPresence::state)
                .as("stored too: a next start within the grace does not log her in again")
                .containsExactly(PresenceState.OFFLINE);

        // she logs in: the offer that was in flight is hers again, first
        life.acd.setPresence(ALICE, PresenceState.AVAILABLE, "", Actors.agent(ALICE));
        assertThat(life.acd.interaction(first.id()).orElseThrow().state()).isEqualTo(InteractionState.OFFERED);
    }

    @Test
    void aRequeueAfterATimeoutKeepsItsPlaceAtTheHeadAndItsExclusionAcrossARestart() {
        life = new Life();
        life.definitions.saveQueue(T, "chat", chatQueue(0));
        life.definitions.saveAgent(T, "alice", chatAgent());
        Interaction first = life.chat("v1", "first");
        clock.advanceSeconds(5);
        Interaction second = life.chat("v2", "second");
        life.acd.setPresence(ALICE, PresenceState.AVAILABLE, "", Actors.agent(ALICE));
        clock.advanceSeconds(31);
        life.acd.tick();
        assertThat(life.acd.agent(ALICE).orElseThrow().state()).isEqualTo(PresenceState.NOT_RESPONDING);
        List<Place> before = places(life.acd, CHAT);
        assertThat(before).extracting(Place::id, Place::requeued)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(first.id(), true),
                        org.assertj.core.groups.Tuple.tuple(second.id(), false));

        restart().recover(true, Duration.ofMinutes(5));

        assertThat(places(life.acd, CHAT)).isEqualTo(before);
        assertThat(life.acd.agent(ALICE).orElseThrow().state()).isEqualTo(PresenceState.NOT_RESPONDING);
        life.acd.setPresence(ALICE, PresenceState.AVAILABLE, "", Actors.agent(ALICE));
        assertThat(life.acd.agent(ALICE).orElseThrow().offered()).as("not the one she let time out")
                .containsExactly(second.id());
    }

    @Test
    void workWhoseQueueOrAgentIsGoneIsRequeuedOrMovedWithAReasonInTheHistory() {
        life = new Life();
        life.definitions.saveQueue(T, "chat", chatQueue(0));
        life.definitions.saveQueue(T, "vip", chatQueue(0));
        life.definitions.saveAgent(T, "alice", chatAgent());
        life.acd.setPresence(ALICE, PresenceState.AVAILABLE, "", Actors.agent(ALICE));
        Interaction served = life.chat("v1", "served");
        life.acd.accept(served.id(), ALICE);
        clock.advanceSeconds(5);
        Interaction waiting = life.ingress.submit(new InboundEvent("vip-1", "api", T, Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, Address.parse("webchat:v9"), null, "", MessageContent.text("vip"),
                Map.of("musubi.queue", "vip"), clock.instant()));
        assertThat(life.acd.waiting(T + "/vip")).hasSize(1);
        // another version (or an administrator with the store alone) removed the agent and the VIP queue
        life.store.definitions().delete(Kind.AGENT, ALICE);
        life.store.definitions().delete(Kind.QUEUE, T + "/vip");

        restart().recover(true, Duration.ofMinutes(5));

        assertThat(life.acd.waiting(CHAT)).singleElement().satisfies(w -> {
            assertThat(w.interactionId()).isEqualTo(served.id());
            assertThat(w.requeued()).as("it was being served: at the head").isTrue();
        });
        assertThat(life.stored(served.id()).state()).isEqualTo(InteractionState.QUEUED);
        assertThat(life.events(served.id())).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo(InteractionEventType.QUEUED);
            assertThat(e.attributes().get(AcdAttributes.REASON)).contains("agent alice is gone");
        });
        assertThat(life.acd.waiting(T + "/default")).extracting(WaitingInteraction::interactionId)
                .containsExactly(waiting.id());
        assertThat(life.stored(waiting.id()).queueId()).isEqualTo(T + "/default");
        assertThat(life.events(waiting.id())).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo(InteractionEventType.QUEUED);
            assertThat(e.attributes()).as("a new place, not a requeue").doesNotContainKey(AcdAttributes.REASON);
            assertThat(e.attributes().get(AcdRecovery.RECOVERY_ATTRIBUTE)).contains("queue vip is gone");
        });
        assertThat(life.recovered).singleElement().satisfies(s -> {
            assertThat(s.moved()).isEqualTo(1);
            assertThat(s.requeued()).isEqualTo(1);
        });

        // and the store agrees with the engine: a second restart gives the same
        List<Place> chat = places(life.acd, CHAT);
        restart().recover(true, Duration.ofMinutes(5));
        assertThat(places(life.acd, CHAT)).isEqualTo(chat);
        assertThat(life.acd.waiting(T + "/default")).extracting(WaitingInteraction::interactionId)
                .containsExactly(waiting.id());
    }

    @Test
    void aMovedInteractionOfferedRightAfterTheRestoreIsStoredAsOffered() {
        life = new Life();
        life.definitions.saveQueue(T, "vip", chatQueue(0));
        life.definitions.saveAgent(T, "alice", chatAgent());
        life.acd.setPresence(ALICE, PresenceState.AVAILABLE, "", Actors.agent(ALICE));
        life.acd.setPresence(ALICE, PresenceState.BREAK, "", Actors.agent(ALICE));
        Interaction waiting = life.ingress.submit(new InboundEvent("vip-1", "api", T, Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, Address.parse("webchat:v9"), null, "", MessageContent.text("vip"),
                Map.of("musubi.queue", "vip"), clock.instant()));
        life.store.definitions().delete(Kind.QUEUE, T + "/vip");
        // she logged in at the last moment (the store has it, the stop came before any offer)
        life.stateRecorder.flush();
        life.store.acdState().savePresences(List.of(new AgentPresence(T, ALICE, PresenceState.AVAILABLE, "",
                clock.instant())));

        restart().recover(true, Duration.ofMinutes(5));

        assertThat(life.acd.interaction(waiting.id()).orElseThrow().state()).as("the default queue's free agent")
                .isEqualTo(InteractionState.OFFERED);
        assertThat(life.stored(waiting.id())).satisfies(i -> {
            assertThat(i.state()).as("the move's record does not overwrite the offer").isEqualTo(InteractionState.OFFERED);
            assertThat(i.queueId()).isEqualTo(T + "/default");
        });
    }

    @Test
    void workNoQueueCanTakeIsClosedAndANeverQueuedInteractionIsQueuedNow() {
        life = new Life();
        life.definitions.saveQueue(T, "chat", chatQueue(0));
        life.definitions.saveQueue(T, "vip", chatQueue(0));
        Interaction orphan = life.ingress.submit(new InboundEvent("vip-1", "api", T, Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, Address.parse("webchat:v9"), null, "", MessageContent.text("vip"),
                Map.of("musubi.queue", "vip"), clock.instant()));
        // the stop came between an arrival and its queueing
        Interaction fresh = new Interaction("i-new", T, Channel.WEBCHAT, "", Address.parse("webchat:v7"), null,
                "webchat:v7", CHAT, 0, Map.of(), InteractionState.NEW, clock.instant(), clock.instant(), "", "");
        life.store.store().saveInteraction(fresh);
        life.store.definitions().delete(Kind.QUEUE, T + "/vip");

        restart().recover(false, Duration.ofMinutes(5));

        assertThat(life.acd.interaction(orphan.id())).isEmpty();
        assertThat(life.stored(orphan.id()).state()).isEqualTo(InteractionState.ENDED);
        assertThat(life.events(orphan.id())).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo(InteractionEventType.ENDED);
            assertThat(e.attributes()).containsEntry(AcdAttributes.OUTCOME, "refused");
            assertThat(e.attributes().get(AcdAttributes.REASON)).contains("queue vip is gone");
        });
        assertThat(life.acd.waiting(CHAT)).extracting(WaitingInteraction::interactionId).containsExactly("i-new");
        assertThat(life.stored("i-new").state()).as("its QUEUED was recorded").isEqualTo(InteractionState.QUEUED);
        assertThat(life.store.acdState().openInteractions(T)).extracting(o -> o.interaction().id())
                .as("nothing open that the ACD does not know").containsExactly("i-new");
    }

    @Test
    void anEngineThatOutlivedTheHubKeepsItsStateAndGetsOnlyWhatItDidNotKnow() {
        life = new Life();
        life.definitions.saveQueue(T, "chat", chatQueue(0));
        Interaction known = life.chat("v1", "one");
        life.store.store().saveInteraction(new Interaction("i-unknown", T, Channel.WEBCHAT, "",
                Address.parse("webchat:v7"), null, "webchat:v7", CHAT, 0, Map.of(), InteractionState.QUEUED,
                clock.instant(), clock.instant(), "", ""));

        life.recover(true, Duration.ofMinutes(5));

        assertThat(life.acd.waiting(CHAT)).extracting(WaitingInteraction::interactionId)
                .containsExactly(known.id(), "i-unknown");
        assertThat(life.status.health().status()).isEqualTo(Health.Status.UP);
    }
}
