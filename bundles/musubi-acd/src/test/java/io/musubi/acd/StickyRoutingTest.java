package io.musubi.acd;

import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.PresenceState;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.musubi.model.Channel.LINE;
import static io.musubi.model.Channel.VOICE;
import static org.assertj.core.api.Assertions.assertThat;

/** Last-agent routing, design point ①. */
class StickyRoutingTest {

    /** a handles a LINE chat of customer "c1"; b is idle longer afterwards. */
    private static Harness served(StickyConfig sticky) {
        Harness h = new Harness()
                .queue(QueueDefinition.builder("line").channels(LINE).sticky(sticky))
                .queue(QueueDefinition.builder("voice").channels(VOICE).sticky(sticky).maxWait(Duration.ofSeconds(120)))
                .online(AgentDefinition.builder("a")).agent(AgentDefinition.builder("b"));
        h.arrive("chat", LINE, "line", "c1");
        h.acd.accept("chat", "a");
        h.advance(1);
        h.acd.setPresence("b", PresenceState.AVAILABLE, "", Actors.agent("b"));
        h.advance(1);
        h.acd.end("chat", Actors.agent("a")); // a was busy more recently: b is the longest idle
        h.advance(60);
        return h;
    }

    private static InteractionEvent lastOffer(Harness h, String id) {
        return h.of(id).stream().filter(e -> e.type() == InteractionEventType.OFFERED).reduce((x, y) -> y).orElseThrow();
    }

    @Test
    void theLastAgentGetsTheNextContactOnAnotherChannel() {
        Harness h = served(StickyConfig.preferred());
        assertThat(h.acd.lastAgent("c1")).contains("a");
        h.arrive("call", VOICE, "voice", "c1");
        assertThat(h.offeredToOne("call")).isEqualTo("a");
        assertThat(lastOffer(h, "call").attributes()).containsEntry(AcdAttributes.STICKY, "true");
    }

    @Test
    void withoutStickyTheStrategyDecides() {
        Harness h = served(StickyConfig.disabled());
        h.arrive("call", VOICE, "voice", "c1");
        assertThat(h.offeredToOne("call")).isEqualTo("b");
    }

    @Test
    void preferredWaitsForTheLastAgentsCapacityThenFallsBack() {
        Harness h = served(StickyConfig.preferred());
        h.arrive("other", VOICE, "voice", "c2");
        assertThat(h.offeredToOne("other")).isEqualTo("b");
        h.acd.accept("other", "b");
        h.acd.end("other", Actors.agent("b"));
        h.arrive("x", VOICE, "voice", "c9");
        h.acd.accept("x", "a");
        // a is on a call; b is free but the customer's call waits for a
        h.arrive("call", VOICE, "voice", "c1");
        assertThat(h.offeredTo("call")).isEmpty();
        assertThat(h.acd.waiting("voice")).singleElement().extracting(WaitingInteraction::pinnedAgentId).isEqualTo("a");
        h.advance(10);
        h.acd.end("x", Actors.agent("a"));
        assertThat(h.offeredToOne("call")).isEqualTo("a");
    }

    @Test
    void preferredFallsBackAfterThePreferredWait() {
        Harness h = served(StickyConfig.preferred().withPreferredWait(Duration.ofSeconds(20)));
        h.arrive("x", VOICE, "voice", "c9");
        assertThat(h.offeredToOne("x")).isEqualTo("b");
        h.arrive("y", VOICE, "voice", "c8");
        h.acd.accept("x", "b");
        h.acd.accept("y", "a");
        h.acd.end("x", Actors.agent("b"));
        h.arrive("call", VOICE, "voice", "c1");
        h.advance(19);
        assertThat(h.offeredTo("call")).isEmpty();
        h.advance(1);
        assertThat(h.offeredToOne("call")).isEqualTo("b");
    }

    @Test
    void requiredKeepsWaitingUntilMaxWait() {
        Harness h = served(StickyConfig.required());
        h.arrive("y", VOICE, "voice", "c8");
        h.arrive("x", VOICE, "voice", "c9");
        h.acceptAll("a");
        h.acceptAll("b");
        h.acd.end(h.acd.agent("b").orElseThrow().assigned().get(0), Actors.agent("b"));
        h.arrive("call", VOICE, "voice", "c1");
        h.advance(100);
        assertThat(h.offeredTo("call")).isEmpty();
        h.advance(20);
        assertThat(h.offeredToOne("call")).isEqualTo("b");
    }

    @Test
    void anOfflineLastAgentNeverHoldsTheWork() {
        Harness h = served(StickyConfig.required());
        h.arrive("x", VOICE, "voice", "c9");
        h.arrive("y", VOICE, "voice", "c8");
        h.acceptAll("a");
        h.acceptAll("b");
        String bCall = h.acd.agent("b").orElseThrow().assigned().get(0);
        h.acd.end(bCall, Actors.agent("b"));
        h.arrive("call", VOICE, "voice", "c1");
        assertThat(h.offeredTo("call")).isEmpty();
        h.acd.setPresence("a", PresenceState.OFFLINE, "", Actors.supervisor("s"));
        assertThat(h.offeredToOne("call")).isEqualTo("b");
    }

    @Test
    void anAgentWhoIsOfflineAtArrivalIsSkipped() {
        Harness h = served(StickyConfig.required());
        h.acd.setPresence("a", PresenceState.OFFLINE, "", Actors.agent("a"));
        h.arrive("call", VOICE, "voice", "c1");
        assertThat(h.offeredToOne("call")).isEqualTo("b");
    }

    @Test
    void theRecordExpiresAfterTheTtl() {
        Harness h = served(StickyConfig.preferred().withTtl(Duration.ofHours(24)));
        h.advance(Duration.ofHours(24).toSeconds());
        h.arrive("call", VOICE, "voice", "c1");
        assertThat(h.offeredToOne("call")).isEqualTo("b");
    }

    @Test
    void aRejectingLastAgentIsNotAskedAgain() {
        Harness h = served(StickyConfig.required());
        h.arrive("call", VOICE, "voice", "c1");
        assertThat(h.offeredToOne("call")).isEqualTo("a");
        h.acd.reject("call", "a", "busy");
        assertThat(h.offeredToOne("call")).isEqualTo("b");
    }
}
