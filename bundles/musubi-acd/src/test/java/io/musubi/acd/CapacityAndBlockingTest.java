package io.musubi.acd;

import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.musubi.model.Channel.EMAIL;
import static io.musubi.model.Channel.LINE;
import static io.musubi.model.Channel.VIDEO;
import static io.musubi.model.Channel.VOICE;
import static io.musubi.model.Channel.WEBCHAT;
import static org.assertj.core.api.Assertions.assertThat;

class CapacityAndBlockingTest {

    private static QueueDefinition.Builder queue(String id, Channel... channels) {
        return QueueDefinition.builder(id).channels(channels);
    }

    @Test
    void defaultCapacitiesFollowTheDesign() {
        AgentDefinition d = AgentDefinition.builder("a").build();
        assertThat(d.capacity(VOICE)).isEqualTo(1);
        assertThat(d.capacity(VIDEO)).isEqualTo(1);
        assertThat(d.capacity(WEBCHAT)).isEqualTo(3);
        assertThat(d.capacity(LINE)).isEqualTo(3);
        assertThat(d.capacity(Channel.SMS)).isEqualTo(3);
        assertThat(d.capacity(Channel.SOCIAL)).isEqualTo(3);
        assertThat(d.capacity(EMAIL)).isEqualTo(5);
        assertThat(d.capacity(Channel.FAX)).isEqualTo(5);
        assertThat(d.initiallyEnabled()).contains(VOICE, EMAIL);
    }

    @Test
    void anAgentWithThreeChatsGetsNoFourth() {
        Harness h = new Harness().queue(queue("chat", WEBCHAT)).online(AgentDefinition.builder("a").onlyChannels(WEBCHAT));
        for (int i = 1; i <= 4; i++) {
            h.arrive("c" + i, WEBCHAT, "chat");
        }
        assertThat(h.offersOf("a")).containsExactly("c1", "c2", "c3");
        assertThat(h.stateOf("c4")).isEqualTo(InteractionState.QUEUED);
        assertThat(h.state("a")).isEqualTo(PresenceState.BUSY);

        h.acd.accept("c1", "a");
        h.acd.end("c1", Actors.agent("a"));
        assertThat(h.offersOf("a")).containsExactly("c2", "c3", "c4");
    }

    @Test
    void aCallBlocksEveryOtherChannelWhileRingingAndConnected() {
        Harness h = new Harness().queue(queue("voice", VOICE)).queue(queue("line", LINE))
                .online(AgentDefinition.builder("a"));
        h.arrive("call", VOICE, "voice");
        assertThat(h.offersOf("a")).containsExactly("call");
        h.arrive("l1", LINE, "line");
        assertThat(h.offersOf("a")).containsExactly("call");
        h.acd.accept("call", "a");
        h.arrive("l2", LINE, "line");
        assertThat(h.acd.agent("a").orElseThrow().offered()).isEmpty();
        assertThat(h.acd.agent("a").orElseThrow().routableChannels()).isEmpty();
        assertThat(h.state("a")).isEqualTo(PresenceState.BUSY);

        h.acd.end("call", Actors.agent("a"));
        assertThat(h.offersOf("a")).containsExactly("l1", "l2");
    }

    @Test
    void chatsInProgressDoNotBlockACall() {
        Harness h = new Harness().queue(queue("voice", VOICE)).queue(queue("line", LINE))
                .online(AgentDefinition.builder("a"));
        h.arrive("l1", LINE, "line");
        h.acd.accept("l1", "a");
        h.arrive("call", VOICE, "voice");
        assertThat(h.offersOf("a")).containsExactly("call");
    }

    @Test
    void blockingIsConfigurablePerChannel() {
        AcdConfig cfg = AcdConfig.defaults().withChannelRules(ChannelRules.defaults().withBlocks(VOICE, Set.of(EMAIL)));
        Harness h = new Harness(cfg).queue(queue("voice", VOICE)).queue(queue("chat", WEBCHAT))
                .queue(queue("mail", EMAIL)).online(AgentDefinition.builder("a"));
        h.arrive("call", VOICE, "voice");
        h.acd.accept("call", "a");
        h.arrive("chat", WEBCHAT, "chat");
        h.arrive("mail", EMAIL, "mail");
        assertThat(h.offersOf("a")).containsExactly("chat");
        assertThat(h.stateOf("mail")).isEqualTo(InteractionState.QUEUED);
    }

    @Test
    void sharedCapacityWithCostsAndInterruptibleWork() {
        Harness h = new Harness().queue(queue("voice", VOICE)).queue(queue("chat", WEBCHAT))
                .queue(queue("mail", EMAIL))
                .online(AgentDefinition.builder("a").sharedCapacity(3).cost(VOICE, 3).cost(WEBCHAT, 1).cost(EMAIL, 1))
                .online(AgentDefinition.builder("b").sharedCapacity(3).cost(VOICE, 3).cost(WEBCHAT, 1).cost(EMAIL, 1));
        // a takes a chat, b takes an e-mail
        h.acd.setChannelEnabled("b", WEBCHAT, false, Actors.agent("b"));
        h.acd.setChannelEnabled("a", EMAIL, false, Actors.agent("a"));
        h.arrive("chat", WEBCHAT, "chat");
        h.arrive("mail", EMAIL, "mail");
        assertThat(h.offersOf("a")).containsExactly("chat");
        assertThat(h.offersOf("b")).containsExactly("mail");
        h.acd.accept("chat", "a");
        h.acd.accept("mail", "b");
        // a chat is not interruptible: 1 + 3 > 3, no call for a; e-mail is, so b gets the call
        assertThat(h.acd.agent("a").orElseThrow().routableChannels()).doesNotContain(VOICE);
        h.arrive("call", VOICE, "voice");
        assertThat(h.offersOf("b")).containsExactly("call");
        h.acd.accept("call", "b");
        assertThat(h.stateOf("mail")).isEqualTo(InteractionState.HELD);
        InteractionEvent held = h.of("mail").get(h.of("mail").size() - 1);
        assertThat(held.type()).isEqualTo(InteractionEventType.HELD);
        assertThat(held.attributes()).containsEntry(AcdAttributes.REASON, "set-aside");

        h.acd.end("call", Actors.agent("b"));
        assertThat(h.stateOf("mail")).isEqualTo(InteractionState.CONNECTED);
        assertThat(h.types("mail")).endsWith(InteractionEventType.HELD, InteractionEventType.RESUMED);
    }

    @Test
    void perChannelAvailabilityToggle() {
        Harness h = new Harness().queue(queue("voice", VOICE)).queue(queue("chat", WEBCHAT))
                .online(AgentDefinition.builder("a").channelEnabled(VOICE, false));
        h.arrive("call", VOICE, "voice");
        h.arrive("chat", WEBCHAT, "chat");
        assertThat(h.offersOf("a")).containsExactly("chat");
        h.acd.accept("chat", "a");
        h.acd.setChannelEnabled("a", VOICE, true, Actors.agent("a"));
        assertThat(h.offersOf("a")).containsExactly("call");
    }

    @Test
    void zeroCapacityChannelIsNeverOffered() {
        Harness h = new Harness().queue(queue("voice", VOICE))
                .online(AgentDefinition.builder("a").capacity(VOICE, 0));
        h.arrive("call", VOICE, "voice");
        assertThat(h.offersOf("a")).isEmpty();
        assertThat(h.stateOf("call")).isEqualTo(InteractionState.QUEUED);
    }

    @Test
    void deviceBusyReportedByAConnectorStopsOffers() {
        Harness h = new Harness().queue(queue("voice", VOICE)).online(AgentDefinition.builder("a"));
        h.acd.setDeviceBusy("a", true, Actors.connector("asterisk"));
        h.arrive("call", VOICE, "voice");
        assertThat(h.offersOf("a")).isEmpty();
        assertThat(h.state("a")).isEqualTo(PresenceState.BUSY);
        h.acd.setDeviceBusy("a", false, Actors.connector("asterisk"));
        assertThat(h.offersOf("a")).containsExactly("call");
    }
}
