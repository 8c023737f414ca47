package io.musubi.connector.mail.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.PermanentDeliveryException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The pure mapping: thread roots, event ids, reply data, our Message-IDs. */
class MailMapperTest {

    private final MessageIds ids = new MessageIds("musubi.example");
    private final MailMapper mapper = new MailMapper("mail.main", "default", "mail-queue",
            List.of("Support@Musubi.Example", "info@musubi.example"), "", "Your inquiry", ids);

    private static ParsedMail mail(String messageId, List<String> inReplyTo, List<String> references, String from,
                                   String date) {
        return new ParsedMail(messageId, inReplyTo, references, from, "", "", List.of("info@musubi.example"),
                "件名", null, date, "", "本文", false, List.of(), 0);
    }

    private static InboundMail in(ParsedMail m) {
        return new InboundMail(m, 7, 42, Instant.parse("2025-03-04T00:00:00Z"), List.of(), List.of());
    }

    @Test
    void theThreadRootIsTheFirstReferenceElseInReplyToElseTheMailItself() {
        assertThat(mapper.threadRoot(mail("c@x", List.of("b@x"), List.of("a@x", "b@x"), "t@x.jp", ""), 1, 1))
                .isEqualTo("a@x");
        assertThat(mapper.threadRoot(mail("c@x", List.of("b@x"), List.of(), "t@x.jp", ""), 1, 1)).isEqualTo("b@x");
        assertThat(mapper.threadRoot(mail("c@x", List.of(), List.of(), "t@x.jp", ""), 1, 1)).isEqualTo("c@x");
        assertThat(mapper.threadRoot(mail("", List.of(), List.of(), "t@x.jp", ""), 7, 42))
                .isEqualTo("uid-7-42@mail.main");
        // Our own Message-ID carries the root, also when it is the only id the answer names.
        String ours = ids.ours("o-1", "root@customer.jp");
        assertThat(mapper.threadRoot(mail("d@x", List.of(ours), List.of(), "t@x.jp", ""), 1, 1))
                .isEqualTo("root@customer.jp");
        assertThat(mapper.threadRoot(mail("d@x", List.of(ours), List.of("other@x", ours), "t@x.jp", ""), 1, 1))
                .isEqualTo("root@customer.jp");
    }

    @Test
    void ourMessageIdsRoundTripAndForgedOnesCarryNothingUnsafe() {
        String id = ids.ours("o-0f0e0d0c-0b0a-0908-0706-050403020100", "root.1@example.jp");
        assertThat(id).matches("musubi\\.o-0f0e0d0c-0b0a-0908-0706-050403020100\\.r-[A-Za-z0-9_-]+@musubi\\.example");
        assertThat(ids.isOurs(id)).isTrue();
        assertThat(ids.rootOf(id)).contains("root.1@example.jp");
        assertThat(ids.isOurs("musubi.o-1.r-abc@other.example")).isFalse();
        String forged = "musubi.x.r-" + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("evil\r\nBcc: x@y".getBytes()) + "@musubi.example";
        assertThat(ids.rootOf(forged)).isEmpty();
        assertThat(ids.ours("o-2", "x".repeat(300))).endsWith(".r-@musubi.example");
    }

    @Test
    void theEventIdIsStableAndTellsApartAReusedMessageId() {
        ParsedMail a = mail("same@x", List.of(), List.of(), "t@x.jp", "Tue, 4 Mar 2025 09:15:02 +0900");
        ParsedMail again = mail("same@x", List.of(), List.of(), "t@x.jp", "Tue, 4 Mar 2025 09:15:02 +0900");
        ParsedMail reused = mail("same@x", List.of(), List.of(), "t@x.jp", "Wed, 5 Mar 2025 09:15:02 +0900");
        assertThat(MailMapper.eventId(a, 1, 1)).isEqualTo(MailMapper.eventId(again, 2, 99)).startsWith("mid-");
        assertThat(MailMapper.eventId(reused, 1, 1)).isNotEqualTo(MailMapper.eventId(a, 1, 1));
        assertThat(MailMapper.eventId(mail("", List.of(), List.of(), "t@x.jp", ""), 7, 42)).isEqualTo("uid-7-42");
    }

    @Test
    void anInboundMailIsOneMessageWithItsReplyData() {
        InboundEvent e = mapper.toEvents(in(mail("m2@x", List.of("m1@x"), List.of("m1@x"), "t@x.jp", "d")))
                .get(0);
        assertThat(e.eventId()).startsWith("mid-");
        assertThat(e.channel()).isEqualTo(Channel.EMAIL);
        assertThat(e.threadKey()).isEqualTo("m1@x");
        assertThat(e.to().uri()).isEqualTo("mailto:info@musubi.example");
        assertThat(e.attributes()).containsEntry("musubi.queue", "mail-queue")
                .containsEntry("reply.mail.references", "m1@x m2@x").containsEntry("reply.mail.replyTo", "")
                .containsEntry("reply.mail.from", "info@musubi.example");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2025-03-04T00:00:00Z"));
    }

    @Test
    void longReferenceChainsKeepTheRootAndTheLatest() {
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            refs.add("ref-" + i + "-" + "x".repeat(80) + "@example.jp");
        }
        List<String> kept = MailMapper.references(mail("last@x", List.of(), refs, "t@x.jp", ""));
        assertThat(kept.get(0)).isEqualTo(refs.get(0));
        assertThat(kept.get(kept.size() - 1)).isEqualTo("last@x");
        assertThat(String.join(" ", kept).length()).isLessThanOrEqualTo(MailMapper.MAX_REFERENCES_CHARS);
    }

    @Test
    void aMailWithoutSenderIsMalformedAndAutomaticOrOwnMailMapsToNothing() {
        assertThatThrownBy(() -> mapper.toEvents(in(mail("m@x", List.of(), List.of(), "", ""))))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("From");
        assertThat(mapper.toEvents(in(mail("m@x", List.of(), List.of(), "support@musubi.example", "")))).isEmpty();
        assertThat(mapper.ignored(mail("m@x", List.of(), List.of(), "SUPPORT@musubi.example", "")))
                .isEqualTo("loop:own-address");
    }

    @Test
    void aReplyToANonMailAddressFailsForGood() {
        OutboundMessage m = new OutboundMessage("o-1", "default", "i-1", "mail.main", Channel.EMAIL,
                Address.of("tel", "+81312345678"), MessageContent.text("x"), Map.of(), Instant.now());
        assertThatThrownBy(() -> mapper.toExternal(m)).isInstanceOf(PermanentDeliveryException.class);
    }
}
