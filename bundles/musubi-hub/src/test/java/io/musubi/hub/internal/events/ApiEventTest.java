package io.musubi.hub.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.acd.AcdAttributes;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiEventTest {

    static final Instant T = Instant.parse("2025-04-01T09:00:00Z");

    static InteractionEvent event(InteractionEventType type, Map<String, String> attributes) {
        return InteractionEvent.of("e1", "acme", "i1", "c1", Channel.LINE, type, T, "system", attributes);
    }

    @Test
    void offerShowsLocalIdsLowerCaseTypeAndTheOtherAttributesAsData() {
        InteractionEvent offered = InteractionEvent.of("e1", "acme", "i1", "c1", Channel.LINE,
                InteractionEventType.OFFERED, T, "system", Map.of(AcdAttributes.AGENT_ID, "acme/alice",
                        AcdAttributes.QUEUE_ID, "acme/support", AcdAttributes.STICKY, "true"));

        ApiEvent e = ApiEvent.of(42, offered, Assignment.NONE);

        assertThat(e.id()).isEqualTo(42);
        assertThat(e.type()).isEqualTo("offered");
        assertThat(e.tenantId()).isEqualTo("acme");
        assertThat(e.agentId()).isEqualTo("alice");
        assertThat(e.queueId()).isEqualTo("support");
        assertThat(e.customerId()).isEqualTo("c1");
        assertThat(e.interactionId()).isEqualTo("i1");
        assertThat(e.channel()).isEqualTo(Channel.LINE);
        assertThat(e.data()).containsExactlyInAnyOrderEntriesOf(Map.of("sticky", "true", "actor", "system"));
    }

    @Test
    void messageCarriesContentAndInheritsTheHandlingAgentAndQueue() {
        InteractionEvent in = new InteractionEvent("e2", "acme", "i1", "", Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, T, "customer", Map.of(),
                new MessageContent("hello", List.of(new Attachment("cs://1", "image/png", "a.png", 10))));

        ApiEvent e = ApiEvent.of(7, in, new Assignment("alice", "support"));

        assertThat(e.type()).isEqualTo("message_in");
        assertThat(e.agentId()).isEqualTo("alice");
        assertThat(e.queueId()).isEqualTo("support");
        assertThat(e.customerId()).isNull();
        assertThat(e.data()).containsEntry("text", "hello").containsEntry("actor", "customer");
        assertThat(e.data().get("attachments")).isEqualTo(
                List.of(Map.of("ref", "cs://1", "mediaType", "image/png", "name", "a.png", "size", 10L)));
        assertThat(e.toString()).doesNotContain("hello");
    }

    @Test
    void transferToAQueueIsNotAboutTheFormerAgentExceptAsFromAgent() {
        InteractionEvent t = InteractionEvent.of("e3", "acme", "i1", "c1", Channel.VOICE,
                InteractionEventType.TRANSFERRED, T, "agent:acme/alice", Map.of(AcdAttributes.FROM_AGENT_ID,
                        "acme/alice", AcdAttributes.FROM_QUEUE_ID, "acme/support", AcdAttributes.QUEUE_ID,
                        "acme/billing"));

        ApiEvent e = ApiEvent.of(8, t, new Assignment("alice", "support"));

        assertThat(e.agentId()).isNull();
        assertThat(e.queueId()).isEqualTo("billing");
        assertThat(e.data()).containsEntry("fromAgentId", "alice").containsEntry("fromQueueId", "support")
                .containsEntry("actor", "agent:alice");
        assertThat(e.involvedAgents()).containsExactly("alice");
        assertThat(e.involvedQueues()).containsExactlyInAnyOrder("billing", "support");
    }

    @Test
    void presenceChangeIsOfTheAgentsTenantWithFromToReason() {
        PresenceChange c = new PresenceChange("p1", "hub", "acme/bob", PresenceState.AVAILABLE, PresenceState.BREAK,
                "coffee", "supervisor:acme/carol", T);

        ApiEvent e = ApiEvent.of(9, c);

        assertThat(e.type()).isEqualTo(ApiEvent.PRESENCE);
        assertThat(e.tenantId()).isEqualTo("acme");
        assertThat(e.agentId()).isEqualTo("bob");
        assertThat(e.interactionId()).isNull();
        assertThat(e.channel()).isNull();
        assertThat(e.data()).containsExactlyInAnyOrderEntriesOf(Map.of("from", "AVAILABLE", "to", "BREAK",
                "reason", "coffee", "actor", "supervisor:carol"));
    }

    @Test
    void jsonHasTheIdAsAStringNoTenantAndNoNulls() throws Exception {
        ApiEvent e = ApiEvent.of(1_743_498_000_000_123L, event(InteractionEventType.ENDED,
                Map.of(AcdAttributes.OUTCOME, "handled")), Assignment.NONE);

        JsonNode json = EventJson.mapper().readTree(EventJson.mapper().writeValueAsString(e));

        assertThat(json.get("id").isTextual()).isTrue();
        assertThat(json.get("id").asText()).isEqualTo("1743498000000123");
        assertThat(json.has("tenantId")).isFalse();
        assertThat(json.has("agentId")).isFalse();
        assertThat(json.get("type").asText()).isEqualTo("ended");
        assertThat(json.get("timestamp").asText()).isEqualTo("2025-04-01T09:00:00Z");
        assertThat(json.get("channel").asText()).isEqualTo("LINE");
        assertThat(json.get("data").get("outcome").asText()).isEqualTo("handled");
        assertThat(json.fieldNames()).toIterable().containsExactly("id", "type", "timestamp", "interactionId",
                "customerId", "channel", "data");
    }

    @Test
    void everyInteractionTypeAndPresenceIsAKnownType() {
        assertThat(ApiEvent.TYPES).hasSize(InteractionEventType.values().length + 1)
                .contains("offered", "message_in", "offer_timeout", "presence").doesNotContain("reset");
    }

    @Test
    void resetNamesTheRequestedId() {
        ApiEvent r = ApiEvent.reset(99, "acme", T, 5);

        assertThat(r.type()).isEqualTo("reset");
        assertThat(r.data()).containsEntry("lastEventId", "5");
    }
}
