package io.musubi.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TwilioMapperTest {

    static final String ACCOUNT = "AC7a1c4e9b2d5f8a3c6e1b4d7f0a2c5e8b";
    static final String SERVICE = "MG3e6b9d2f5a8c1e4b7d0a3c6f9b2e5d8a";
    static final Instant NOW = Instant.parse("2024-11-22T10:00:00Z");

    private final MemoryContentStore content = new MemoryContentStore();

    private TwilioMapper mapper(String service, List<String> from) {
        return new TwilioMapper(new TwilioMapper.Settings("twilio.test", "acme", "sms-support", ACCOUNT, service, from,
                "https://hub.example.com/webhooks/twilio/twilio.test"), content);
    }

    private final TwilioMapper mapper = mapper("", List.of("+14155550100", "+14155550199"));

    private static TwilioInbound fixture(String file, Map<String, String> query) throws Exception {
        return TwilioInbound.form(FormBody.parse(Fixtures.bytes("sms-webhook-examples/" + file)), query, NOW);
    }

    private static TwilioInbound form(String body) throws Exception {
        return TwilioInbound.form(FormBody.parse(body.getBytes(StandardCharsets.UTF_8)), Map.of(), NOW);
    }

    @Test
    void anIncomingSmsIsAMessageInOfItsSenderOnThisInstance() throws Exception {
        List<InboundEvent> events = mapper.toEvents(fixture("inbound-sms.txt", Map.of()));
        assertThat(events).hasSize(1);
        InboundEvent e = events.get(0);
        assertThat(e.eventId()).isEqualTo("SM3854a723327397241a383e9b99a1f4a3");
        assertThat(e.source()).isEqualTo("twilio.test");
        assertThat(e.tenantId()).isEqualTo("acme");
        assertThat(e.channel()).isEqualTo(Channel.SMS);
        assertThat(e.type()).isEqualTo(InteractionEventType.MESSAGE_IN);
        assertThat(e.from()).isEqualTo(Address.parse("tel:+14155550123"));
        assertThat(e.to()).isEqualTo(Address.parse("tel:+14155550100"));
        assertThat(e.threadKey()).isEqualTo("twilio.test/+14155550123");
        assertThat(e.content().text()).isEqualTo("Hi, I'd like to check my order status. Order #A-1029");
        assertThat(e.content().attachments()).isEmpty();
        assertThat(e.occurredAt()).isEqualTo(NOW);
        assertThat(e.attributes()).containsEntry(TwilioMapper.MESSAGE_SID, "SM3854a723327397241a383e9b99a1f4a3")
                .containsEntry(TwilioMapper.NUM_SEGMENTS, "1").containsEntry(TwilioMapper.NUM_MEDIA, "0")
                .containsEntry(TwilioMapper.REPLY_FROM, "+14155550100")
                .containsEntry(ConnectorAttributes.QUEUE, "sms-support");
        assertThat(mapper.mediaJobs(fixture("inbound-sms.txt", Map.of()))).isEmpty();
        assertThat(mapper.toEvents(fixture("inbound-sms.txt", Map.of()))).as("a retry maps to the same event")
                .usingRecursiveFieldByFieldElementComparator().isEqualTo(events);
    }

    @Test
    void japaneseAndEmojiArriveIntact() throws Exception {
        InboundEvent e = mapper.toEvents(fixture("inbound-sms-unicode.txt", Map.of())).get(0);
        assertThat(e.content().text()).isEqualTo("こんにちは。明日の予約を15時に変更できますか？🙏");
        assertThat(e.from().uri()).isEqualTo("tel:+819012345678");
    }

    @Test
    void anMmsCarriesItsMediaByReferenceAndQueuesTheFetch() throws Exception {
        TwilioInbound in = fixture("inbound-mms.txt", Map.of());
        InboundEvent e = mapper.toEvents(in).get(0);
        assertThat(e.eventId()).isEqualTo("MM75d6c6457ff2671eed3e04cb4bc11a49");
        assertThat(e.content().text()).isEqualTo("Photo of the damaged item");
        assertThat(e.content().attachments()).containsExactly(new Attachment(
                "content:twilio.test/media/MM75d6c6457ff2671eed3e04cb4bc11a49/0", "image/jpeg",
                "MEc25c4d1ad5ab02a5c11720519dc78bce", -1));
        List<MediaJob> jobs = mapper.mediaJobs(in);
        assertThat(jobs).containsExactly(new MediaJob("acme", "twilio.test/media/MM75d6c6457ff2671eed3e04cb4bc11a49/0",
                "https://api.twilio.com/2010-04-01/Accounts/AC7a1c4e9b2d5f8a3c6e1b4d7f0a2c5e8b/Messages/"
                        + "MM75d6c6457ff2671eed3e04cb4bc11a49/Media/MEc25c4d1ad5ab02a5c11720519dc78bce",
                "image/jpeg", "MEc25c4d1ad5ab02a5c11720519dc78bce", "MM75d6c6457ff2671eed3e04cb4bc11a49",
                "tel:+14155550123", "twilio.test/+14155550123"));
        assertThat(jobs.get(0).toString()).doesNotContain("api.twilio.com").doesNotContain("+1415");
        assertThat(MediaJob.decode(jobs.get(0).encode())).isEqualTo(jobs.get(0));
    }

    private static Map<String, String> ours(String messageId) {
        return Map.of(TwilioMapper.QUERY_MESSAGE_ID, messageId, TwilioMapper.QUERY_INTERACTION_ID, "i-42");
    }

    @Test
    void statusCallbacksOfOurMessagesAreMessageStatusesInTheirSequence() throws Exception {
        List<String> files = List.of("status-1-queued.txt", "status-2-sent.txt", "status-3-delivered.txt");
        List<String> expected = List.of("queued", "sent", "delivered");
        for (int i = 0; i < files.size(); i++) {
            TwilioInbound in = fixture(files.get(i), ours("o-1"));
            assertThat(mapper.kind(in)).isEqualTo(TwilioMapper.Kind.STATUS);
            InboundEvent e = mapper.toEvents(in).get(0);
            assertThat(e.type()).isEqualTo(InteractionEventType.MESSAGE_STATUS);
            assertThat(e.eventId()).isEqualTo("o-1/" + expected.get(i));
            assertThat(e.source()).isEqualTo("twilio.test");
            assertThat(e.from()).isEqualTo(Address.parse("tel:+14155550123"));
            assertThat(e.attributes()).containsEntry(ConnectorAttributes.MESSAGE_ID, "o-1")
                    .containsEntry(ConnectorAttributes.INTERACTION_ID, "i-42")
                    .containsEntry(ConnectorAttributes.STATUS, expected.get(i))
                    .containsEntry(ConnectorAttributes.PROVIDER_MESSAGE_ID, "SM02f72f0f1940d3a151cfc2724224bf99")
                    .containsEntry(TwilioMapper.STATUS, expected.get(i))
                    .doesNotContainKey(ConnectorAttributes.REASON);
            assertThat(mapper.mediaJobs(in)).isEmpty();
        }
    }

    @Test
    void failedAndUndeliveredCarryTwiliosErrorCodeAsTheReason() throws Exception {
        InboundEvent queued = mapper.toEvents(fixture("status-failed-1-queued.txt", ours("o-2"))).get(0);
        assertThat(queued.attributes()).containsEntry(ConnectorAttributes.STATUS, "queued");
        InboundEvent failed = mapper.toEvents(fixture("status-failed-2-failed.txt", ours("o-2"))).get(0);
        assertThat(failed.eventId()).isEqualTo("o-2/failed");
        assertThat(failed.attributes()).containsEntry(ConnectorAttributes.STATUS, "failed")
                .containsEntry(ConnectorAttributes.REASON, "twilio-30008").containsEntry(TwilioMapper.ERROR_CODE, "30008");
        InboundEvent sent = mapper.toEvents(fixture("status-undelivered-1-sent.txt", ours("o-3"))).get(0);
        assertThat(sent.attributes()).containsEntry(ConnectorAttributes.STATUS, "sent");
        InboundEvent undelivered = mapper.toEvents(fixture("status-undelivered-2-undelivered.txt", ours("o-3"))).get(0);
        assertThat(undelivered.eventId()).isEqualTo("o-3/undelivered");
        assertThat(undelivered.attributes()).containsEntry(ConnectorAttributes.STATUS, "undelivered")
                .containsEntry(ConnectorAttributes.REASON, "twilio-30003");
    }

    @Test
    void aStatusThatNamesNoneOfOurMessagesOrIsUnknownMeansNothing() throws Exception {
        for (var f : Fixtures.examples()) {
            String file = f.path("file").asText();
            if (file.startsWith("status-")) {
                TwilioInbound in = fixture(file, Map.of());
                assertThat(mapper.kind(in)).as(file).isEqualTo(TwilioMapper.Kind.FOREIGN_STATUS);
                assertThat(mapper.toEvents(in)).as(file).isEmpty();
            }
        }
        TwilioInbound future = TwilioInbound.form(FormBody.parse("MessageStatus=partially_delivered&MessageSid=SM1&To=%2B1"),
                ours("o-9"), NOW);
        assertThat(mapper.kind(future)).isEqualTo(TwilioMapper.Kind.UNKNOWN_STATUS);
        assertThat(mapper.toEvents(future)).isEmpty();
    }

    @Test
    void anEventStreamsBatchMapsItsIncomingMessages() {
        var t16 = Fixtures.vectors().stream().filter(c -> c.path("id").asText().equals("T16")).findFirst().get();
        TwilioInbound in = TwilioInbound.json(Fixtures.JSON.valueToTree(parse(t16.path("bodyJson").asText())),
                Map.of(), NOW);
        assertThat(mapper.kind(in)).isEqualTo(TwilioMapper.Kind.EVENTS);
        List<InboundEvent> events = mapper.toEvents(in);
        assertThat(events).hasSize(1);
        InboundEvent e = events.get(0);
        assertThat(e.eventId()).isEqualTo("SM5b1d9f3a7c2e4b6d8f0a1c3e5b7d9f20");
        assertThat(e.from().uri()).isEqualTo("tel:+819012345678");
        assertThat(e.content().text()).isEqualTo("こんにちは 👋");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2024-11-22T02:05:21Z"));
        assertThat(e.threadKey()).isEqualTo("twilio.test/+819012345678");
        assertThat(e.attributes()).containsEntry(TwilioMapper.REPLY_FROM, "+14155550100");
        assertThat(mapper.toEvents(TwilioInbound.json(Fixtures.JSON.valueToTree(
                parse("[{\"type\":\"com.twilio.messaging.message.delivered\",\"data\":{}}]")), Map.of(), NOW))).isEmpty();
    }

    private static Object parse(String json) {
        try {
            return Fixtures.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void malformedWebhooksNameTheFieldAndNeverTheInput() throws Exception {
        String base = "MessageSid=SM0a1b2c3d4e5f60718293a4b5c6d7e8f9&AccountSid=" + ACCOUNT + "&From=%2B819011112222"
                + "&To=%2B14155550100&Body=secret+text";
        assertThat(mapper.toEvents(form(base))).hasSize(1);
        expectMalformed(form(base.replace("MessageSid=SM0a1b2c3d4e5f60718293a4b5c6d7e8f9&", "")), "MessageSid is missing");
        expectMalformed(form(base.replace("MessageSid=SM0a", "MessageSid=S!0a")), "MessageSid is not a Twilio SID");
        expectMalformed(form(base.replace("From=%2B819011112222", "From=whatsapp%3A%2B819011112222")),
                "From is not a phone number");
        expectMalformed(form(base.replace("From=%2B819011112222&", "")), "From is missing");
        expectMalformed(form(base.replace(ACCOUNT, "AC00000000000000000000000000000000")),
                "AccountSid is not the account of this connector");
        expectMalformed(form(base + "&NumMedia=11"), "NumMedia is not a number from 0 to 10");
        expectMalformed(form(base + "&NumMedia=1"), "MediaUrl0 is missing");
        expectMalformed(form(base + "&NumMedia=1&MediaUrl0=file%3A%2F%2F%2Fetc%2Fpasswd"), "MediaUrl0 is not an http(s) URL");
        TwilioInbound badCode = TwilioInbound.form(FormBody.parse("MessageStatus=failed&ErrorCode=x1&MessageSid=SM1a"
                + "&To=%2B14155550123"), ours("o-1"), NOW);
        expectMalformed(badCode, "ErrorCode is not a number");
        TwilioInbound badId = TwilioInbound.form(FormBody.parse("MessageStatus=sent&MessageSid=SM1a&To=%2B14155550123"),
                Map.of(TwilioMapper.QUERY_MESSAGE_ID, "o 1", TwilioMapper.QUERY_INTERACTION_ID, "i-1"), NOW);
        expectMalformed(badId, "the callback URL's messageId is missing or not an id");
    }

    private void expectMalformed(TwilioInbound in, String message) {
        assertThatThrownBy(() -> mapper.toEvents(in)).isInstanceOf(MalformedInputException.class)
                .hasMessageStartingWith(message).hasMessageNotContaining("secret").hasMessageNotContaining("8190");
    }

    private static OutboundMessage reply(String text, Map<String, String> attributes, Attachment... attachments) {
        return new OutboundMessage("o-7", "acme", "i-42", "twilio.test", Channel.SMS, Address.parse("tel:+819012345678"),
                new MessageContent(text, List.of(attachments)), attributes, NOW);
    }

    @Test
    void aReplyGoesFromTheNumberTheCustomerWroteToWithACallbackNamingIt() {
        OutboundRequest r = mapper.toExternal(reply("はい、変更できます。", Map.of(TwilioMapper.REPLY_FROM, "+14155550199")));
        assertThat(r.formFields()).containsExactly(Map.entry("To", "+819012345678"), Map.entry("From", "+14155550199"),
                Map.entry("Body", "はい、変更できます。"), Map.entry("StatusCallback",
                        "https://hub.example.com/webhooks/twilio/twilio.test?messageId=o-7&interactionId=i-42"));
        assertThat(r.toString()).doesNotContain("8190").doesNotContain("変更");
        assertThat(mapper.toExternal(reply("x", Map.of(TwilioMapper.REPLY_FROM, "+14155550777"))).from())
                .as("a number that is not ours").isEqualTo("+14155550100");
        assertThat(mapper.toExternal(reply("x", Map.of())).from()).isEqualTo("+14155550100");
        assertThat(mapper("", List.of()).toExternal(reply("x", Map.of(TwilioMapper.REPLY_FROM, "+14155550777"))).from())
                .as("no numbers configured: the one written to").isEqualTo("+14155550777");
        OutboundRequest viaService = mapper(SERVICE, List.of()).toExternal(reply("x", Map.of()));
        assertThat(viaService.formFields()).extracting(Map.Entry::getKey)
                .containsExactly("To", "MessagingServiceSid", "Body", "StatusCallback");
        assertThat(viaService.messagingServiceSid()).isEqualTo(SERVICE);
        TwilioMapper noCallbacks = new TwilioMapper(new TwilioMapper.Settings("twilio.test", "acme", "", ACCOUNT, "",
                List.of("+14155550100"), ""), content);
        assertThat(noCallbacks.toExternal(reply("x", Map.of())).formFields()).extracting(Map.Entry::getKey)
                .containsExactly("To", "From", "Body");
    }

    @Test
    void whatTwilioCannotCarryFailsForGoodWithAReason() {
        expectPermanent(mapper, reply("x", Map.of(), new Attachment("content:a", "image/png", "a.png", 3)),
                "attachments-unsupported");
        expectPermanent(mapper, reply("  ", Map.of()), "empty-message");
        expectPermanent(mapper, reply("あ".repeat(1601), Map.of()), "body-too-long");
        assertThat(mapper.toExternal(reply("🙏".repeat(1600), Map.of())).body()).hasSize(3200);
        OutboundMessage line = new OutboundMessage("o-8", "acme", "i-1", "twilio.test", Channel.SMS,
                Address.parse("line:U123"), MessageContent.text("x"), Map.of(), NOW);
        expectPermanent(mapper, line, "invalid-recipient");
        expectPermanent(mapper("", List.of()), reply("x", Map.of()), "no-sender");
    }

    private static void expectPermanent(TwilioMapper m, OutboundMessage message, String reason) {
        assertThatThrownBy(() -> m.toExternal(message)).isInstanceOf(PermanentDeliveryException.class)
                .satisfies(e -> assertThat(((PermanentDeliveryException) e).reason()).isEqualTo(reason));
    }
}
