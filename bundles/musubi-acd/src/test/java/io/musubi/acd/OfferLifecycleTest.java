package io.musubi.acd;

import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.musubi.model.Channel.VOICE;
import static io.musubi.model.Channel.WEBCHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Offers, RONA, direct routing, wrap-up, abandonment, call-back, transfer, hold (DESIGN §5.5–§5.6). */
class OfferLifecycleTest {

    private static Harness voice() {
        return new Harness().queue(QueueDefinition.builder("q").channels(VOICE, WEBCHAT));
    }

    @Test
    void acceptConnects() {
        Harness h = voice().online(AgentDefinition.builder("a"));
        h.arrive("c1", VOICE, "q");
        h.advance(4);
        h.acd.accept("c1", "a");
        assertThat(h.stateOf("c1")).isEqualTo(InteractionState.CONNECTED);
        assertThat(h.acd.interaction("c1").orElseThrow().agentId()).isEqualTo("a");
        InteractionEvent accepted = h.of("c1").get(h.of("c1").size() - 1);
        assertThat(accepted.type()).isEqualTo(InteractionEventType.ACCEPTED);
        assertThat(accepted.actor()).isEqualTo("agent:a");
        assertThat(accepted.attributes()).containsEntry(AcdAttributes.WAIT_MS, "4000");
    }

    @Test
    void acceptingSomeoneElsesOfferFailsAndChangesNothing() {
        Harness h = voice().online(AgentDefinition.builder("a")).online(AgentDefinition.builder("b"));
        h.arrive("c1", VOICE, "q");
        assertThat(h.offeredToOne("c1")).isEqualTo("a");
        assertThatThrownBy(() -> h.acd.accept("c1", "b")).isInstanceOf(IllegalStateException.class);
        assertThat(h.offeredToOne("c1")).isEqualTo("a");
    }

    @Test
    void aRejectedInteractionIsNeverOfferedToThatAgentAgain() {
        Harness h = voice().online(AgentDefinition.builder("a"));
        h.arrive("c1", VOICE, "q");
        h.acd.reject("c1", "a", "wrong language");
        assertThat(h.stateOf("c1")).isEqualTo(InteractionState.QUEUED);
        assertThat(h.offersOf("a")).isEmpty();
        assertThat(h.state("a")).isEqualTo(PresenceState.AVAILABLE);
        h.arrive("c2", VOICE, "q");
        assertThat(h.offersOf("a")).containsExactly("c2");
        h.acd.accept("c2", "a");
        h.acd.end("c2", Actors.agent("a"));
        assertThat(h.offersOf("a")).isEmpty();
        assertThat(h.types("c1")).containsSubsequence(InteractionEventType.OFFERED, InteractionEventType.REJECTED,
                InteractionEventType.QUEUED);
    }

    @Test
    void timeoutPutsItBackAtTheHeadAndTheAgentNotResponding() {
        Harness h = voice().online(AgentDefinition.builder("a")).agent(AgentDefinition.builder("b"));
        h.arrive("low", VOICE, "q");
        assertThat(h.offeredToOne("low")).isEqualTo("a");
        h.acd.enqueue(Harness.interaction("high", VOICE, "q", "", 5));
        h.advance(14);
        assertThat(h.offeredToOne("low")).isEqualTo("a");
        h.advance(1);
        assertThat(h.offeredTo("low")).isEmpty();
        assertThat(h.state("a")).isEqualTo(PresenceState.NOT_RESPONDING);
        PresenceChange rona = h.presence("a").get(h.presence("a").size() - 1);
        assertThat(rona.to()).isEqualTo(PresenceState.NOT_RESPONDING);
        assertThat(rona.reasonCode()).isEqualTo("rona");
        assertThat(rona.actor()).isEqualTo(Actors.SYSTEM);
        assertThat(rona.timestamp()).isEqualTo(Instant.parse("2025-04-01T00:00:15Z"));
        assertThat(h.types("low")).contains(InteractionEventType.OFFER_TIMEOUT);
        // back at the head, before the later higher-priority call
        assertThat(h.acd.waiting("q")).extracting(WaitingInteraction::interactionId).containsExactly("low", "high");
        h.acd.setPresence("b", PresenceState.AVAILABLE, "", Actors.agent("b"));
        assertThat(h.offersOf("b")).containsExactly("low");
        // a comes back and gets the other call, never "low" again
        h.acd.setPresence("a", PresenceState.AVAILABLE, "", Actors.agent("a"));
        assertThat(h.offersOf("a")).containsExactly("high");
    }

    @Test
    void textChannelsTimeOutAfterThirtySeconds() {
        Harness h = voice().online(AgentDefinition.builder("a"));
        h.arrive("chat", WEBCHAT, "q");
        h.advance(29);
        assertThat(h.offersOf("a")).containsExactly("chat");
        h.advance(1);
        assertThat(h.offersOf("a")).isEmpty();
        assertThat(h.state("a")).isEqualTo(PresenceState.NOT_RESPONDING);
    }

    @Test
    void offerTimeoutIsConfigurablePerQueueAndChannel() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE)
                .offerTimeout(VOICE, Duration.ofSeconds(5))).online(AgentDefinition.builder("a"));
        h.arrive("c", VOICE, "q");
        h.advance(5);
        assertThat(h.offersOf("a")).isEmpty();
    }

    @Test
    void forceAssignConnectsDirectly() {
        Harness h = voice().online(AgentDefinition.builder("a")).online(AgentDefinition.builder("b"));
        // an unknown interaction: the PBX saw b answer it
        h.acd.forceAssign(Harness.interaction("direct", VOICE, "", "c", 0), "b", Actors.connector("asterisk"));
        assertThat(h.stateOf("direct")).isEqualTo(InteractionState.CONNECTED);
        InteractionEvent e = h.of("direct").get(0);
        assertThat(e.type()).isEqualTo(InteractionEventType.ACCEPTED);
        assertThat(e.attributes()).containsEntry(AcdAttributes.FORCED, "true");
        // a waiting one offered to a, picked up by b's phone anyway... b is busy: it still gets it (forced)
        h.arrive("c1", VOICE, "q");
        assertThat(h.offeredToOne("c1")).isEqualTo("a");
        h.acd.forceAssign(Harness.interaction("c1", VOICE, "q", "", 0), "b", Actors.connector("asterisk"));
        assertThat(h.offersOf("a")).isEmpty();
        assertThat(h.acd.agent("b").orElseThrow().assigned()).containsExactlyInAnyOrder("direct", "c1");
    }

    @Test
    void wrapUpHoldsCapacityThenReleasesIt() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE).wrapUp(Duration.ofSeconds(30)))
                .online(AgentDefinition.builder("a"));
        h.arrive("c1", VOICE, "q");
        h.acd.accept("c1", "a");
        h.arrive("c2", VOICE, "q");
        h.acd.end("c1", Actors.agent("a"));
        assertThat(h.stateOf("c1")).isEqualTo(InteractionState.WRAP_UP);
        assertThat(h.state("a")).isEqualTo(PresenceState.WRAP_UP);
        assertThat(h.offersOf("a")).isEmpty();
        h.advance(29);
        assertThat(h.offersOf("a")).isEmpty();
        h.advance(1);
        assertThat(h.stateOf("c1")).isNull();
        assertThat(h.types("c1")).endsWith(InteractionEventType.WRAP_UP, InteractionEventType.ENDED);
        assertThat(h.offersOf("a")).containsExactly("c2");
    }

    @Test
    void wrapUpCanEndEarlyWithADisposition() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE).wrapUp(Duration.ofSeconds(60)))
                .online(AgentDefinition.builder("a"));
        h.arrive("c1", VOICE, "q");
        h.acd.accept("c1", "a");
        h.acd.end("c1", Actors.agent("a"));
        h.acd.completeWrapUp("c1", "sale", Actors.agent("a"));
        assertThat(h.types("c1")).endsWith(InteractionEventType.WRAP_UP, InteractionEventType.DISPOSITION,
                InteractionEventType.ENDED);
        assertThat(h.state("a")).isEqualTo(PresenceState.AVAILABLE);
    }

    @Test
    void abandonmentRecordsTheWaitTime() {
        Harness h = voice();
        h.arrive("c1", VOICE, "q");
        h.advance(12);
        h.acd.abandon("c1");
        InteractionEvent ab = h.of("c1").get(h.of("c1").size() - 1);
        assertThat(ab.type()).isEqualTo(InteractionEventType.ABANDONED);
        assertThat(ab.attributes()).containsEntry(AcdAttributes.WAIT_MS, "12000");
        assertThat(ab.actor()).isEqualTo(Actors.CUSTOMER);
        assertThat(h.acd.queueStatistics("q").orElseThrow().abandoned()).isEqualTo(1);
        assertThat(h.acd.interaction("c1")).isEmpty();
    }

    @Test
    void hangingUpWhileRingingAbandonsAndFreesTheAgent() {
        Harness h = voice().online(AgentDefinition.builder("a"));
        h.arrive("c1", VOICE, "q");
        h.acd.end("c1", Actors.CUSTOMER);
        assertThat(h.types("c1")).endsWith(InteractionEventType.ABANDONED);
        assertThat(h.state("a")).isEqualTo(PresenceState.AVAILABLE);
        assertThat(h.acd.agent("a").orElseThrow().load()).isEmpty();
    }

    @Test
    void scheduledCallbackKeepsItsPlace() {
        Harness h = voice().agent(AgentDefinition.builder("a"));
        h.arrive("c1", VOICE, "q");
        h.advance(5);
        h.arrive("c2", VOICE, "q");
        Instant at = h.clock.instant().plus(Duration.ofMinutes(30));
        h.acd.scheduleCallback("c1", Harness.interaction("cb1", VOICE, "q", "", 0), at, Actors.CUSTOMER);
        assertThat(h.types("c1")).endsWith(InteractionEventType.CALLBACK_SCHEDULED, InteractionEventType.ENDED);
        assertThat(h.acd.waiting("q")).extracting(WaitingInteraction::interactionId).containsExactly("c2");
        h.advance(Duration.ofMinutes(30).toSeconds());
        assertThat(h.acd.waiting("q")).extracting(WaitingInteraction::interactionId).containsExactly("cb1", "c2");
        h.acd.setPresence("a", PresenceState.AVAILABLE, "", Actors.agent("a"));
        assertThat(h.offersOf("a")).containsExactly("cb1");
    }

    @Test
    void transferToAnAgent() {
        Harness h = voice().online(AgentDefinition.builder("a")).online(AgentDefinition.builder("b"))
                .online(AgentDefinition.builder("c"));
        h.arrive("c1", VOICE, "q");
        String first = h.offeredToOne("c1");
        h.acd.accept("c1", first);
        h.arrive("busy", VOICE, "q");
        String target = h.offeredToOne("busy");
        h.acd.accept("busy", target);
        h.acd.transferToAgent("c1", target, Actors.agent(first));
        assertThat(h.types("c1")).contains(InteractionEventType.TRANSFERRED);
        assertThat(h.acd.agent(first).orElseThrow().assigned()).isEmpty();
        // the target is on a call: the transfer waits for it, the third agent is not offered
        assertThat(h.offeredTo("c1")).isEmpty();
        h.acd.end("busy", Actors.agent(target));
        assertThat(h.offeredToOne("c1")).isEqualTo(target);
    }

    @Test
    void transferToAQueue() {
        Harness h = voice().queue(QueueDefinition.builder("billing").channels(VOICE).member("b"))
                .online(AgentDefinition.builder("a")).online(AgentDefinition.builder("b"));
        h.acd.setPresence("b", PresenceState.BREAK, "", Actors.agent("b"));
        h.arrive("c1", VOICE, "q");
        h.acd.accept("c1", "a");
        h.acd.transferToQueue("c1", "billing", Actors.agent("a"));
        assertThat(h.acd.interaction("c1").orElseThrow().queueId()).isEqualTo("billing");
        assertThat(h.offeredTo("c1")).isEmpty();
        h.acd.setPresence("b", PresenceState.AVAILABLE, "", Actors.agent("b"));
        assertThat(h.offeredToOne("c1")).isEqualTo("b");
    }

    @Test
    void holdAndResumeAreEvents() {
        Harness h = voice().online(AgentDefinition.builder("a"));
        h.arrive("c1", VOICE, "q");
        h.acd.accept("c1", "a");
        h.acd.hold("c1", Actors.agent("a"));
        assertThat(h.stateOf("c1")).isEqualTo(InteractionState.HELD);
        h.acd.resume("c1", Actors.agent("a"));
        assertThat(h.types("c1")).endsWith(InteractionEventType.HELD, InteractionEventType.RESUMED);
        assertThatThrownBy(() -> h.acd.resume("c1", Actors.agent("a"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unknownIdsAreReported() {
        Harness h = voice();
        assertThatThrownBy(() -> h.acd.accept("nope", "a")).isInstanceOf(java.util.NoSuchElementException.class);
        assertThatThrownBy(() -> h.arrive("x", VOICE, "nope")).isInstanceOf(java.util.NoSuchElementException.class);
        h.arrive("x", VOICE, "q");
        assertThatThrownBy(() -> h.arrive("x", VOICE, "q")).isInstanceOf(IllegalStateException.class);
    }
}
