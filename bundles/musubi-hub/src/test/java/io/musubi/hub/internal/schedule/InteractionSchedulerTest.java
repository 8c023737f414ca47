package io.musubi.hub.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.api.ScheduledInteractions;
import io.musubi.api.ScheduledInteractions.Scheduled;
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
import io.musubi.model.PresenceState;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.testkit.ManualClock;
import io.musubi.testkit.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler with a manual clock on the real ingress, engine and H2 store: a call-back for a later time is stored
 * and in the journey at once, but offered only at its time; one due now is queued at once; cancel, listing, lead.
 */
class InteractionSchedulerTest {

    private static final String T = "acme";
    private static final String CALLBACKS = T + "/callbacks";
    private static final String ALICE = T + "/alice";
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private JdbcStore store;
    private AcdEngine acd;
    private HubEvents events;
    private final List<InteractionEvent> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    private InteractionScheduler scheduler;
    private IngressProcessor ingress;

    @BeforeEach
    void start() {
        start(Duration.ZERO);
    }

    private void start(Duration lead) {
        store = TestStores.h2(dir.resolve("store-" + lead.toSeconds()), clock);
        events = new HubEvents();
        events.add(new io.musubi.api.HubEventListener() {
            @Override
            public void onInteractionEvent(InteractionEvent event) {
                published.add(event);
            }
        });
        acd = Acd.newEngine(clock);
        acd.addListener(new AcdHistoryRecorder(store.store(), store.transactions(), events).listener());
        acd.defineQueue(QueueDefinition.builder(CALLBACKS).channels(Channel.VOICE).build());
        acd.defineAgent(AgentDefinition.builder(ALICE).build());
        scheduler = new InteractionScheduler(acd, store.store(), store.transactions(), events, clock, lead);
        ingress = new IngressProcessor(IdentityServices.create(store.customers(), "JP"), store.store(),
                store.idempotency(), acd, "default", true, List::of, events, store.transactions(),
                scheduler::defer);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Interaction callback(String phone, Instant at) {
        String id = "cb-" + phone + "-" + at;
        Map<String, String> attributes = new HashMap<>(Map.of("callback", "true", "musubi.queue", "callbacks"));
        if (at != null) {
            attributes.put(ScheduledInteractions.DUE_AT, at.toString());
        }
        return ingress.submit(new InboundEvent(id, "api", T, Channel.VOICE, InteractionEventType.ARRIVED,
                Address.parse("tel:" + phone), null, id, null, attributes, clock.instant()));
    }

    private Interaction stored(String id) {
        return store.store().findInteraction(T, id).orElseThrow();
    }

    private List<InteractionEvent> history(String id) {
        return store.store().interactionEvents(T, id);
    }

    @Test
    void aCallBackForLaterIsStoredAndInTheJourneyAtOnceButOfferedOnlyAtItsTime() {
        acd.setPresence(ALICE, PresenceState.AVAILABLE, "", Actors.agent(ALICE));
        Instant at = T0.plus(Duration.ofMinutes(30));
        Interaction cb = callback("+81312345678", at);

        assertThat(stored(cb.id()).state()).as("stored at once, not queued").isEqualTo(InteractionState.NEW);
        assertThat(acd.interaction(cb.id())).as("the ACD does not know it yet").isEmpty();
        assertThat(acd.agent(ALICE).orElseThrow().offered()).isEmpty();
        assertThat(history(cb.id())).extracting(InteractionEvent::type)
                .containsExactly(InteractionEventType.ARRIVED, InteractionEventType.CALLBACK_SCHEDULED);
        InteractionEvent scheduled = history(cb.id()).get(1);
        assertThat(scheduled.attributes()).containsEntry(AcdAttributes.CALLBACK_AT, at.toString())
                .containsEntry(AcdAttributes.QUEUE_ID, CALLBACKS);
        assertThat(store.store().journey(io.musubi.store.JourneyQuery.of(T, cb.customerId())).events())
                .as("in the customer's journey as requested, with its time")
                .extracting(InteractionEvent::type).contains(InteractionEventType.CALLBACK_SCHEDULED);
        assertThat(published).extracting(InteractionEvent::type).contains(InteractionEventType.CALLBACK_SCHEDULED);
        assertThat(scheduler.scheduled(T, CALLBACKS)).extracting(s -> s.interaction().id()).containsExactly(cb.id());

        clock.set(at.minusMillis(1));
        assertThat(scheduler.runDue()).isZero();
        acd.tick();
        assertThat(acd.interaction(cb.id())).as("not before its time").isEmpty();

        clock.set(at);
        assertThat(scheduler.runDue()).isEqualTo(1);
        assertThat(acd.interaction(cb.id())).hasValueSatisfying(i -> {
            assertThat(i.state()).isEqualTo(InteractionState.OFFERED);
            assertThat(i.agentId()).isEqualTo(ALICE);
        });
        assertThat(acd.waiting(CALLBACKS)).isEmpty();
        InteractionEvent queued = history(cb.id()).stream()
                .filter(e -> e.type() == InteractionEventType.QUEUED).findFirst().orElseThrow();
        assertThat(queued.timestamp()).as("queued at the time promised").isEqualTo(at);
        assertThat(scheduler.scheduled(T, CALLBACKS)).isEmpty();
        assertThat(scheduler.runDue()).as("queued once").isZero();
    }

    @Test
    void aCallBackDueNowOrWithoutATimeIsQueuedAtOnce() {
        Interaction now = callback("+81312345601", T0);
        Interaction past = callback("+81312345602", T0.minusSeconds(60));
        Interaction none = callback("+81312345603", null);
        for (Interaction i : List.of(now, past, none)) {
            assertThat(acd.interaction(i.id())).as(i.id()).hasValueSatisfying(
                    x -> assertThat(x.state()).isEqualTo(InteractionState.QUEUED));
            assertThat(history(i.id())).extracting(InteractionEvent::type)
                    .doesNotContain(InteractionEventType.CALLBACK_SCHEDULED);
        }
        assertThat(scheduler.size()).isZero();
    }

    @Test
    void theyAreQueuedInTheOrderOfTheirTimesWithTheLeadBeforeIt() {
        store.close();
        start(Duration.ofMinutes(2));
        Interaction late = callback("+81312345611", T0.plus(Duration.ofHours(2)));
        Interaction early = callback("+81312345612", T0.plus(Duration.ofHours(1)));
        Interaction tooSoonForTheLead = callback("+81312345613", T0.plus(Duration.ofMinutes(1)));
        assertThat(acd.interaction(tooSoonForTheLead.id())).as("within the lead: queued at once").isPresent();

        assertThat(scheduler.scheduled(T, CALLBACKS)).extracting(s -> s.interaction().id(), Scheduled::queueAt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(early.id(), T0.plus(Duration.ofMinutes(58))),
                        org.assertj.core.groups.Tuple.tuple(late.id(), T0.plus(Duration.ofMinutes(118))));

        clock.set(T0.plus(Duration.ofMinutes(58)).minusMillis(1));
        assertThat(scheduler.runDue()).isZero();
        clock.set(T0.plus(Duration.ofMinutes(58)));
        assertThat(scheduler.runDue()).isEqualTo(1);
        assertThat(acd.waiting(CALLBACKS)).extracting(w -> w.interactionId())
                .containsExactly(tooSoonForTheLead.id(), early.id());

        clock.set(T0.plus(Duration.ofHours(3)));
        assertThat(scheduler.runDue()).isEqualTo(1);
        assertThat(acd.waiting(CALLBACKS)).extracting(w -> w.interactionId())
                .containsExactly(tooSoonForTheLead.id(), early.id(), late.id());
    }

    @Test
    void aCancelledCallBackEndsAndIsNeverQueued() {
        Instant at = T0.plus(Duration.ofMinutes(10));
        Interaction cb = callback("+81312345621", at);
        assertThat(scheduler.cancel("other", cb.id(), "agent:other/bob")).as("another tenant's").isFalse();
        assertThat(scheduler.cancel(T, cb.id(), Actors.agent(ALICE))).isTrue();
        assertThat(scheduler.cancel(T, cb.id(), Actors.agent(ALICE))).as("once").isFalse();

        assertThat(stored(cb.id()).state()).isEqualTo(InteractionState.ENDED);
        InteractionEvent ended = history(cb.id()).get(history(cb.id()).size() - 1);
        assertThat(ended.type()).isEqualTo(InteractionEventType.ENDED);
        assertThat(ended.attributes()).containsEntry(AcdAttributes.OUTCOME, InteractionScheduler.CANCELLED);
        assertThat(ended.actor()).isEqualTo(Actors.agent(ALICE));
        assertThat(scheduler.scheduled(T, CALLBACKS)).isEmpty();

        clock.set(at.plusSeconds(1));
        assertThat(scheduler.runDue()).isZero();
        assertThat(acd.interaction(cb.id())).isEmpty();
    }

    @Test
    void oneThatEndedMeanwhileIsNotQueuedAndOneWhoseQueueIsGoneIsClosed() {
        Interaction ended = callback("+81312345631", T0.plus(Duration.ofMinutes(5)));
        Interaction orphan = callback("+81312345632", T0.plus(Duration.ofMinutes(6)));
        Interaction e = stored(ended.id());
        store.store().saveInteraction(new Interaction(e.id(), e.tenantId(), e.channel(), e.customerId(), e.from(),
                e.to(), e.threadKey(), e.queueId(), e.priority(), e.attributes(), InteractionState.ENDED,
                e.createdAt(), clock.instant(), "", ""));
        acd.removeQueue(CALLBACKS);

        clock.set(T0.plus(Duration.ofMinutes(7)));
        assertThat(scheduler.runDue()).isZero();
        assertThat(acd.interaction(ended.id())).isEmpty();
        assertThat(acd.interaction(orphan.id())).isEmpty();
        assertThat(stored(orphan.id()).state()).as("not left NEW for ever").isEqualTo(InteractionState.ENDED);
        assertThat(history(orphan.id()).get(history(orphan.id()).size() - 1).attributes())
                .containsEntry(AcdAttributes.OUTCOME, "refused");
        assertThat(scheduler.size()).isZero();
    }

    @Test
    void theListingIsPerTenantAndQueueAndARepeatedOfferIsHeldOnce() {
        Interaction cb = callback("+81312345641", T0.plus(Duration.ofMinutes(5)));
        assertThat(scheduler.scheduled("other", CALLBACKS)).as("the queue of another tenant").isEmpty();
        assertThat(scheduler.scheduled("other", "other/callbacks")).isEmpty();
        assertThat(scheduler.defer(stored(cb.id()))).isTrue();
        assertThat(scheduler.size()).isEqualTo(1);
        assertThat(history(cb.id())).filteredOn(x -> x.type() == InteractionEventType.CALLBACK_SCHEDULED)
                .hasSize(1);
        assertThat(published).filteredOn(x -> x.type() == InteractionEventType.CALLBACK_SCHEDULED).hasSize(1);

        scheduler.release(T);
        assertThat(scheduler.size()).isZero();
        assertThat(stored(cb.id()).state()).as("the store keeps it for the hub that takes the tenant")
                .isEqualTo(InteractionState.NEW);
    }

    @Test
    void aRepeatOfTheRequestDoesNotQueueItEarly() {
        Instant at = T0.plus(Duration.ofMinutes(5));
        Interaction cb = callback("+81312345651", at);
        Interaction again = callback("+81312345651", at);
        assertThat(again.id()).isEqualTo(cb.id());
        assertThat(acd.interaction(cb.id())).as("a repeat of a stored, unqueued event must not queue it").isEmpty();
    }
}
