package io.musubi.acd;

import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.PresenceState;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;

import static io.musubi.model.Channel.VOICE;
import static org.assertj.core.api.Assertions.assertThat;

/** Opening hours, overflow, escalation, list-based membership (DESIGN §5.3). */
class QueueRulesTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    // 2025-04-01 is a Tuesday; the harness clock starts at 09:00 Tokyo time.
    private static final OpeningHours OFFICE = OpeningHours.builder(TOKYO)
            .weekdays(LocalTime.of(9, 0), LocalTime.of(18, 0)).holiday(LocalDate.of(2025, 4, 2)).build();

    @Test
    void openingHoursWithTimeZoneAndHolidays() {
        assertThat(OFFICE.isOpen(Instant.parse("2025-04-01T00:00:00Z"))).isTrue();   // Tue 09:00 JST
        assertThat(OFFICE.isOpen(Instant.parse("2025-03-31T23:59:59Z"))).isFalse();  // Tue 08:59 JST
        assertThat(OFFICE.isOpen(Instant.parse("2025-04-01T09:00:00Z"))).isFalse();  // Tue 18:00 JST
        assertThat(OFFICE.isOpen(Instant.parse("2025-04-02T01:00:00Z"))).isFalse();  // holiday
        assertThat(OFFICE.isOpen(Instant.parse("2025-04-05T01:00:00Z"))).isFalse();  // Saturday
        assertThat(OFFICE.nextOpening(Instant.parse("2025-04-01T10:00:00Z")))
                .contains(Instant.parse("2025-04-03T00:00:00Z"));                     // Thu 09:00 JST
        assertThat(OpeningHours.builder(TOKYO).open(DayOfWeek.SUNDAY, LocalTime.of(22, 0), LocalTime.MIDNIGHT).build()
                .isOpen(Instant.parse("2025-04-06T14:30:00Z"))).isTrue();
    }

    @Test
    void aClosedQueueOverflowsToAnotherQueue() {
        Harness h = new Harness().queue(QueueDefinition.builder("night").channels(VOICE))
                .queue(QueueDefinition.builder("day").channels(VOICE).openingHours(OFFICE)
                        .whenClosed(OverflowTarget.queue("night")));
        h.clock.set(Instant.parse("2025-04-01T10:00:00Z")); // 19:00 JST
        h.arrive("c1", VOICE, "day");
        assertThat(h.acd.interaction("c1").orElseThrow().queueId()).isEqualTo("night");
        assertThat(h.acd.queueStatistics("day").orElseThrow().open()).isFalse();
    }

    @Test
    void aClosedQueueCanCallBackAtTheNextOpening() {
        Harness h = new Harness().queue(QueueDefinition.builder("day").channels(VOICE).openingHours(OFFICE)
                .whenClosed(OverflowTarget.callback(Duration.ZERO))).agent(AgentDefinition.builder("a"));
        h.clock.set(Instant.parse("2025-04-01T10:00:00Z"));
        h.arrive("c1", VOICE, "day");
        InteractionEvent cb = h.of("c1").get(0);
        assertThat(cb.type()).isEqualTo(InteractionEventType.CALLBACK_SCHEDULED);
        assertThat(cb.attributes()).containsEntry(AcdAttributes.CALLBACK_AT, "2025-04-03T00:00:00Z");
        String cbId = cb.attributes().get(AcdAttributes.CALLBACK_ID);
        h.clock.set(Instant.parse("2025-04-03T00:00:00Z"));
        h.acd.setPresence("a", PresenceState.AVAILABLE, "", Actors.agent("a"));
        assertThat(h.offersOf("a")).containsExactly(cbId);
    }

    @Test
    void maxWaitOverflowsToAQueue() {
        Harness h = new Harness().queue(QueueDefinition.builder("backup").channels(VOICE).member("b"))
                .queue(QueueDefinition.builder("main").channels(VOICE).member("a").maxWait(Duration.ofSeconds(60))
                        .overflow(OverflowTarget.queue("backup")))
                .agent(AgentDefinition.builder("a")).online(AgentDefinition.builder("b"));
        h.arrive("c1", VOICE, "main");
        h.advance(59);
        assertThat(h.offeredTo("c1")).isEmpty();
        h.advance(1);
        assertThat(h.offeredToOne("c1")).isEqualTo("b");
        assertThat(h.acd.queueStatistics("main").orElseThrow().overflowed()).isEqualTo(1);
        assertThat(h.types("c1")).containsSubsequence(InteractionEventType.QUEUED, InteractionEventType.TRANSFERRED,
                InteractionEventType.QUEUED, InteractionEventType.OFFERED);
    }

    @Test
    void maxWaitOverflowsToVoicemail() {
        Harness h = new Harness().queue(QueueDefinition.builder("main").channels(VOICE)
                .maxWait(Duration.ofSeconds(30)).overflow(OverflowTarget.voicemail()));
        h.arrive("c1", VOICE, "main");
        h.advance(30);
        InteractionEvent end = h.of("c1").get(h.of("c1").size() - 1);
        assertThat(end.type()).isEqualTo(InteractionEventType.ENDED);
        assertThat(end.attributes()).containsEntry(AcdAttributes.OUTCOME, "voicemail");
        assertThat(h.acd.interaction("c1")).isEmpty();
    }

    @Test
    void maxWaitOverflowsToACallback() {
        Harness h = new Harness().queue(QueueDefinition.builder("main").channels(VOICE)
                .maxWait(Duration.ofSeconds(30)).overflow(OverflowTarget.callback(Duration.ofMinutes(10))));
        h.arrive("c1", VOICE, "main");
        h.advance(30);
        assertThat(h.types("c1")).endsWith(InteractionEventType.CALLBACK_SCHEDULED, InteractionEventType.ENDED);
        h.advance(600);
        assertThat(h.acd.waiting("main")).extracting(WaitingInteraction::interactionId).containsExactly("c1:callback");
    }

    @Test
    void withoutOverflowTargetItKeepsWaiting() {
        Harness h = new Harness().queue(QueueDefinition.builder("main").channels(VOICE).maxWait(Duration.ofSeconds(30)));
        h.arrive("c1", VOICE, "main");
        h.advance(300);
        assertThat(h.acd.waiting("main")).hasSize(1);
    }

    @Test
    void escalationRelaxesSkillsOverTime() {
        Harness h = new Harness().queue(QueueDefinition.builder("expert").channels(VOICE).requireSkill("tax", 8)
                        .escalation(EscalationStep.relaxSkills(Duration.ofSeconds(30), Map.of("tax", 3))))
                .online(AgentDefinition.builder("junior").skill("tax", 4));
        h.arrive("c1", VOICE, "expert");
        h.advance(29);
        assertThat(h.offeredTo("c1")).isEmpty();
        h.advance(1);
        assertThat(h.offeredToOne("c1")).isEqualTo("junior");
    }

    @Test
    void escalationAddsOverflowQueues() {
        Harness h = new Harness().queue(QueueDefinition.builder("helpers").channels(VOICE).member("h"))
                .queue(QueueDefinition.builder("main").channels(VOICE).member("m")
                        .escalation(EscalationStep.addQueues(Duration.ofSeconds(45), "helpers")))
                .online(AgentDefinition.builder("h"));
        h.arrive("c1", VOICE, "main");
        h.advance(44);
        assertThat(h.offeredTo("c1")).isEmpty();
        h.advance(1);
        assertThat(h.offeredToOne("c1")).isEqualTo("h");
    }

    @Test
    void listBasedMembership() {
        Harness h = new Harness().queue(QueueDefinition.builder("named").channels(VOICE).member("b"))
                .online(AgentDefinition.builder("a")).online(AgentDefinition.builder("b"));
        h.arrive("c1", VOICE, "named");
        assertThat(h.offeredToOne("c1")).isEqualTo("b");
        h.arrive("c2", VOICE, "named");
        assertThat(h.offeredTo("c2")).isEmpty();
    }

    @Test
    void redefiningAQueueReRoutesItsWaitingWork() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE).requireSkill("fr", 5))
                .online(AgentDefinition.builder("a").skill("fr", 2));
        h.arrive("c1", VOICE, "q");
        assertThat(h.offeredTo("c1")).isEmpty();
        h.queue(QueueDefinition.builder("q").channels(VOICE).requireSkill("fr", 1));
        assertThat(h.offeredToOne("c1")).isEqualTo("a");
    }

    @Test
    void redefiningAnAgentsSkillsChangesItsQueues() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE).requireSkill("fr", 5))
                .online(AgentDefinition.builder("a").skill("fr", 2));
        h.arrive("c1", VOICE, "q");
        h.acd.defineAgent(AgentDefinition.builder("a").skill("fr", 6).build());
        assertThat(h.offeredToOne("c1")).isEqualTo("a");
    }
}
