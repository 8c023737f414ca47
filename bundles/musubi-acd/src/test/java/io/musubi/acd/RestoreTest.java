package io.musubi.acd;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.musubi.model.Channel.VOICE;
import static io.musubi.model.Channel.WEBCHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link AcdEngine#restore}: rebuilding one tenant's routing state after a restart (issue #11, engine side). */
class RestoreTest {

    private static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");

    private static Harness centre() {
        Harness h = new Harness();
        h.clock.advance(Duration.ofMinutes(10));         // the restart: ten minutes after T0
        h.queue(QueueDefinition.builder("q").channels(VOICE, WEBCHAT).wrapUp(Duration.ofSeconds(30))
                .sticky(StickyConfig.preferred()));
        h.agent(AgentDefinition.builder("a"));
        h.agent(AgentDefinition.builder("b"));
        h.events.clear();
        return h;
    }

    private static Interaction call(String id, String customer) {
        return new Interaction(id, "default", VOICE, customer, Address.of("tel", "+81312345678"), null, id, "q", 0,
                Map.of(), InteractionState.NEW, T0, null, "", "");
    }

    private static AcdRestore.Presence available(String agent, Instant since) {
        return new AcdRestore.Presence(agent, PresenceState.AVAILABLE, "", since);
    }

    @Test
    void waitingInteractionsComeBackInOrderWithTheirOriginalTimesAndNoEvent() {
        Harness h = centre();
        h.acd.restore(AcdRestore.builder("default")
                .waiting(AcdRestore.Waiting.of(call("c1", ""), T0.plusSeconds(5)))
                .waiting(AcdRestore.Waiting.of(call("c2", ""), T0.plusSeconds(5)))     // same time: arrival order
                .waiting(AcdRestore.Waiting.of(call("c0", ""), T0.plusSeconds(1)))
                .build());
        assertThat(h.acd.waiting("q")).extracting(WaitingInteraction::interactionId).containsExactly("c0", "c1", "c2");
        assertThat(h.acd.waiting("q").get(0).queuedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(h.acd.queueStatistics("q").orElseThrow().longestWait()).isEqualTo(Duration.ofSeconds(599));
        assertThat(h.events).isEmpty();
        // routing resumes: a free agent gets the oldest, a new event
        h.acd.setPresence("a", PresenceState.AVAILABLE, "", Actors.agent("a"));
        assertThat(h.offersOf("a")).containsExactly("c0");
        assertThat(h.types("c0")).containsExactly(InteractionEventType.OFFERED);
    }

    @Test
    void anOfferInFlightGoesBackToTheHeadOfItsQueueAndIsOfferedAfresh() {
        Harness h = centre();
        h.acd.restore(AcdRestore.builder("default")
                .presence(available("a", T0))
                .waiting(AcdRestore.Waiting.of(call("old", ""), T0))
                .waiting(new AcdRestore.Waiting(call("ringing", ""), T0.plusSeconds(60), null, false, true, Set.of("b"),
                        "", null))
                .build());
        // a was free: it gets the one that was ringing (back at the head), the only interaction event
        assertThat(h.offersOf("a")).containsExactly("ringing");
        assertThat(h.interactionEvents()).extracting(InteractionEvent::type).containsExactly(InteractionEventType.OFFERED);
        assertThat(h.acd.waiting("q")).extracting(WaitingInteraction::interactionId).containsExactly("old");
    }

    @Test
    void assignedWorkKeepsTheAgentsCapacityAndWrapUpRunsItsRemainingTime() {
        Harness h = centre();
        Instant now = h.clock.instant();
        h.acd.restore(AcdRestore.builder("default")
                .presence(new AcdRestore.Presence("a", PresenceState.BUSY, "", now.minusSeconds(100)))
                .presence(new AcdRestore.Presence("b", PresenceState.WRAP_UP, "", now.minusSeconds(20)))
                .assigned(new AcdRestore.Assigned(call("talking", ""), "a", InteractionState.CONNECTED, T0,
                        now.minusSeconds(100), now.minusSeconds(100), false))
                .assigned(new AcdRestore.Assigned(call("wrapping", ""), "b", InteractionState.WRAP_UP, T0,
                        now.minusSeconds(200), now.minusSeconds(20), false))
                .build());
        assertThat(h.events).isEmpty();
        AgentStatus a = h.acd.agent("a").orElseThrow();
        assertThat(a.state()).isEqualTo(PresenceState.BUSY);
        assertThat(a.since()).isEqualTo(now.minusSeconds(100));
        assertThat(a.load()).containsEntry(VOICE, 1);
        assertThat(h.acd.agent("b").orElseThrow().state()).isEqualTo(PresenceState.WRAP_UP);
        // no over-offer: a new call is not offered to a (its one voice slot is used) nor to b (in wrap-up)
        h.arrive("new", VOICE, "q");
        assertThat(h.offeredTo("new")).isEmpty();
        // b's wrap-up has 10 s left
        h.advance(9);
        assertThat(h.stateOf("wrapping")).isEqualTo(InteractionState.WRAP_UP);
        h.advance(1);
        assertThat(h.stateOf("wrapping")).isNull();
        assertThat(h.offersOf("b")).containsExactly("new");
        // the restored call ends as any other
        h.acd.end("talking", Actors.agent("a"));
        assertThat(h.stateOf("talking")).isEqualTo(InteractionState.WRAP_UP);
    }

    @Test
    void lastAgentRecordsKeepTheirOriginalTime() {
        Harness h = centre();
        Instant now = h.clock.instant();
        h.acd.restore(AcdRestore.builder("default")
                .presence(available("a", now.minusSeconds(5)))
                .presence(available("b", now.minusSeconds(600)))
                .lastAgent(new AcdRestore.LastAgent("sato", "a", Channel.LINE, now.minus(Duration.ofHours(23))))
                .lastAgent(new AcdRestore.LastAgent("suzuki", "a", Channel.LINE, now.minus(Duration.ofHours(25))))
                .build());
        assertThat(h.acd.lastAgent("sato")).contains("a");
        // b has been idle longer, but the last agent gets the call
        h.acd.enqueue(call("c1", "sato"));
        assertThat(h.offeredTo("c1")).containsExactly("a");
        // the 24 h TTL runs from the original time: suzuki's record is past it
        h.acd.enqueue(call("c2", "suzuki"));
        assertThat(h.offeredTo("c2")).containsExactly("b");
    }

    @Test
    void aWaitForTheLastAgentIsRestoredUntilItsOriginalEnd() {
        Harness h = centre();
        Instant now = h.clock.instant();
        h.acd.restore(AcdRestore.builder("default")
                .presence(new AcdRestore.Presence("a", PresenceState.BREAK, "", now.minusSeconds(30)))
                .presence(available("b", now.minusSeconds(30)))
                .waiting(new AcdRestore.Waiting(call("c1", "sato"), now.minusSeconds(15), null, false, false, Set.of(),
                        "a", now.plusSeconds(5)))
                .build());
        assertThat(h.acd.waiting("q").get(0).pinnedAgentId()).isEqualTo("a");
        assertThat(h.offeredTo("c1")).isEmpty();
        h.advance(5);
        assertThat(h.offeredTo("c1")).containsExactly("b");
    }

    @Test
    void restoringOneTenantLeavesTheOtherAloneAndARefusedRestoreChangesNothing() {
        Harness h = centre();
        h.queue(QueueDefinition.builder("acme/q").channels(VOICE));
        h.agent(AgentDefinition.builder("acme/x"));
        h.acd.setPresence("acme/x", PresenceState.AVAILABLE, "", Actors.agent("acme/x"));
        Interaction acme = new Interaction("acme-1", "acme", VOICE, "", Address.of("tel", "+81"), null, "", "acme/q", 0,
                Map.of(), InteractionState.NEW, T0, null, "", "");
        h.acd.enqueue(acme);
        List<Object> before = new ArrayList<>(h.events);
        AgentStatus acmeAgent = h.acd.agent("acme/x").orElseThrow();

        // an interaction of another tenant in the snapshot: refused, nothing restored
        AcdRestore wrong = AcdRestore.builder("default")
                .waiting(AcdRestore.Waiting.of(call("c1", ""), T0))
                .assigned(new AcdRestore.Assigned(new Interaction("acme-2", "acme", VOICE, "", Address.of("tel", "+81"),
                        null, "", "acme/q", 0, Map.of(), InteractionState.NEW, T0, null, "", ""), "acme/x",
                        InteractionState.CONNECTED, T0, T0, T0, false))
                .build();
        assertThatThrownBy(() -> h.acd.restore(wrong)).isInstanceOf(IllegalArgumentException.class);
        assertThat(h.acd.waiting("q")).isEmpty();
        // a tenant that already has interactions cannot be restored over them
        assertThatThrownBy(() -> h.acd.restore(AcdRestore.builder("acme").build()))
                .isInstanceOf(IllegalStateException.class);

        h.acd.restore(AcdRestore.builder("default").presence(available("a", T0))
                .waiting(AcdRestore.Waiting.of(call("c1", ""), T0)).build());
        assertThat(h.offersOf("a")).containsExactly("c1");
        AgentStatus acmeAfter = h.acd.agent("acme/x").orElseThrow();
        assertThat(acmeAfter.offered()).isEqualTo(acmeAgent.offered()).containsExactly("acme-1");
        assertThat(acmeAfter.state()).isEqualTo(acmeAgent.state());
        assertThat(acmeAfter.since()).isEqualTo(acmeAgent.since());
        assertThat(h.events.subList(0, before.size())).isEqualTo(before);
        assertThat(h.events.subList(before.size(), h.events.size())).allSatisfy(e -> {
            if (e instanceof InteractionEvent ie) {
                assertThat(ie.tenantId()).isEqualTo("default");
            } else {
                assertThat(((PresenceChange) e).tenantId()).isEqualTo("default");
            }
        });
    }

    @Test
    void theEventSinkSeesEveryEventInEngineOrderBeforeTheListenersAndAFailingSinkStopsNothing() {
        Harness h = centre();
        List<Object> sunk = new ArrayList<>();
        List<Integer> listenerCountWhenSunk = new ArrayList<>();
        h.acd.setEventSink(new AcdEventSink() {
            @Override
            public void onInteractionEvent(InteractionEvent event) {
                sunk.add(event);
                listenerCountWhenSunk.add(h.events.size());
                if (event.type() == InteractionEventType.OFFERED) {
                    throw new IllegalStateException("sink failure (test)");
                }
            }

            @Override
            public void onPresenceChange(PresenceChange change) {
                sunk.add(change);
                listenerCountWhenSunk.add(h.events.size());
            }
        });
        h.acd.setPresence("a", PresenceState.AVAILABLE, "", Actors.agent("a"));
        h.arrive("c1", VOICE, "q");
        h.acd.accept("c1", "a");
        assertThat(sunk).isEqualTo(h.events);
        // each event reached the sink before any listener saw it
        for (int i = 0; i < listenerCountWhenSunk.size(); i++) {
            assertThat(listenerCountWhenSunk.get(i)).isLessThanOrEqualTo(i);
        }
        assertThat(h.stateOf("c1")).isEqualTo(InteractionState.CONNECTED);
        h.acd.setEventSink(null);
        h.acd.end("c1", Actors.agent("a"));
        assertThat(sunk).hasSizeLessThan(h.events.size());
    }
}
