package io.musubi.acd;

import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.musubi.model.Channel.EMAIL;
import static io.musubi.model.Channel.LINE;
import static io.musubi.model.Channel.VOICE;
import static io.musubi.model.Channel.WEBCHAT;
import static org.assertj.core.api.Assertions.assertThat;

/** The worked example of docs/acd.md: design points ① (same agent across channels) and ② (a call blocks the rest). */
class WorkedExampleTest {

    @Test
    void lineChatThenCallFromTheSameCustomerReachTheSameAgentAndNothingElseRingsDuringTheCall() {
        Harness h = new Harness();
        StickyConfig sticky = StickyConfig.preferred(); // TTL 24 h, wait 20 s for the last agent
        h.queue(QueueDefinition.builder("support-line").channels(LINE).requireSkill("ja", 3).sticky(sticky));
        h.queue(QueueDefinition.builder("support-voice").channels(VOICE).requireSkill("ja", 3).sticky(sticky)
                .wrapUp(Duration.ofSeconds(30)));
        h.queue(QueueDefinition.builder("support-web").channels(WEBCHAT, EMAIL).requireSkill("ja", 3));
        h.online(AgentDefinition.builder("hanako").skill("ja", 8));
        h.online(AgentDefinition.builder("taro").skill("ja", 5));

        // 10:00 Ms Sato writes on LINE; hanako (longest idle) takes it.
        h.arrive("line-1", LINE, "support-line", "cust-sato");
        assertThat(h.offeredToOne("line-1")).isEqualTo("hanako");
        h.acd.accept("line-1", "hanako");
        h.advance(120);

        // 10:02 the chat still open, she calls. taro has been idle longer, but the call goes to hanako.
        h.arrive("call-1", VOICE, "support-voice", "cust-sato");
        assertThat(h.offeredToOne("call-1")).isEqualTo("hanako");
        InteractionEvent offered = h.of("call-1").stream().filter(e -> e.type() == InteractionEventType.OFFERED)
                .findFirst().orElseThrow();
        assertThat(offered.attributes()).containsEntry(AcdAttributes.STICKY, "true");
        assertThat(offered.customerId()).isEqualTo("cust-sato");
        h.acd.accept("call-1", "hanako");

        // During the call: a web chat, an e-mail and another LINE message arrive. None rings at hanako.
        h.arrive("web-1", WEBCHAT, "support-web", "cust-x");
        h.arrive("mail-1", EMAIL, "support-web", "cust-y");
        h.arrive("line-2", LINE, "support-line", "cust-z");
        assertThat(h.acd.agent("hanako").orElseThrow().offered()).isEmpty();
        assertThat(h.state("hanako")).isEqualTo(PresenceState.BUSY);
        assertThat(h.offeredTo("web-1")).containsExactly("taro");
        assertThat(h.offeredTo("mail-1")).containsExactly("taro");
        assertThat(h.offeredTo("line-2")).containsExactly("taro");
        h.acceptAll("taro");

        // A second call for the team waits: taro is not blocked by chats, so he gets it; hanako would not.
        h.arrive("call-2", VOICE, "support-voice", "cust-w");
        assertThat(h.offeredTo("call-2")).containsExactly("taro");
        h.acd.accept("call-2", "taro");
        assertThat(h.stateOf("mail-1")).isEqualTo(InteractionState.HELD); // e-mail set aside by the call

        // 10:07 the call ends; 30 s wrap-up still blocks; then hanako is offered chat work again.
        h.advance(300);
        h.acd.end("call-1", Actors.agent("hanako"));
        assertThat(h.state("hanako")).isEqualTo(PresenceState.BUSY); // wrap-up of the call, chat still open
        assertThat(h.stateOf("call-1")).isEqualTo(InteractionState.WRAP_UP);
        h.arrive("web-2", WEBCHAT, "support-web", "cust-v");
        assertThat(h.offeredTo("web-2")).isEmpty();
        h.advance(30);
        assertThat(h.offeredTo("web-2")).containsExactly("hanako");
        assertThat(h.stateOf("line-1")).isEqualTo(InteractionState.CONNECTED);
    }
}
