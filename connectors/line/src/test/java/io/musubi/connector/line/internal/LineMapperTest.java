package io.musubi.connector.line.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.bot.parser.LineSignatureValidator;
import com.linecorp.bot.parser.WebhookParser;
import com.linecorp.bot.webhook.model.CallbackRequest;
import com.linecorp.bot.webhook.model.Event;
import com.linecorp.bot.webhook.model.EventMode;
import com.linecorp.bot.webhook.model.ReplyEvent;

import io.musubi.model.Address;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.PermanentDeliveryException;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The LINE mapping on every webhook fixture, cross-checked with LINE's own parser, and the outbound form. */
class LineMapperTest {

    private static final String USER = "U4af4980629b3e2c7d1a5f0e86c9b2d47";
    private static final String OTHER_USER = "U9c1e3a7b5d2f408e6a1c3b5d7f9e2a4c";
    private static final String GROUP = "Ca56f94637c3b2d1e0f9a8b7c6d5e4f3a";
    private static final String ROOM = "Ra8dbf4673c4c812cd491258042226c99";
    private static final String BOT = "U8a6f2d1c4b7e9035d2c1a8f6e4b3d7c9";

    private final MemoryContentStore store = new MemoryContentStore();
    private final LineMapper mapper = new LineMapper("line.main", "acme", "line-support", store,
            Duration.ofSeconds(60));

    private List<InboundEvent> map(String file) throws IOException {
        return mapper.toEvents(Fixtures.JSON.readTree(Fixtures.body(file)));
    }

    private InboundEvent only(String file) throws IOException {
        List<InboundEvent> events = map(file);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    @Test
    void aTextMessageOpensOrJoinsTheUsersConversationWithItsReplyToken() throws IOException {
        InboundEvent e = only("message-text.json");
        assertThat(e.eventId()).isEqualTo("01JD8SKE4K5086QBPX4CMX8386");
        assertThat(e.source()).isEqualTo("line.main");
        assertThat(e.tenantId()).isEqualTo("acme");
        assertThat(e.channel()).isEqualTo(Channel.LINE);
        assertThat(e.type()).isEqualTo(InteractionEventType.MESSAGE_IN);
        assertThat(e.from()).isEqualTo(Address.of("line", USER));
        assertThat(e.to()).isEqualTo(Address.of("line", BOT));
        assertThat(e.threadKey()).isEqualTo("line.main:" + USER);
        assertThat(e.content().text()).isEqualTo("注文番号 A-1029 の配送状況を教えてください 📦🙏");
        assertThat(e.occurredAt()).isEqualTo(Instant.ofEpochMilli(1732240849043L));
        assertThat(e.attributes())
                .containsEntry("reply.line.replyToken", "a2a32cf6baa320734dc2f3c2b7cc955d")
                .containsEntry("reply.line.replyTokenExpires", Instant.ofEpochMilli(1732240849043L)
                        .plusSeconds(60).toString())
                .containsEntry("reply.line.to", USER)
                .containsEntry(ConnectorAttributes.QUEUE, "line-support")
                .containsEntry("line.messageId", "419172734461511738")
                .containsEntry("line.quotedMessageId", "403677768090901298")
                .containsEntry("line.eventType", "message")
                .doesNotContainKey(ConnectorAttributes.JOIN_ONLY);
    }

    @Test
    void aGroupMessageIsTheGroupsConversationAndRepliesGoToTheGroup() throws IOException {
        InboundEvent e = only("message-text-emoji-mention.json");
        assertThat(e.from()).isEqualTo(Address.of("line", USER));
        assertThat(e.threadKey()).isEqualTo("line.main:" + GROUP);
        assertThat(e.attributes()).containsEntry("reply.line.to", GROUP).containsEntry("line.sourceType", "group");
        assertThat(e.content().text()).isEqualTo("@All @山田 おはようございます！今日の会議は10時からです(love)🍎");
    }

    @Test
    void stickersAndLocationsAreTextWithAttributes() throws IOException {
        InboundEvent sticker = only("message-sticker.json");
        assertThat(sticker.content().text()).isEqualTo("[sticker] Party, Celebration, Happy");
        assertThat(sticker.attributes()).containsEntry("line.sticker.packageId", "11537")
                .containsEntry("line.sticker.stickerId", "52002734")
                .containsEntry("line.sticker.resourceType", "ANIMATION")
                .containsEntry("line.sticker.keywords", "Party,Celebration,Happy");

        InboundEvent location = only("message-location.json");
        assertThat(location.content().text()).isEqualTo("[location] 東京タワー\n日本、〒105-0011 東京都港区芝公園４丁目２−８");
        assertThat(location.attributes()).containsEntry("line.location.latitude", "35.65858")
                .containsEntry("line.location.longitude", "139.745433")
                .containsEntry("line.location.title", "東京タワー");
    }

    @Test
    void mediaBecomeAttachmentsWhoseReferenceIsKnownBeforeTheContent() throws IOException {
        InboundEvent image = only("message-image.json");
        assertThat(image.content().text()).isEmpty();
        assertThat(image.content().attachments()).containsExactly(new Attachment(
                store.referenceOf("acme", "line.main/message/289627154754772383"), "image/jpeg", "", -1));
        assertThat(image.attributes()).containsEntry("line.imageSet.id", "23EB1A08B811EF8AFFA92596F15C4B78")
                .containsEntry("line.imageSet.index", "1").containsEntry("line.imageSet.total", "2")
                .containsEntry("line.contentProvider", "line");

        InboundEvent audio = only("message-audio.json");
        assertThat(audio.content().attachments()).singleElement()
                .satisfies(a -> assertThat(a.mediaType()).isEqualTo("audio/mp4"));
        assertThat(audio.attributes()).containsEntry("line.duration", "12000");

        InboundEvent file = only("message-file.json");
        assertThat(file.content().attachments()).containsExactly(new Attachment(
                store.referenceOf("acme", "line.main/message/775573893591478310"), "application/pdf",
                "見積書_2024-11.pdf", 2138));
    }

    @Test
    void mediaKeptOnTheSendersOwnServerAreNotFetched() throws IOException {
        InboundEvent video = only("message-video.json");
        assertThat(video.content().attachments()).isEmpty();
        assertThat(video.content().text()).isEqualTo("[video: external content]");
        assertThat(video.attributes()).containsEntry("line.contentProvider", "external")
                .containsEntry("line.originalContentUrl", "https://example.com/original.mp4")
                .containsEntry("line.duration", "60000");
        assertThat(ContentJob.of(video, mapper)).isEmpty();
        assertThat(ContentJob.of(only("message-image.json"), mapper)).get()
                .satisfies(j -> assertThat(j.messageId()).isEqualTo("289627154754772383"));
    }

    @Test
    void followUnfollowAccountLinkUnsendAndBeaconAreNotesThatOpenNothing() throws IOException {
        InboundEvent follow = only("follow.json");
        assertThat(follow.type()).isEqualTo(InteractionEventType.NOTE);
        assertThat(follow.attributes()).containsEntry(ConnectorAttributes.JOIN_ONLY, "true")
                .containsEntry("line.follow.isUnblocked", "false").containsKey("reply.line.replyToken");
        assertThat(follow.content().text()).isEqualTo("LINE: added the account as a friend");

        InboundEvent unfollow = only("unfollow.json");
        assertThat(unfollow.attributes()).containsEntry(ConnectorAttributes.JOIN_ONLY, "true")
                .doesNotContainKey("reply.line.replyToken");

        InboundEvent link = only("account-link.json");
        assertThat(link.type()).isEqualTo(InteractionEventType.NOTE);
        assertThat(link.attributes()).containsEntry(ConnectorAttributes.LINK_NONCE, "2SHXtusxYTFUQwm0VWA2RKx13k9odH_Q")
                .containsEntry(ConnectorAttributes.JOIN_ONLY, "true").containsEntry("line.link.result", "ok");

        InboundEvent unsend = only("unsend.json");
        assertThat(unsend.attributes()).containsEntry("line.unsend.messageId", "495837049457914494");
        assertThat(unsend.threadKey()).isEqualTo("line.main:" + GROUP);

        InboundEvent beacon = only("beacon.json");
        assertThat(beacon.type()).isEqualTo(InteractionEventType.NOTE);
        assertThat(beacon.attributes()).containsEntry("line.beacon.hwid", "d41d8cd98f")
                .containsEntry("line.beacon.type", "enter");
    }

    @Test
    void aPostbackIsACustomerActionThatOpensTheConversation() throws IOException {
        InboundEvent e = only("postback.json");
        assertThat(e.type()).isEqualTo(InteractionEventType.MESSAGE_IN);
        assertThat(e.content().text()).isEqualTo("[postback] action=reserve&itemid=111&label=予約");
        assertThat(e.attributes()).containsEntry("line.postback.data", "action=reserve&itemid=111&label=予約")
                .containsEntry("line.postback.params.datetime", "2024-12-25T10:00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"join.json", "leave.json", "member-joined.json", "member-left.json",
            "video-play-complete.json", "empty-events-verification.json"})
    void eventsWithoutMeaningForTheContactCenterAreIgnored(String file) throws IOException {
        assertThat(map(file)).isEmpty();
    }

    @Test
    void aRedeliveryKeepsItsEventIdAndIsMarked() throws IOException {
        InboundEvent e = only("message-redelivered.json");
        assertThat(e.eventId()).isEqualTo("01JD8T1SW7KZHM94Y01DFS6SY4");
        assertThat(e.attributes()).containsEntry("line.redelivery", "true");
    }

    @Test
    void aMultiEventBodyKeepsItsOrderAndStandbyEventsKeepNoReplyToken() throws IOException {
        List<InboundEvent> events = map("multi-event.json");
        assertThat(events).extracting(InboundEvent::eventId).containsExactly("01JD8T2DEVNBNQXTV7QKRXZAV9",
                "01JD8T2WBAQ2RHHEVFYHTX4TNN", "01JD8T3TDH2NSAXQ86KP43MEFX", "01JD8T54K87T4B13ZMTBW7TDXZ");
        InboundEvent standby = events.get(2);
        assertThat(standby.attributes()).containsEntry("line.mode", "standby")
                .doesNotContainKey("reply.line.replyToken").containsEntry("reply.line.to", USER);
        assertThat(events.get(1).from()).isEqualTo(Address.of("line", OTHER_USER));
        assertThat(events.get(3).threadKey()).isEqualTo("line.main:" + ROOM);
        assertThat(events.get(3).attributes()).containsEntry("reply.line.to", ROOM);
    }

    /** LINE's own parser, an independent party, sees the same events in the same order with the same ids. */
    @ParameterizedTest
    @ValueSource(strings = {"message-text-emoji-mention.json", "message-text.json", "message-sticker.json",
            "message-image.json", "message-video.json", "message-audio.json", "message-file.json",
            "message-location.json", "follow.json", "unfollow.json", "join.json", "leave.json", "member-joined.json",
            "member-left.json", "postback.json", "beacon.json", "account-link.json", "unsend.json",
            "video-play-complete.json", "message-redelivered.json", "multi-event.json",
            "empty-events-verification.json"})
    void agreesWithLinesParser(String file) throws Exception {
        byte[] body = Fixtures.body(file);
        CallbackRequest sdk = new WebhookParser(new LineSignatureValidator(Fixtures.utf8(Fixtures.SECRET)))
                .handle(Fixtures.signature(file), body);
        List<InboundEvent> ours = map(file);
        Map<String, InboundEvent> byId = new HashMap<>();
        ours.forEach(e -> byId.put(e.eventId(), e));
        List<String> expectedOrder = new ArrayList<>();
        Set<String> ignored = Set.of("JoinEvent", "LeaveEvent", "MemberJoinedEvent", "MemberLeftEvent",
                "VideoPlayCompleteEvent");
        for (Event e : sdk.events()) {
            if (ignored.contains(e.getClass().getSimpleName())) {
                assertThat(byId).doesNotContainKey(e.webhookEventId());
                continue;
            }
            expectedOrder.add(e.webhookEventId());
            InboundEvent mine = byId.get(e.webhookEventId());
            assertThat(mine).as(file + " " + e.webhookEventId()).isNotNull();
            assertThat(mine.occurredAt().toEpochMilli()).isEqualTo(e.timestamp());
            assertThat(mine.attributes().containsKey("line.redelivery"))
                    .isEqualTo(Boolean.TRUE.equals(e.deliveryContext().isRedelivery()));
            if (e instanceof ReplyEvent r && r.replyToken() != null && e.mode() == EventMode.ACTIVE) {
                assertThat(mine.attributes()).containsEntry("reply.line.replyToken", r.replyToken());
            }
            assertThat(mine.to()).isEqualTo(Address.of("line", sdk.destination()));
        }
        assertThat(ours).extracting(InboundEvent::eventId).containsExactlyElementsOf(expectedOrder);
    }

    @Test
    void malformedBodiesNameTheFieldAndNeverQuoteTheInput() throws IOException {
        assertThatThrownBy(() -> mapper.toEvents(Fixtures.JSON.readTree("[1,2]")))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> mapper.toEvents(Fixtures.JSON.readTree("{\"destination\":\"U1\"}")))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("events");
        JsonNode noId = Fixtures.JSON.readTree(new String(Fixtures.body("message-text.json"), "UTF-8")
                .replace("\"webhookEventId\"", "\"webhookEventIdX\""));
        assertThatThrownBy(() -> mapper.toEvents(noId)).isInstanceOf(MalformedInputException.class)
                .hasMessage("events[0].webhookEventId is missing");
        JsonNode noText = Fixtures.JSON.readTree(new String(Fixtures.body("message-text.json"), "UTF-8")
                .replace("\"text\": \"注文", "\"txt\": \"注文"));
        assertThatThrownBy(() -> mapper.toEvents(noText)).isInstanceOf(MalformedInputException.class)
                .hasMessage("events[0].message.text is missing").message().doesNotContain("注文");
        JsonNode badMediaId = Fixtures.JSON.readTree(new String(Fixtures.body("message-image.json"), "UTF-8")
                .replace("289627154754772383", "../../etc/passwd"));
        assertThatThrownBy(() -> mapper.toEvents(badMediaId)).isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("not a number");
    }

    // ------------------------------------------------------------------------------------------------ outbound

    private static OutboundMessage reply(String id, String text, Map<String, String> attributes) {
        return new OutboundMessage(id, "acme", "i-1", "line.main", Channel.LINE, Address.of("line", USER),
                MessageContent.text(text), attributes, Instant.parse("2026-11-22T10:00:00Z"));
    }

    @Test
    void anOutboundMessageCarriesTheConversationsReplyDataAndAStableRetryKey() {
        LineOutbound out = mapper.toExternal(reply("o-1", "お待たせしました", Map.of("reply.line.replyToken", "tok",
                "reply.line.replyTokenExpires", "2026-11-22T10:01:00Z", "reply.line.to", GROUP)));
        assertThat(out.to()).isEqualTo(GROUP);
        assertThat(out.replyToken()).isEqualTo("tok");
        assertThat(out.replyTokenExpires()).isEqualTo(Instant.parse("2026-11-22T10:01:00Z"));
        assertThat(out.messages().toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"お待たせしました\"}]");
        assertThat(out.retryKey()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
                .isEqualTo(mapper.toExternal(reply("o-1", "again", Map.of())).retryKey())
                .isNotEqualTo(mapper.toExternal(reply("o-2", "other", Map.of())).retryKey());
        assertThat(mapper.toExternal(reply("o-3", "x", Map.of())).to()).isEqualTo(USER);
        assertThat(mapper.toExternal(reply("o-4", "x", Map.of("reply.line.replyToken", "t"))).replyToken())
                .as("a token of unknown age is not used").isNull();
    }

    @Test
    void longTextIsSplitIntoAtMostFiveMessagesWithoutBreakingACharacter() {
        String text = "あ".repeat(4_999) + "🍎" + "い".repeat(6_000);
        LineOutbound out = mapper.toExternal(reply("o-5", text, Map.of()));
        assertThat(out.messages()).hasSize(3);
        assertThat(out.messages().get(0).path("text").asText()).hasSize(4_999);
        assertThat(out.messages().get(1).path("text").asText()).startsWith("🍎");
        StringBuilder joined = new StringBuilder();
        out.messages().forEach(m -> joined.append(m.path("text").asText()));
        assertThat(joined.toString()).isEqualTo(text);

        assertThatThrownBy(() -> mapper.toExternal(reply("o-6", "x".repeat(25_001), Map.of())))
                .isInstanceOf(PermanentDeliveryException.class)
                .satisfies(e -> assertThat(((PermanentDeliveryException) e).reason()).isEqualTo("text-too-long"));
    }

    @Test
    void attachmentsEmptyMessagesAndOtherChannelsAreRefusedWithAReason() {
        OutboundMessage withImage = new OutboundMessage("o-7", "acme", "i-1", "line.main", Channel.LINE,
                Address.of("line", USER), new MessageContent("see this", List.of(new Attachment("cnt-1", "image/png",
                "a.png", 10))), Map.of(), Instant.EPOCH);
        assertThatThrownBy(() -> mapper.toExternal(withImage)).isInstanceOf(PermanentDeliveryException.class)
                .satisfies(e -> assertThat(((PermanentDeliveryException) e).reason())
                        .isEqualTo("attachments-unsupported"));
        assertThatThrownBy(() -> mapper.toExternal(reply("o-8", "  ", Map.of())))
                .satisfies(e -> assertThat(((PermanentDeliveryException) e).reason()).isEqualTo("empty-message"));
        OutboundMessage sms = new OutboundMessage("o-9", "acme", "i-1", "line.main", Channel.LINE,
                Address.parse("tel:+819012345678"), MessageContent.text("hi"), Map.of(), Instant.EPOCH);
        assertThatThrownBy(() -> mapper.toExternal(sms))
                .satisfies(e -> assertThat(((PermanentDeliveryException) e).reason()).isEqualTo("invalid-recipient"));
    }
}
