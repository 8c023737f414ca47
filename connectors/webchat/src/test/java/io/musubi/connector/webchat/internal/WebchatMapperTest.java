package io.musubi.connector.webchat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.model.Address;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.PermanentDeliveryException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebchatMapperTest {

    static final String VISITOR = "v-AAAAAAAAAAAAAAAAAAAAAA";
    static final Instant AT = Instant.parse("2025-04-01T09:00:00Z");
    private final WebchatMapper mapper = new WebchatMapper("web", "acme", "support", "video", 10);

    @Test
    void aChatLineIsAMessageOnTheVisitorsConversationWithAStableEventId() {
        InboundEvent e = mapper.toEvents(new WebchatMapper.VisitorPost(false, VISITOR, "line-0001", "  在庫は？ ",
                "https://shop.example.jp/items/42", AT)).get(0);
        assertThat(e.eventId()).isEqualTo(VISITOR + "/line-0001");
        assertThat(e.source()).isEqualTo("web");
        assertThat(e.tenantId()).isEqualTo("acme");
        assertThat(e.channel()).isEqualTo(Channel.WEBCHAT);
        assertThat(e.type()).isEqualTo(InteractionEventType.MESSAGE_IN);
        assertThat(e.from()).isEqualTo(Address.parse("webchat:" + VISITOR));
        assertThat(e.threadKey()).isEqualTo(VISITOR);
        assertThat(e.content().text()).isEqualTo("在庫は？");
        assertThat(e.attributes()).containsEntry("musubi.queue", "support")
                .containsEntry("webchat.page", "https://shop.example.jp/items/42");
        assertThat(e.occurredAt()).isEqualTo(AT);
        assertThat(mapper.toEvents(new WebchatMapper.VisitorPost(false, VISITOR, "line-0001", "在庫は？", null, AT)))
                .extracting(InboundEvent::eventId).containsExactly(e.eventId());
    }

    @Test
    void aCallIsAVideoInteractionOfItsOwnInTheVideoQueue() {
        InboundEvent e = mapper.toEvents(new WebchatMapper.VisitorPost(true, VISITOR, "call-0001", null, "", AT))
                .get(0);
        assertThat(e.channel()).isEqualTo(Channel.VIDEO);
        assertThat(e.type()).isEqualTo(InteractionEventType.ARRIVED);
        assertThat(e.threadKey()).isEqualTo("video:call-0001");
        assertThat(e.eventId()).isEqualTo(VISITOR + "/call/call-0001");
        assertThat(e.attributes()).containsEntry("musubi.queue", "video").containsEntry("webchat.call", "call-0001")
                .doesNotContainKey("webchat.page");
        assertThat(new WebchatMapper("web", "acme", "support", "", 10).toEvents(
                new WebchatMapper.VisitorPost(true, VISITOR, "call-0001", null, "", AT)).get(0).attributes())
                .as("no video queue: the chat queue").containsEntry("musubi.queue", "support");
    }

    @Test
    void malformedPostsNameTheFieldAndNeverTheInput() {
        assertThatThrownBy(() -> mapper.toEvents(new WebchatMapper.VisitorPost(false, VISITOR, "short", "hi", "", AT)))
                .isInstanceOf(MalformedInputException.class).hasMessageStartingWith("clientId:");
        assertThatThrownBy(() -> mapper.toEvents(new WebchatMapper.VisitorPost(false, VISITOR, "line-0001", "   ",
                "", AT))).hasMessage("text: required");
        assertThatThrownBy(() -> mapper.toEvents(new WebchatMapper.VisitorPost(false, VISITOR, "line-0001",
                "secret text!", "", AT))).hasMessage("text: at most 10 characters").hasMessageNotContaining("secret");
        assertThat(mapper.toEvents(new WebchatMapper.VisitorPost(false, VISITOR, "line-0001", "😀".repeat(10), "",
                AT))).as("characters, not UTF-16 units").hasSize(1);
        assertThatThrownBy(() -> mapper.toEvents(new WebchatMapper.VisitorPost(true, VISITOR, "bad id!", null, "",
                AT))).hasMessageStartingWith("callId:");
        assertThatThrownBy(() -> mapper.toEvents(new WebchatMapper.VisitorPost(false, "visitor", "line-0001", "hi",
                "", AT))).hasMessageStartingWith("visitorId");
    }

    @Test
    void anAgentsReplyIsATranscriptLineForTheVisitor() {
        OutboundMessage m = new OutboundMessage("m-1", "acme", "i-1", "web", Channel.WEBCHAT,
                Address.parse("webchat:" + VISITOR), new MessageContent("はい", List.of(new Attachment("cs://a",
                "image/png", "map.png", 10))), Map.of(), AT);
        WebchatMapper.Line line = mapper.toExternal(m);
        assertThat(line).isEqualTo(new WebchatMapper.Line(VISITOR, "m-1", "out", "はい", List.of("map.png"), AT));
        assertThatThrownBy(() -> mapper.toExternal(new OutboundMessage("m-2", "acme", "i-1", "web", Channel.WEBCHAT,
                Address.parse("tel:+81312345678"), MessageContent.text("x"), Map.of(), AT)))
                .isInstanceOf(PermanentDeliveryException.class)
                .satisfies(e -> assertThat(((PermanentDeliveryException) e).reason()).isEqualTo("invalid-recipient"));
    }
}
