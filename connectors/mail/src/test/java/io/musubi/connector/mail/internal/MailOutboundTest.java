package io.musubi.connector.mail.internal;

import static io.musubi.connector.mail.internal.MailTestKit.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.api.Health;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.OutboundMessageCodec;
import io.musubi.model.Address;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.PermanentDeliveryException;
import io.musubi.spi.RetryableDeliveryException;
import io.musubi.spi.StoredContent;

import jakarta.mail.Multipart;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbound half against a real SMTP server (GreenMail): threading headers, encodings, failures, exactly once. */
class MailOutboundTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private MailTestKit kit;

    @BeforeEach
    void setUp() throws Exception {
        kit = new MailTestKit();
    }

    @AfterEach
    void tearDown() throws Exception {
        kit.close();
    }

    /** The attributes the hub copies from the latest inbound mail of the interaction into a reply. */
    private static Map<String, String> replyData() {
        Map<String, String> a = new HashMap<>();
        a.put(MailMapper.REPLY_MESSAGE_ID, "reply.3@example.jp");
        a.put(MailMapper.REPLY_REFERENCES, "root.1@example.jp reply.2@example.jp reply.3@example.jp");
        a.put(MailMapper.REPLY_SUBJECT, "Re: RE: Re[2]: 問い合わせ");
        a.put(MailMapper.REPLY_TO, "");
        a.put(MailMapper.REPLY_FROM, "info@musubi.example");
        a.put(MailMapper.REPLY_ROOT, "root.1@example.jp");
        return a;
    }

    private static OutboundMessage reply(String id, String text, Map<String, String> attributes,
                                        List<Attachment> attachments) {
        return new OutboundMessage(id, "default", "i-1", "mail.test", Channel.EMAIL,
                Address.of("mailto", "taro@example.jp"), new MessageContent(text, attachments), attributes,
                Instant.parse("2025-03-04T01:00:00Z"));
    }

    private void send(OutboundMessage m) {
        ProducerTemplate p = kit.context.createProducerTemplate();
        p.sendBody(MusubiCamel.brokerQueue(MusubiCamel.egressQueue("mail.test")), OutboundMessageCodec.encode(m));
    }

    private MimeMessage[] received() {
        return kit.smtp.getReceivedMessages();
    }

    @Test
    void aReplyCarriesTheThreadingHeadersAndTheCustomersAnswerJoinsTheThread() throws Exception {
        kit.start();
        String text = "山田様\nお問い合わせありがとうございます。①の件、承知しました。😀";
        send(reply("o-0f0e0d0c-0b0a-0908-0706-050403020100", text, replyData(), List.of()));
        await("the reply at the SMTP server", WAIT, () -> received().length == 1);
        MimeMessage m = received()[0];
        assertThat(m.getHeader("In-Reply-To", null)).isEqualTo("<reply.3@example.jp>");
        assertThat(m.getHeader("References", " ").replaceAll("\\s+", " "))
                .isEqualTo("<root.1@example.jp> <reply.2@example.jp> <reply.3@example.jp>");
        assertThat(m.getSubject()).isEqualTo("Re: 問い合わせ");
        assertThat(m.getHeader("Subject", null)).startsWith("=?UTF-8?");
        assertThat(((InternetAddress) m.getFrom()[0]).getAddress()).isEqualTo("info@musubi.example");
        assertThat(((InternetAddress) m.getAllRecipients()[0]).getAddress()).isEqualTo("taro@example.jp");
        assertThat(m.getMessageID()).isEqualTo(
                "<musubi.o-0f0e0d0c-0b0a-0908-0706-050403020100.r-cm9vdC4xQGV4YW1wbGUuanA@musubi.example>");
        assertThat(m.getHeader("Auto-Submitted")).isNull();
        assertThat(m.getContentType()).contains("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(((String) m.getContent()).replace("\r\n", "\n")).isEqualTo(text);
        assertThat(m.getSentDate().toInstant()).isEqualTo(Instant.parse("2025-03-04T01:00:00Z"));
        await("status SENT recorded", WAIT, () -> kit.ingress.accepted.stream()
                .anyMatch(e -> e.type() == InteractionEventType.MESSAGE_STATUS));
        InboundEvent status = kit.ingress.accepted.get(0);
        assertThat(status.attributes()).containsEntry(ConnectorAttributes.STATUS, "sent")
                .containsEntry(ConnectorAttributes.PROVIDER_MESSAGE_ID, m.getMessageID());

        // The customer answers naming only our reply (In-Reply-To, no References): it joins the thread's root.
        kit.deliverRaw("From: taro@example.jp\nTo: info@musubi.example\nSubject: Re: 問い合わせ\n"
                + "Message-ID: <answer.4@example.jp>\nIn-Reply-To: " + m.getMessageID() + "\n"
                + "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\nありがとう\n");
        await("the answer", WAIT, () -> kit.ingress.messages().size() == 1);
        InboundEvent answer = kit.ingress.messages().get(0);
        assertThat(answer.threadKey()).isEqualTo("root.1@example.jp");
        assertThat(answer.to().uri()).isEqualTo("mailto:info@musubi.example");
    }

    @Test
    void aReplyToTheFirstMailOfAThreadAndAReplyWithoutAnySubject() throws Exception {
        kit.start();
        Map<String, String> first = new HashMap<>();
        first.put(MailMapper.REPLY_MESSAGE_ID, "root.1@example.jp");
        first.put(MailMapper.REPLY_REFERENCES, "root.1@example.jp");
        first.put(MailMapper.REPLY_SUBJECT, "");
        first.put(MailMapper.REPLY_TO, "other@example.jp");
        send(reply("o-1", "お返事です", first, List.of()));
        await("the reply", WAIT, () -> received().length == 1);
        MimeMessage m = received()[0];
        assertThat(m.getSubject()).isEqualTo("Re: Your inquiry");
        assertThat(m.getHeader("References", null)).isEqualTo("<root.1@example.jp>");
        assertThat(((InternetAddress) m.getAllRecipients()[0]).getAddress()).isEqualTo("other@example.jp");
        assertThat(((InternetAddress) m.getFrom()[0]).getAddress()).isEqualTo("support@musubi.example");
    }

    @Test
    void whileTheSmtpServerIsDownTheReplyWaitsAndGoesOutOnceWhenItIsBack() throws Exception {
        kit.start();
        kit.smtp.stop();
        send(reply("o-2", "遅れて届く返信", replyData(), List.of()));
        await("DEGRADED while the SMTP server is away", WAIT,
                () -> kit.instance.health().status() == Health.Status.DEGRADED);
        assertThat(kit.instance.health().detail()).contains("SMTP server unreachable");
        kit.startSmtp();
        await("delivered once the server is back", Duration.ofSeconds(60), () -> received().length == 1);
        await("UP", WAIT, () -> kit.instance.health().status() == Health.Status.UP);
        assertThat(received()).hasSize(1);
        assertThat(kit.counter("retried")).isGreaterThanOrEqualTo(1);
        assertThat(kit.counter("delivered")).isEqualTo(1);
    }

    @Test
    void aReplyDeliveredAgainAfterACrashIsNotSentTwice() throws Exception {
        kit.start();
        OutboundMessage m = reply("o-3", "一度だけ", replyData(), List.of());
        send(m);
        await("sent", WAIT, () -> received().length == 1);
        send(m); // the egress queue delivers it again (the commit was lost)
        await("the second delivery handled", WAIT, () -> kit.counter("delivered") == 2);
        assertThat(received()).hasSize(1);
    }

    @Test
    void refusedSmtpCredentialsMakeItDownAndTheReplyWaits() throws Exception {
        java.nio.file.Files.writeString(kit.dir.resolve("smtp.password"), "wrong");
        kit.config.set("maxRedeliveries", 1000);
        kit.start();
        send(reply("o-4", "認証待ち", replyData(), List.of()));
        await("DOWN", WAIT, () -> kit.instance.health().status() == Health.Status.DOWN
                && kit.instance.health().detail().contains("SMTP authentication failed"));
        java.nio.file.Files.writeString(kit.dir.resolve("smtp.password"), MailTestKit.SMTP_PASSWORD);
        await("sent once the password is right", Duration.ofSeconds(60), () -> received().length == 1);
        await("UP", WAIT, () -> kit.instance.health().status() == Health.Status.UP);
    }

    @Test
    void iso2022jpRepliesWhenConfiguredAndUtf8WhenTheTextDoesNotFit() throws Exception {
        kit.config.set("outboundCharset", "ISO-2022-JP").set("fromName", "サポート窓口");
        kit.start();
        send(reply("o-5", "①承知しました。㈱ムスビ", replyData(), List.of()));
        send(reply("o-6", "絵文字 😀 は JIS にない", replyData(), List.of()));
        await("two replies", WAIT, () -> received().length == 2);
        MimeMessage jis = received()[0];
        assertThat(jis.getContentType()).containsIgnoringCase("charset=ISO-2022-JP");
        assertThat(jis.getHeader("Content-Transfer-Encoding", null)).isEqualTo("7bit");
        assertThat(jis.getHeader("Subject", null)).startsWith("=?ISO-2022-JP?");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        jis.writeTo(raw);
        // Decoded as a Japanese mail client would (the connector's own parser, CP50220):
        ParsedMail parsed = MailParser.parse(new MimeMessage(MailParserTest.SESSION,
                new ByteArrayInputStream(raw.toByteArray())));
        assertThat(parsed.text()).isEqualTo("①承知しました。㈱ムスビ");
        assertThat(parsed.fromName()).isEqualTo("サポート窓口");
        assertThat(parsed.subject()).isEqualTo("Re: 問い合わせ");
        MimeMessage utf8 = received()[1];
        assertThat(utf8.getContentType()).containsIgnoringCase("charset=UTF-8");
        assertThat(((String) utf8.getContent()).strip()).isEqualTo("絵文字 😀 は JIS にない");
    }

    @Test
    void attachmentsFromTheContentStoreGoOutWithTheirBytes() throws Exception {
        kit.start();
        byte[] pdf = "%PDF-1.4 見積書".getBytes(StandardCharsets.UTF_8);
        StoredContent c = kit.content.put("default", "agent/upload/1", "application/pdf", "見積書.pdf",
                new ByteArrayInputStream(pdf), 1_000_000);
        send(reply("o-7", "見積書を添付します", replyData(),
                List.of(new Attachment(c.ref(), "application/pdf", "見積書.pdf", pdf.length))));
        await("the reply", WAIT, () -> received().length == 1);
        Multipart mp = (Multipart) received()[0].getContent();
        assertThat(mp.getCount()).isEqualTo(2);
        assertThat(mp.getBodyPart(1).getFileName()).isNotBlank();
        assertThat(jakarta.mail.internet.MimeUtility.decodeText(mp.getBodyPart(1).getFileName()))
                .isEqualTo("見積書.pdf");
        try (InputStream in = mp.getBodyPart(1).getInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(pdf);
        }
        assertThat(((String) mp.getBodyPart(0).getContent()).strip()).isEqualTo("見積書を添付します");
    }

    @Test
    void aReplyWithAnAttachmentNoLongerStoredFailsForGood() throws Exception {
        kit.start();
        send(reply("o-8", "添付が消えた", replyData(),
                List.of(new Attachment("cnt-00000000-0000-0000-0000-000000000000", "image/png", "x.png", 3))));
        await("FAILED recorded", WAIT, () -> kit.ingress.accepted.stream().anyMatch(
                e -> "failed".equals(e.attributes().get(ConnectorAttributes.STATUS))));
        assertThat(kit.ingress.accepted.get(0).attributes()).containsEntry(ConnectorAttributes.REASON,
                "attachment-unavailable");
        assertThat(received()).isEmpty();
    }

    @Test
    void smtpRepliesAreClassified() throws Exception {
        io.musubi.spi.ConnectorStatus status = new io.musubi.spi.ConnectorStatus();
        MailHealth health = new MailHealth(status);
        health.imap(Health.Status.UP, "IMAP connected");
        MailSender sender = new MailSender(null, null, null, null, null, health);
        InternetAddress rcpt = new InternetAddress("taro@example.jp");
        SendFailedException unknownUser = new SendFailedException("Invalid Addresses",
                new SMTPAddressFailedException(rcpt, "RCPT TO", 550, "550 5.1.1 <taro@example.jp> unknown"));
        RuntimeException permanent = sender.classify(unknownUser);
        assertThat(permanent).isInstanceOf(PermanentDeliveryException.class);
        assertThat(((PermanentDeliveryException) permanent).reason()).isEqualTo("smtp-550");
        assertThat(permanent.getMessage()).doesNotContain("taro");

        RuntimeException greylisted = sender.classify(new SMTPSendFailedException("RCPT TO", 451,
                "451 4.7.1 greylisted, try again", null, null, null, null));
        assertThat(greylisted).isInstanceOf(RetryableDeliveryException.class);
        assertThat(status.health().status()).isEqualTo(Health.Status.DEGRADED);

        RuntimeException tooBig = sender.classify(new SMTPSendFailedException("DATA", 552,
                "552 message size exceeds", null, null, null, null));
        assertThat(((PermanentDeliveryException) tooBig).reason()).isEqualTo("smtp-552");
        assertThatThrownBy(() -> {
            throw sender.classify(new jakarta.mail.AuthenticationFailedException("535 bad"));
        }).isInstanceOf(RetryableDeliveryException.class);
        assertThat(status.health().status()).isEqualTo(Health.Status.DOWN);
        assertThat(status.health().detail()).isEqualTo("SMTP authentication failed");
    }

    @Test
    void subjectsGetOneReplyPrefix() {
        assertThat(MailMapper.replySubject("Re: RE: re: 件名", "x")).isEqualTo("Re: 件名");
        assertThat(MailMapper.replySubject("AW: Sv: Re[3]: Antw: Betreff", "x")).isEqualTo("Re: Betreff");
        assertThat(MailMapper.replySubject("Re：返信：件名", "x")).isEqualTo("Re: 件名");
        assertThat(MailMapper.replySubject("Fwd: 転送", "x")).isEqualTo("Re: Fwd: 転送");
        assertThat(MailMapper.replySubject("Reply needed", "x")).isEqualTo("Re: Reply needed");
        assertThat(MailMapper.replySubject("  ", "お問い合わせ")).isEqualTo("Re: お問い合わせ");
    }
}
