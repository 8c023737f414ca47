package io.musubi.connector.asterisk.internal;

import static io.musubi.connector.asterisk.internal.TestPbx.T;
import static io.musubi.connector.asterisk.internal.TestPbx.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.Actors;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.StickyConfig;
import io.musubi.api.InteractionIntake;
import io.musubi.connector.asterisk.ami.AmiTranscript;
import io.musubi.connector.asterisk.ami.Await;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.spi.ConnectorAttributes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Design point ① for voice: a customer chats on the web (as {@code POST /api/v1/interactions} submits it), then
 * phones from a number linked to the same customer; the call is offered to the agent who had the chat and the
 * connector rings that agent's phone, although the queue's strategy alone would pick the other agent.
 */
class SameAgentAcrossChannelsTest {

    private static final String CALL = "1795343846.0";

    @TempDir
    Path dir;

    private TestPbx pbx;

    @AfterEach
    void tearDown() {
        if (pbx != null) {
            pbx.close();
        }
    }

    @Test
    void theCallOfACustomerWhoChattedIsOfferedToTheAgentOfTheChat() throws Exception {
        pbx = TestPbx.start(dir, Map.of("defaultQueue", "support"), hub -> hub.acd().defineQueue(
                QueueDefinition.builder(T + "/support").channels(Channel.VOICE, Channel.WEBCHAT)
                        .sticky(StickyConfig.preferred()).build()));
        pbx.available("1001");
        pbx.clock.advance(Duration.ofSeconds(30));
        pbx.available("1002");

        // the chat goes to the longest-idle agent, 1001, who handles it
        Interaction chat = pbx.hub.intake().submit(new InboundEvent("chat-1", InteractionIntake.API_SOURCE, T,
                Channel.WEBCHAT, InteractionEventType.MESSAGE_IN, Address.parse("webchat:visitor-42"), null,
                "visitor-42", MessageContent.text("about my order"), Map.of(ConnectorAttributes.QUEUE, "support"),
                pbx.clock.instant()));
        assertThat(pbx.hub.acd().agent(T + "/1001").orElseThrow().offered()).containsExactly(chat.id());
        pbx.hub.acd().accept(chat.id(), T + "/1001");
        pbx.clock.advance(Duration.ofMinutes(5));
        pbx.hub.acd().end(chat.id(), Actors.agent(T + "/1001"));

        // the visitor's phone number is linked to the same customer (the agent or the CRM did it)
        pbx.hub.identity().link(T, chat.customerId(), Address.parse("tel:0312345678"));
        pbx.clock.advance(Duration.ofMinutes(1));

        // the customer phones: 1002 has been idle longest now, but the call is offered to 1001
        String hubInbound = AmiTranscript.load("05a-hub-redirect-routing.jsonl").conn(1).stream()
                .filter(r -> r.raw().contains("UserEvent: HubInbound")).findFirst().orElseThrow().raw()
                .replace("5551234", "0312345678");
        pbx.session.send(hubInbound);
        Interaction call = pbx.interaction(CALL);
        assertThat(call.customerId()).isEqualTo(chat.customerId());
        pbx.awaitAction("Redirect", 1);
        assertThat(pbx.lastAction("Redirect").first("Exten")).hasValue("1001");
        Await.until("offered", WAIT, () -> pbx.types(call.id()).contains(InteractionEventType.OFFERED));
        InteractionEvent offered = pbx.events(call.id()).stream().filter(e -> e.type() == InteractionEventType.OFFERED)
                .findFirst().orElseThrow();
        assertThat(offered.attributes()).containsEntry("agentId", T + "/1001").containsEntry("sticky", "true");
    }
}
