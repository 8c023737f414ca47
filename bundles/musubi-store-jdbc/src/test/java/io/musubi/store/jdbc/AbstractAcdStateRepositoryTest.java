package io.musubi.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import io.musubi.store.AcdStateRepository;
import io.musubi.store.AcdStateRepository.AgentPresence;
import io.musubi.store.AcdStateRepository.OpenInteraction;
import io.musubi.store.AcdStateRepository.StickyRecord;
import io.musubi.store.InteractionMove;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The contract of {@link AcdStateRepository}: what the ACD rebuilds itself from after a restart. */
abstract class AbstractAcdStateRepositoryTest extends AbstractHistoryTest {

    private AcdStateRepository acd() {
        return history.acdState();
    }

    private Interaction queued(String id, String queue, int arrivedSecond) {
        return interaction(id, Channel.LINE, "line:U" + id, "", queue, InteractionState.QUEUED, T0,
                T0.plusSeconds(arrivedSecond), "", Map.of());
    }

    @Test
    void openInteractionsComeInQueueOrderWithTheTimeTheyWereQueuedInTheirCurrentQueue() {
        store().saveInteractions(List.of(queued("late", "q1", 30), queued("early", "q1", 10), queued("tie-b", "q1", 20),
                queued("tie-a", "q1", 20)));
        Interaction early = queued("early", "q1", 10);
        // offered, then back in the queue after an offer timeout: it keeps its place (aging stays honest)
        store().saveInteraction(early.withState(InteractionState.OFFERED, T0.plusSeconds(40)));
        store().saveInteraction(early.withState(InteractionState.QUEUED, T0.plusSeconds(55)));
        // an overflow to another queue: queued there now
        Interaction late = queued("late", "q1", 30);
        store().saveInteraction(new Interaction(late.id(), tenant, late.channel(), "", late.from(), null,
                late.threadKey(), "q2", 0, Map.of(), InteractionState.QUEUED, T0, T0.plusSeconds(60), "", ""));
        // assigned to an agent, then ended
        store().saveInteraction(interaction("busy", Channel.VOICE, "tel:+81312345678", "", "q1",
                InteractionState.CONNECTED, T0, T0.plusSeconds(5), "agent-1", Map.of()));
        store().saveInteraction(interaction("done", Channel.VOICE, "tel:+81312345679", "", "q1",
                InteractionState.ENDED, T0, T0.plusSeconds(6), "agent-1", Map.of()));
        store().saveInteraction(interaction("new", Channel.SMS, "sms:+81312345670", "", "", InteractionState.NEW,
                T0.plusSeconds(1), T0.plusSeconds(1), "", Map.of()));

        List<OpenInteraction> open = acd().openInteractions(tenant);
        assertThat(open).extracting(o -> o.interaction().id())
                .as("never queued: by creation time").containsExactly("busy", "new", "early", "tie-a", "tie-b", "late");
        assertThat(open.get(0).queuedAt()).as("assigned at once").isNull();
        assertThat(open.get(0).interaction().agentId()).isEqualTo("agent-1");
        assertThat(open.get(1).queuedAt()).as("never queued").isNull();
        assertThat(open.get(2).queuedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(open.get(2).interaction().state()).isEqualTo(InteractionState.QUEUED);
        assertThat(open.get(5).queuedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(open.get(5).interaction().queueId()).isEqualTo("q2");
        assertThat(acd().openInteractions(tenant + "-other")).isEmpty();
    }

    @Test
    void movesDateTheQueueTimeAsFullSavesDoAndTouchOnlyTheAcdsColumns() {
        store().saveInteractions(List.of(queued("m-late", "q1", 30), queued("m-early", "q1", 10)));
        store().moveInteractions(List.of(
                // offered, then back in the same queue after an offer timeout: it keeps its place
                new InteractionMove(tenant, "m-early", InteractionState.OFFERED, "q1", "agent-1", null,
                        T0.plusSeconds(40)),
                new InteractionMove(tenant, "m-early", InteractionState.QUEUED, "q1", null, null, T0.plusSeconds(55)),
                // overflowed to another queue: queued there now
                new InteractionMove(tenant, "m-late", InteractionState.QUEUED, "q2", null, null, T0.plusSeconds(60)),
                new InteractionMove(tenant, "unknown", InteractionState.QUEUED, "q1", null, null, T0)));

        List<OpenInteraction> open = acd().openInteractions(tenant);
        assertThat(open).extracting(o -> o.interaction().id()).containsExactly("m-early", "m-late");
        assertThat(open.get(0).queuedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(open.get(0).interaction().state()).isEqualTo(InteractionState.QUEUED);
        assertThat(open.get(0).interaction().agentId()).as("null keeps the stored agent").isEqualTo("agent-1");
        assertThat(open.get(0).interaction().updatedAt()).isEqualTo(T0.plusSeconds(55));
        assertThat(open.get(1).queuedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(open.get(1).interaction().queueId()).isEqualTo("q2");
        assertThat(store().findInteraction(tenant, "unknown")).isEmpty();

        // a disposition alone keeps the state; an end keeps the attributes written meanwhile
        assertThat(store().updateInteractionAttributes(tenant, "m-early", Map.of("reply.token", "r2"),
                T0.plusSeconds(70))).isTrue();
        store().moveInteractions(List.of(
                new InteractionMove(tenant, "m-early", null, null, null, "resolved", T0.plusSeconds(80)),
                new InteractionMove(tenant, "m-late", InteractionState.ENDED, null, null, null, T0.plusSeconds(81))));
        Interaction early = store().findInteraction(tenant, "m-early").orElseThrow();
        assertThat(early.state()).isEqualTo(InteractionState.QUEUED);
        assertThat(early.disposition()).isEqualTo("resolved");
        assertThat(early.attributes()).isEqualTo(Map.of("reply.token", "r2"));
        assertThat(store().findInteraction(tenant, "m-late").orElseThrow().state()).isEqualTo(InteractionState.ENDED);
        assertThat(store().updateInteractionAttributes(tenant, "unknown", Map.of(), T0)).isFalse();
    }

    @Test
    void anAttributesUpdateLeavesTheAcdsColumnsAsTheyAre() {
        store().saveInteraction(queued("a-1", "q1", 10));
        store().moveInteractions(List.of(new InteractionMove(tenant, "a-1", InteractionState.CONNECTED, null,
                "agent-2", null, T0.plusSeconds(20))));
        store().updateInteractionAttributes(tenant, "a-1", Map.of("reply.to", "x"), T0.plusSeconds(21));
        Interaction i = store().findInteraction(tenant, "a-1").orElseThrow();
        assertThat(i.state()).isEqualTo(InteractionState.CONNECTED);
        assertThat(i.agentId()).isEqualTo("agent-2");
        assertThat(i.attributes()).isEqualTo(Map.of("reply.to", "x"));
        assertThat(i.updatedAt()).isEqualTo(T0.plusSeconds(21));
    }

    @Test
    void tenantsWithOpenInteractionsAreListedOnce() {
        String other = tenant + "-closed";
        store().saveInteractions(List.of(queued("w1", "q1", 1), queued("w2", "q1", 2)));
        store().saveInteraction(new Interaction("ended", other, Channel.VOICE, "", io.musubi.model.Address.parse(
                "tel:+81312345678"), null, "", "q1", 0, Map.of(), InteractionState.ENDED, T0, T0, "", ""));

        assertThat(acd().tenantsWithOpenInteractions()).contains(tenant).doesNotContain(other)
                .doesNotHaveDuplicates().isSorted();
    }

    @Test
    void vipComesFromTheAttributeOrTheCustomersTag() {
        String tagged = newCustomer("line:Uvip");
        String merged = newCustomer("line:Uvip2");
        String plain = newCustomer("line:Uplain");
        customers().addTags(tenant, tagged, Set.of("vip"));
        customers().merge(tenant, merged, tagged, "supervisor"); // the tag is in the survivor's group now
        store().saveInteractions(List.of(
                interaction("a", Channel.LINE, "line:Uvip2", merged, "q", InteractionState.QUEUED, T0, T0, "",
                        Map.of()),
                interaction("b", Channel.LINE, "line:Uplain", plain, "q", InteractionState.QUEUED, T0,
                        T0.plusSeconds(1), "", Map.of()),
                interaction("c", Channel.LINE, "line:Uother", "", "q", InteractionState.QUEUED, T0, T0.plusSeconds(2),
                        "", Map.of("vip", "true"))));
        assertThat(acd().openInteractions(tenant)).extracting(OpenInteraction::vip).containsExactly(true, false, true);
    }

    @Test
    void agentsLastPresenceIsKeptPerAgent() {
        acd().savePresences(List.of(new AgentPresence(tenant, "a1", PresenceState.AVAILABLE, null, T0),
                new AgentPresence(tenant, "a2", PresenceState.BREAK, "lunch", T0.plusSeconds(1))));
        acd().savePresences(List.of(new AgentPresence(tenant, "a1", PresenceState.AWAY, "meeting",
                T0.plusSeconds(9))));
        assertThat(acd().presences(tenant)).containsExactly(
                new AgentPresence(tenant, "a1", PresenceState.AWAY, "meeting", T0.plusSeconds(9)),
                new AgentPresence(tenant, "a2", PresenceState.BREAK, "lunch", T0.plusSeconds(1)));
        assertThat(acd().presences(tenant + "-other")).isEmpty();
    }

    @Test
    void stickyRecordsKeepTheLastAgentPerCustomerAndListThoseNewerThanTheTtl() {
        acd().saveSticky(List.of(new StickyRecord(tenant, "c1", "a1", Channel.LINE, T0),
                new StickyRecord(tenant, "c2", "a2", Channel.VOICE, T0.plusSeconds(100))));
        acd().saveSticky(List.of(new StickyRecord(tenant, "c1", "a3", Channel.WEBCHAT, T0.plusSeconds(200))));

        assertThat(acd().stickyNewerThan(tenant, T0)).containsExactly(
                new StickyRecord(tenant, "c2", "a2", Channel.VOICE, T0.plusSeconds(100)),
                new StickyRecord(tenant, "c1", "a3", Channel.WEBCHAT, T0.plusSeconds(200)));
        assertThat(acd().stickyNewerThan(tenant, T0.plusSeconds(150))).extracting(StickyRecord::customerId)
                .containsExactly("c1");
        assertThat(acd().stickyNewerThan(tenant + "-other", T0)).isEmpty();
    }
}
