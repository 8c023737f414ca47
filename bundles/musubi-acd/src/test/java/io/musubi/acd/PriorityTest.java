package io.musubi.acd;

import io.musubi.model.PresenceState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.musubi.model.Channel.EMAIL;
import static io.musubi.model.Channel.VOICE;
import static io.musubi.model.Channel.WEBCHAT;
import static org.assertj.core.api.Assertions.assertThat;

/** Choosing work when an agent frees capacity (DESIGN §5.3). */
class PriorityTest {

    private static void login(Harness h, String a) {
        h.acd.setPresence(a, PresenceState.AVAILABLE, "", Actors.agent(a));
    }

    @Test
    void higherQueuePriorityFirst() {
        Harness h = new Harness().queue(QueueDefinition.builder("low").channels(VOICE))
                .queue(QueueDefinition.builder("high").channels(VOICE).priority(5)).agent(AgentDefinition.builder("a"));
        h.arrive("l1", VOICE, "low");
        h.advance(1);
        h.arrive("h1", VOICE, "high");
        login(h, "a");
        assertThat(h.offersOf("a")).containsExactly("h1");
    }

    @Test
    void interactionPriorityAndVipBoostAddUp() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE).vipBoost(10))
                .agent(AgentDefinition.builder("a"));
        h.acd.enqueue(Harness.interaction("plain", VOICE, "q", "c1", 0));
        h.acd.enqueue(Harness.interaction("urgent", VOICE, "q", "c2", 5));
        h.acd.enqueue(Harness.interaction("vip", VOICE, "q", "c3", 0), true);
        assertThat(h.acd.waiting("q")).extracting(WaitingInteraction::interactionId)
                .containsExactly("vip", "urgent", "plain");
        login(h, "a");
        assertThat(h.offersOf("a")).containsExactly("vip");
    }

    @Test
    void vipAttributeMarksAVipToo() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE)).agent(AgentDefinition.builder("a"));
        h.arrive("plain", VOICE, "q");
        var i = Harness.interaction("vip", VOICE, "q", "c", 0);
        h.acd.enqueue(new io.musubi.model.Interaction(i.id(), i.tenantId(), i.channel(), i.customerId(), i.from(),
                i.to(), i.threadKey(), i.queueId(), 0, java.util.Map.of(AcdAttributes.VIP, "true"), i.state(),
                i.createdAt(), null, "", ""));
        login(h, "a");
        assertThat(h.offersOf("a")).containsExactly("vip");
    }

    @Test
    void agingLetsOldWorkOvertakeAHigherQueue() {
        Harness h = new Harness().queue(QueueDefinition.builder("old").channels(VOICE).agingWeight(1.0))
                .queue(QueueDefinition.builder("new").channels(VOICE).priority(5)).agent(AgentDefinition.builder("a"))
                .agent(AgentDefinition.builder("b"));
        h.arrive("o1", VOICE, "old");
        h.advance(10);
        h.arrive("n1", VOICE, "new");
        login(h, "a");
        assertThat(h.offersOf("a")).containsExactly("o1");

        h.arrive("o2", VOICE, "old");
        h.advance(3);
        h.arrive("n2", VOICE, "new");
        login(h, "b");
        assertThat(h.offersOf("b")).containsExactly("n1");
    }

    @Test
    void channelPriorityOfTheAgentBreaksTies() {
        Harness h = new Harness().queue(QueueDefinition.builder("chat").channels(WEBCHAT))
                .queue(QueueDefinition.builder("mail").channels(EMAIL))
                .agent(AgentDefinition.builder("a").sharedCapacity(1))
                .agent(AgentDefinition.builder("b").sharedCapacity(1).channelPriority(EMAIL, WEBCHAT));
        h.arrive("chat1", WEBCHAT, "chat");
        h.advance(1);
        h.arrive("mail1", EMAIL, "mail");
        login(h, "a");
        assertThat(h.offersOf("a")).containsExactly("chat1");

        h.arrive("chat2", WEBCHAT, "chat");
        h.advance(1);
        h.arrive("mail2", EMAIL, "mail");
        login(h, "b");
        assertThat(h.offersOf("b")).containsExactly("mail1");
    }

    @Test
    void oldestFirstAtEqualPriority() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE)).agent(AgentDefinition.builder("a"));
        for (String id : List.of("c1", "c2", "c3")) {
            h.arrive(id, VOICE, "q");
            h.advance(1);
        }
        login(h, "a");
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            String id = h.offersOf("a").get(0);
            order.append(id).append(' ');
            h.acd.accept(id, "a");
            h.acd.end(id, Actors.agent("a"));
        }
        assertThat(order.toString().trim()).isEqualTo("c1 c2 c3");
    }

    @Test
    void vipCustomersCanBeRestrictedToAVipQueue() {
        Harness h = new Harness().queue(QueueDefinition.builder("vipq").channels(VOICE).member("vipdesk"))
                .queue(QueueDefinition.builder("general").channels(VOICE).vipQueue("vipq"))
                .online(AgentDefinition.builder("a")).online(AgentDefinition.builder("vipdesk"));
        h.acd.setPresence("vipdesk", PresenceState.BREAK, "", Actors.agent("vipdesk"));
        h.acd.enqueue(Harness.interaction("v", VOICE, "general", "c", 0), true);
        assertThat(h.acd.interaction("v").orElseThrow().queueId()).isEqualTo("vipq");
        assertThat(h.offersOf("a")).isEmpty();
        login(h, "vipdesk");
        assertThat(h.offersOf("vipdesk")).containsExactly("v");
    }
}
