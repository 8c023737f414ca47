package io.musubi.hub.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.acd.AcdAttributes;
import io.musubi.hub.events.EventFilter;
import io.musubi.hub.events.EventStream;
import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;
import io.musubi.testkit.Await;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventBusTest {

    static final Instant T = Instant.parse("2025-04-01T09:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration QUIET = Duration.ofMillis(200);

    private final List<EventBus> buses = new ArrayList<>();
    private int seq;

    @AfterEach
    void closeBuses() {
        buses.forEach(EventBus::close);
    }

    private EventBus bus(int ring, int queue) {
        return bus(ring, queue, Duration.ofMinutes(1), AssignmentLookup.NONE);
    }

    private EventBus bus(int ring, int queue, Duration heartbeat, AssignmentLookup lookup) {
        EventBus b = new EventBus(new EventBus.Settings(ring, queue, heartbeat, 10), Clock.fixed(T, ZoneOffset.UTC),
                lookup);
        buses.add(b);
        return b;
    }

    private InteractionEvent event(String tenant, String interaction, InteractionEventType type,
                                   Map<String, String> attributes) {
        return InteractionEvent.of("e" + (++seq), tenant, interaction, "cust-" + interaction, Channel.WEBCHAT, type,
                T, "system", attributes);
    }

    private InteractionEvent offered(String tenant, String interaction, String agent, String queue) {
        return event(tenant, interaction, InteractionEventType.OFFERED,
                Map.of(AcdAttributes.AGENT_ID, tenant + "/" + agent, AcdAttributes.QUEUE_ID, tenant + "/" + queue));
    }

    private InteractionEvent accepted(String tenant, String interaction, String agent, String queue) {
        return event(tenant, interaction, InteractionEventType.ACCEPTED,
                Map.of(AcdAttributes.AGENT_ID, tenant + "/" + agent, AcdAttributes.QUEUE_ID, tenant + "/" + queue));
    }

    private InteractionEvent message(String tenant, String interaction, String text) {
        return new InteractionEvent("e" + (++seq), tenant, interaction, "cust-" + interaction, Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, T, "customer", Map.of(), MessageContent.text(text));
    }

    private PresenceChange presence(String tenant, String agent) {
        return new PresenceChange("p" + (++seq), tenant, tenant + "/" + agent, PresenceState.AVAILABLE,
                PresenceState.BREAK, "", "agent:" + tenant + "/" + agent, T);
    }

    private static EventFilter supervisor(String tenant) {
        return EventFilter.all(tenant);
    }

    private static EventFilter agentOnly(String tenant, String agent, List<String> agentIds) {
        return EventFilter.of(tenant, agentIds, List.of(), List.of(), List.of(), agent);
    }

    private static List<String> ids(List<SseFrames.Frame> frames) {
        return frames.stream().map(SseFrames.Frame::id).toList();
    }

    private static List<SseFrames.Frame> next(RecordingSink sink, int n) throws InterruptedException {
        List<SseFrames.Frame> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SseFrames.Frame f = sink.nextEvent(WAIT);
            assertThat(f).as("event %d of %d", i + 1, n).isNotNull();
            out.add(f);
        }
        return out;
    }

    @Test
    void idsGrowByOneFromTheClockAndTheJsonCarriesThem() throws Exception {
        EventBus bus = bus(100, 100);
        RecordingSink sink = new RecordingSink();
        bus.subscribe(supervisor("acme"), null, sink);

        bus.onInteractionEvent(offered("acme", "i1", "alice", "support"));
        bus.onPresenceChange(presence("acme", "alice"));

        List<SseFrames.Frame> frames = next(sink, 2);
        long first = T.toEpochMilli() * 1000;
        assertThat(ids(frames)).containsExactly(Long.toString(first), Long.toString(first + 1));
        assertThat(frames).extracting(SseFrames.Frame::type).containsExactly("offered", "presence");
        JsonNode json = EventJson.mapper().readTree(frames.get(0).data());
        assertThat(json.get("id").asText()).isEqualTo(frames.get(0).id());
        assertThat(json.get("agentId").asText()).isEqualTo("alice");
    }

    @Test
    void withoutLastEventIdOnlyLiveEventsAreSent() throws Exception {
        EventBus bus = bus(100, 100);
        bus.onInteractionEvent(offered("acme", "i1", "alice", "support"));
        RecordingSink sink = new RecordingSink();

        bus.subscribe(supervisor("acme"), null, sink);
        bus.onInteractionEvent(offered("acme", "i2", "bob", "support"));

        SseFrames.Frame f = sink.nextEvent(WAIT);
        assertThat(EventJson.mapper().readTree(f.data()).get("interactionId").asText()).isEqualTo("i2");
        assertThat(sink.nextEvent(QUIET)).isNull();
    }

    @Test
    void resumeReplaysTheHeldEventsAfterTheIdThenLive() throws Exception {
        EventBus bus = bus(100, 100);
        long first = bus.nextId();
        for (int i = 1; i <= 5; i++) {
            bus.onInteractionEvent(offered("acme", "i" + i, "alice", "support"));
        }
        RecordingSink sink = new RecordingSink();

        bus.subscribe(supervisor("acme"), first + 1, sink);
        bus.onInteractionEvent(offered("acme", "i6", "alice", "support"));

        assertThat(ids(next(sink, 4))).containsExactly(Long.toString(first + 2), Long.toString(first + 3),
                Long.toString(first + 4), Long.toString(first + 5));
        assertThat(sink.nextEvent(QUIET)).isNull();
    }

    @Test
    void resumeFromTheNewestIdSendsOnlyLiveEvents() throws Exception {
        EventBus bus = bus(100, 100);
        bus.onInteractionEvent(offered("acme", "i1", "alice", "support"));
        long newest = bus.nextId() - 1;
        RecordingSink sink = new RecordingSink();

        bus.subscribe(supervisor("acme"), newest, sink);
        bus.onInteractionEvent(offered("acme", "i2", "alice", "support"));

        assertThat(ids(next(sink, 1))).containsExactly(Long.toString(newest + 1));
    }

    @Test
    void resumeFromAnEvictedIdSendsResetThenEverythingHeld() throws Exception {
        EventBus bus = bus(3, 100);
        long first = bus.nextId();
        for (int i = 1; i <= 5; i++) {
            bus.onInteractionEvent(offered("acme", "i" + i, "alice", "support"));
        }
        RecordingSink sink = new RecordingSink();

        bus.subscribe(supervisor("acme"), first, sink);

        List<SseFrames.Frame> frames = next(sink, 4);
        assertThat(frames.get(0).type()).isEqualTo("reset");
        assertThat(frames.get(0).id()).isEqualTo(Long.toString(first + 1));
        JsonNode reset = EventJson.mapper().readTree(frames.get(0).data());
        assertThat(reset.get("data").get("lastEventId").asText()).isEqualTo(Long.toString(first));
        assertThat(ids(frames.subList(1, 4))).containsExactly(Long.toString(first + 2), Long.toString(first + 3),
                Long.toString(first + 4));
    }

    @Test
    void resumeFromTheLastEvictedIdLosesNothingAndNeedsNoReset() throws Exception {
        EventBus bus = bus(3, 100);
        long first = bus.nextId();
        for (int i = 1; i <= 5; i++) {
            bus.onInteractionEvent(offered("acme", "i" + i, "alice", "support"));
        }
        RecordingSink sink = new RecordingSink();

        bus.subscribe(supervisor("acme"), first + 1, sink);

        assertThat(next(sink, 3)).extracting(SseFrames.Frame::type).containsOnly("offered");
    }

    @Test
    void anIdOfAnEarlierRunOrFromTheFutureGetsAReset() throws Exception {
        EventBus bus = bus(100, 100);
        bus.onInteractionEvent(offered("acme", "i1", "alice", "support"));
        RecordingSink earlier = new RecordingSink();
        RecordingSink future = new RecordingSink();

        bus.subscribe(supervisor("acme"), 5L, earlier);
        bus.subscribe(supervisor("acme"), bus.nextId() + 1000, future);

        assertThat(next(earlier, 2)).extracting(SseFrames.Frame::type).containsExactly("reset", "offered");
        assertThat(next(future, 2)).extracting(SseFrames.Frame::type).containsExactly("reset", "offered");
    }

    @Test
    void streamsSeeOnlyTheirTenantAndTheirFilters() throws Exception {
        EventBus bus = bus(100, 100);
        RecordingSink all = new RecordingSink();
        RecordingSink billingQueue = new RecordingSink();
        RecordingSink presenceOnly = new RecordingSink();
        RecordingSink customer = new RecordingSink();
        bus.subscribe(supervisor("acme"), null, all);
        bus.subscribe(new EventFilter("acme", Set.of(), Set.of("billing"), Set.of(), Set.of(), null), null,
                billingQueue);
        bus.subscribe(new EventFilter("acme", Set.of(), Set.of(), Set.of(), Set.of("presence"), null), null,
                presenceOnly);
        bus.subscribe(new EventFilter("acme", Set.of(), Set.of(), Set.of("cust-i2"), Set.of(), null), null,
                customer);

        bus.onInteractionEvent(offered("other", "x1", "alice", "billing"));
        bus.onPresenceChange(presence("other", "alice"));
        bus.onInteractionEvent(offered("acme", "i1", "alice", "support"));
        bus.onInteractionEvent(offered("acme", "i2", "bob", "billing"));
        bus.onInteractionEvent(message("acme", "i2", "hi"));
        bus.onPresenceChange(presence("acme", "bob"));

        assertThat(next(all, 4)).extracting(SseFrames.Frame::type)
                .containsExactly("offered", "offered", "message_in", "presence");
        assertThat(next(billingQueue, 2)).extracting(SseFrames.Frame::type)
                .containsExactly("offered", "message_in");
        assertThat(next(presenceOnly, 1)).extracting(SseFrames.Frame::type).containsExactly("presence");
        assertThat(next(customer, 2)).extracting(SseFrames.Frame::type)
                .containsExactly("offered", "message_in");
        assertThat(all.nextEvent(QUIET)).isNull();
        assertThat(billingQueue.drainEvents()).isEmpty();
        assertThat(presenceOnly.drainEvents()).isEmpty();
    }

    @Test
    void anAgentSeesOnlyItsOffersInteractionsAndPresenceWhateverItAsks() throws Exception {
        EventBus bus = bus(100, 100);
        RecordingSink alice = new RecordingSink();
        RecordingSink aliceAsksForBob = new RecordingSink();
        bus.subscribe(agentOnly("acme", "alice", List.of()), null, alice);
        bus.subscribe(agentOnly("acme", "alice", List.of("bob")), null, aliceAsksForBob);

        bus.onInteractionEvent(offered("acme", "i1", "bob", "support"));
        bus.onInteractionEvent(message("acme", "i1", "for bob"));
        bus.onPresenceChange(presence("acme", "bob"));
        bus.onInteractionEvent(offered("acme", "i2", "alice", "support"));
        bus.onInteractionEvent(accepted("acme", "i2", "alice", "support"));
        bus.onInteractionEvent(message("acme", "i2", "for alice"));
        bus.onPresenceChange(presence("acme", "alice"));
        bus.onInteractionEvent(offered("other", "i2", "alice", "support"));

        List<SseFrames.Frame> seen = next(alice, 4);
        assertThat(seen).extracting(SseFrames.Frame::type)
                .containsExactly("offered", "accepted", "message_in", "presence");
        assertThat(seen).allSatisfy(f -> assertThat(f.data()).contains("\"agentId\":\"alice\"")
                .doesNotContain("for bob"));
        assertThat(alice.nextEvent(QUIET)).isNull();
        assertThat(aliceAsksForBob.drainEvents()).isEmpty();
    }

    @Test
    void anAgentSeesItsInteractionTransferredAwayButNotWhatFollows() throws Exception {
        EventBus bus = bus(100, 100);
        RecordingSink alice = new RecordingSink();
        bus.subscribe(agentOnly("acme", "alice", List.of()), null, alice);

        bus.onInteractionEvent(accepted("acme", "i1", "alice", "support"));
        bus.onInteractionEvent(event("acme", "i1", InteractionEventType.TRANSFERRED,
                Map.of(AcdAttributes.FROM_AGENT_ID, "acme/alice", AcdAttributes.AGENT_ID, "acme/bob")));
        bus.onInteractionEvent(message("acme", "i1", "now bob's"));

        assertThat(next(alice, 2)).extracting(SseFrames.Frame::type).containsExactly("accepted", "transferred");
        assertThat(alice.nextEvent(QUIET)).isNull();
    }

    @Test
    void anInteractionUnknownSinceStartIsLookedUpOnceButNotOnArrival() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        EventBus bus = bus(100, 100, Duration.ofMinutes(1), (tenant, interaction) -> {
            lookups.incrementAndGet();
            return interaction.equals("old") ? Optional.of(new Assignment("alice", "support")) : Optional.empty();
        });
        RecordingSink alice = new RecordingSink();
        bus.subscribe(agentOnly("acme", "alice", List.of()), null, alice);

        bus.onInteractionEvent(event("acme", "new", InteractionEventType.ARRIVED, Map.of()));
        bus.onInteractionEvent(message("acme", "old", "still alice's"));
        bus.onInteractionEvent(message("acme", "old", "again"));

        assertThat(next(alice, 2)).extracting(SseFrames.Frame::type).containsExactly("message_in", "message_in");
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aFailingLookupCostsTheEnrichmentNotTheEvent() throws Exception {
        EventBus bus = bus(100, 100, Duration.ofMinutes(1), (tenant, interaction) -> {
            throw new IllegalStateException("database down");
        });
        RecordingSink sink = new RecordingSink();
        bus.subscribe(supervisor("acme"), null, sink);

        bus.onInteractionEvent(message("acme", "old", "hello"));

        SseFrames.Frame f = sink.nextEvent(WAIT);
        assertThat(f.type()).isEqualTo("message_in");
        assertThat(f.data()).doesNotContain("agentId");
    }

    @Test
    void aSlowStreamIsClosedAndNeverBlocksTheRecordingThread() throws Exception {
        EventBus bus = bus(100, 2);
        RecordingSink stuck = RecordingSink.stuck();
        RecordingSink fast = new RecordingSink();
        bus.subscribe(supervisor("acme"), null, stuck);
        bus.subscribe(supervisor("acme"), null, fast);
        bus.onInteractionEvent(offered("acme", "i0", "alice", "support"));
        assertThat(stuck.awaitBlocked(WAIT)).isTrue();
        assertThat(fast.nextEvent(WAIT)).isNotNull();

        for (int i = 1; i <= 10; i++) { // in step with the fast stream, whose queue never fills
            bus.onInteractionEvent(offered("acme", "i" + i, "alice", "support"));
            assertThat(fast.nextEvent(WAIT)).as("event %d on the fast stream", i).isNotNull();
        }

        assertThat(stuck.isClosed()).as("closed only after its blocked write returns").isFalse();
        assertThat(bus.droppedStreams()).isEqualTo(1);
        assertThat(bus.streams()).isEqualTo(1);
        stuck.unblock();
        assertThat(stuck.awaitClosed(WAIT)).isTrue();
        assertThat(stuck.drainEvents()).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void aFailingWriteClosesTheStream() throws Exception {
        EventBus bus = bus(100, 100);
        RecordingSink broken = RecordingSink.failing();
        bus.subscribe(supervisor("acme"), null, broken);

        bus.onInteractionEvent(offered("acme", "i1", "alice", "support"));

        assertThat(broken.awaitClosed(WAIT)).isTrue();
        Await.until("stream removed", WAIT, () -> bus.streams() == 0);
    }

    @Test
    void heartbeatsAreCommentsOnEveryStream() throws Exception {
        EventBus bus = bus(100, 100, Duration.ofMillis(50), AssignmentLookup.NONE);
        RecordingSink sink = new RecordingSink();
        bus.subscribe(supervisor("acme"), null, sink);

        assertThat(sink.nextComment(WAIT).comment()).isEqualTo("connected");
        assertThat(sink.nextComment(WAIT).comment()).isEqualTo("heartbeat");
    }

    @Test
    void closingASubscriptionOrTheBusClosesTheSink() throws Exception {
        EventBus bus = bus(100, 100);
        RecordingSink one = new RecordingSink();
        RecordingSink two = new RecordingSink();
        EventStream.Subscription s = bus.subscribe(supervisor("acme"), null, one);
        bus.subscribe(supervisor("acme"), null, two);

        s.close();
        assertThat(one.awaitClosed(WAIT)).isTrue();
        assertThat(s.isOpen()).isFalse();
        assertThat(bus.streams()).isEqualTo(1);

        bus.close();
        assertThat(two.awaitClosed(WAIT)).isTrue();
        assertThatThrownBy(() -> bus.subscribe(supervisor("acme"), null, new RecordingSink()))
                .isInstanceOf(EventStream.TooManyStreamsException.class);
    }

    @Test
    void streamsBeyondTheLimitAreRefused() {
        EventBus bus = bus(100, 100);
        for (int i = 0; i < 10; i++) {
            bus.subscribe(supervisor("acme"), null, new RecordingSink());
        }

        assertThatThrownBy(() -> bus.subscribe(supervisor("acme"), null, new RecordingSink()))
                .isInstanceOf(EventStream.TooManyStreamsException.class);
    }

    @Test
    void listenersGetEveryEventWithItsJsonAndAFailingOneHarmsNoOther() {
        EventBus bus = bus(100, 100);
        List<EventBus.Published> got = new CopyOnWriteArrayList<>();
        bus.addListener(p -> {
            throw new IllegalStateException("broken listener");
        });
        bus.addListener(got::add);

        bus.onInteractionEvent(offered("acme", "i1", "alice", "support"));
        bus.onPresenceChange(presence("other", "bob"));

        assertThat(got).extracting(p -> p.event().type()).containsExactly("offered", "presence");
        assertThat(got.get(1).event().tenantId()).isEqualTo("other");
        assertThat(got.get(0).json()).contains("\"type\":\"offered\"");
    }
}
