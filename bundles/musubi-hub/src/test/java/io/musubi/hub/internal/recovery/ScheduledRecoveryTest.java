package io.musubi.hub.internal.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.WaitingInteraction;
import io.musubi.api.ScheduledInteractions;
import io.musubi.hub.definitions.QueueForm;
import io.musubi.hub.internal.definitions.Definitions;
import io.musubi.hub.internal.events.AcdHistoryRecorder;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.hub.internal.ingress.IngressProcessor;
import io.musubi.hub.internal.schedule.InteractionScheduler;
import io.musubi.identity.IdentityServices;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
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
 * Call-backs for a chosen time across a stop of the hub: recovery does not queue one whose time is still ahead (the
 * scheduler queues it then), and queues those that fell due while the hub was down at once, in the order of their
 * times, waiting since their time.
 */
class ScheduledRecoveryTest {

    private static final String T = "acme";
    private static final String CALLBACKS = T + "/callbacks";
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

    /** One life of the hub: a fresh engine and scheduler on the store, with what the hub wires around them. */
    private final class Life implements AutoCloseable {
        final JdbcStore store = TestStores.h2(dir.resolve("store"), clock);
        final HubEvents events = new HubEvents();
        final AcdEngine acd = Acd.newEngine(clock);
        final Definitions definitions;
        final InteractionScheduler scheduler;
        final IngressProcessor ingress;
        List<AcdRecovery.TenantSummary> recovered = List.of();

        Life() {
            acd.addListener(new AcdHistoryRecorder(store.store(), store.transactions(), events).listener());
            definitions = new Definitions(acd, store.definitions());
            scheduler = new InteractionScheduler(acd, store.store(), store.transactions(), events, clock,
                    Duration.ZERO);
            ingress = new IngressProcessor(IdentityServices.create(store.customers(), "JP"), store.store(),
                    store.idempotency(), acd, "default", true, List::of, events, store.transactions(),
                    scheduler::defer);
        }

        Life recover() {
            recovered = new AcdRecovery(acd, store.definitions(), store.acdState(), store.store(), events, clock,
                    "default", true, Duration.ofMinutes(5), scheduler).recoverAll(new RecoveryStatus());
            return this;
        }

        Interaction callback(String phone, Instant at) {
            String id = "cb-" + phone;
            return ingress.submit(new InboundEvent(id, "api", T, Channel.VOICE, InteractionEventType.ARRIVED,
                    Address.parse("tel:" + phone), null, id, null,
                    Map.of("callback", "true", "musubi.queue", "callbacks", ScheduledInteractions.DUE_AT,
                            at.toString()), clock.instant()));
        }

        @Override
        public void close() {
            store.close();
        }
    }

    private Life restartAt(Instant when) {
        life.close();
        life = null;
        clock.set(when);
        life = new Life();
        return life;
    }

    private static QueueForm.Body voiceQueue() {
        return new QueueForm.Body("Call-backs", Set.of(Channel.VOICE), null, null, null, null, null, null, null, null,
                null, 0L, null, null, null, null, null, null);
    }

    private static List<String> waiting(AcdEngine acd) {
        return acd.waiting(CALLBACKS).stream().map(WaitingInteraction::interactionId).toList();
    }

    @Test
    void aCallBackNotYetDueAtTheRestartIsNotQueuedThenButAtItsTime() {
        life = new Life().recover();
        life.definitions.saveQueue(T, "callbacks", voiceQueue());
        Instant at = T0.plus(Duration.ofMinutes(30));
        Interaction cb = life.callback("+81312345678", at);
        assertThat(life.acd.interaction(cb.id())).isEmpty();

        Life next = restartAt(T0.plus(Duration.ofMinutes(10))).recover();
        assertThat(next.acd.interaction(cb.id())).as("not queued at the start: its time is ahead").isEmpty();
        assertThat(waiting(next.acd)).isEmpty();
        assertThat(next.store.store().findInteraction(T, cb.id()).orElseThrow().state())
                .isEqualTo(InteractionState.NEW);
        assertThat(next.recovered).singleElement().satisfies(s -> {
            assertThat(s.scheduled()).isEqualTo(1);
            assertThat(s.queuedAnew()).isZero();
        });
        assertThat(next.scheduler.scheduled(T, CALLBACKS)).extracting(s -> s.interaction().id())
                .containsExactly(cb.id());
        assertThat(next.store.store().interactionEvents(T, cb.id()))
                .filteredOn(e -> e.type() == InteractionEventType.CALLBACK_SCHEDULED).as("journaled once").hasSize(1);

        clock.set(at.minusMillis(1));
        assertThat(next.scheduler.runDue()).isZero();
        clock.set(at);
        assertThat(next.scheduler.runDue()).isEqualTo(1);
        assertThat(waiting(next.acd)).containsExactly(cb.id());
        assertThat(next.acd.waiting(CALLBACKS).get(0).queuedAt()).isEqualTo(at);
    }

    @Test
    void callBacksThatFellDueWhileTheHubWasDownAreQueuedAtTheStartInTheOrderOfTheirTimes() {
        life = new Life().recover();
        life.definitions.saveQueue(T, "callbacks", voiceQueue());
        // requested in the reverse order of their times
        Interaction second = life.callback("+81312345602", T0.plus(Duration.ofMinutes(20)));
        clock.advanceSeconds(1);
        Interaction first = life.callback("+81312345601", T0.plus(Duration.ofMinutes(10)));
        clock.advanceSeconds(1);
        Interaction later = life.callback("+81312345603", T0.plus(Duration.ofHours(5)));

        Life next = restartAt(T0.plus(Duration.ofMinutes(30))).recover();
        assertThat(waiting(next.acd)).as("due ones at once, in the order of their times")
                .containsExactly(first.id(), second.id());
        assertThat(next.acd.waiting(CALLBACKS)).extracting(WaitingInteraction::queuedAt)
                .as("waiting since their time: service level counts the outage")
                .containsExactly(T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(20)));
        assertThat(next.acd.interaction(later.id())).isEmpty();
        assertThat(next.scheduler.scheduled(T, CALLBACKS)).extracting(s -> s.interaction().id())
                .containsExactly(later.id());
        Interaction row = next.store.store().findInteraction(T, first.id()).orElseThrow();
        assertThat(row.state()).isEqualTo(InteractionState.QUEUED);
        assertThat(next.store.store().interactionEvents(T, first.id())).extracting(InteractionEvent::type)
                .containsExactly(InteractionEventType.ARRIVED, InteractionEventType.CALLBACK_SCHEDULED,
                        InteractionEventType.QUEUED);

        // and a second restart finds them waiting, with the same times
        Life third = restartAt(T0.plus(Duration.ofMinutes(31))).recover();
        assertThat(waiting(third.acd)).containsExactly(first.id(), second.id());
        assertThat(third.acd.waiting(CALLBACKS)).extracting(WaitingInteraction::queuedAt)
                .containsExactly(T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(20)));
        assertThat(third.scheduler.scheduled(T, CALLBACKS)).hasSize(1);
    }
}
