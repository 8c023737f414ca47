package io.musubi.connector.mail.internal;

import static io.musubi.connector.mail.internal.MailTestKit.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.api.Health;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.spi.ConnectorStatus;

import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inbound half against a real IMAP server (GreenMail): threading, de-duplication, seen-after-durable, content. */
class MailInboundTest {

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

    private static String mail(String messageId, String inReplyTo, String references, String text) {
        return "From: Taro Yamada <taro@example.jp>\n"
                + "To: support@musubi.example\n"
                + "Subject: =?UTF-8?B?5ZWP44GE5ZCI44KP44Gb?=\n"
                + "Date: Tue, 4 Mar 2025 09:15:02 +0900\n"
                + "Message-ID: <" + messageId + ">\n"
                + (inReplyTo == null ? "" : "In-Reply-To: <" + inReplyTo + ">\n")
                + (references == null ? "" : "References: " + references + "\n")
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=UTF-8\n"
                + "Content-Transfer-Encoding: 8bit\n\n"
                + text + "\n";
    }

    @Test
    void aThreadOfThreeMailsIsOneConversationOfThreeMessagesEachMarkedSeen() throws Exception {
        kit.start();
        kit.deliverRaw(mail("root.1@example.jp", null, null, "最初の質問です"));
        await("first mail", WAIT, () -> kit.ingress.messages().size() == 1);
        kit.deliverRaw(mail("reply.2@example.jp", "root.1@example.jp", "<root.1@example.jp>", "二通目"));
        kit.deliverRaw(mail("reply.3@example.jp", "reply.2@example.jp",
                "<root.1@example.jp>\n <reply.2@example.jp>", "三通目"));
        await("three mails", WAIT, () -> kit.ingress.messages().size() == 3);
        await("all seen", WAIT, () -> unseen() == 0);

        List<InboundEvent> events = kit.ingress.messages();
        assertThat(events).extracting(InboundEvent::threadKey).containsOnly("root.1@example.jp");
        assertThat(events).extracting(e -> e.content().text()).containsExactly("最初の質問です", "二通目", "三通目");
        assertThat(events).extracting(InboundEvent::eventId).doesNotHaveDuplicates();
        InboundEvent last = events.get(2);
        assertThat(last.channel()).isEqualTo(Channel.EMAIL);
        assertThat(last.source()).isEqualTo("mail.test");
        assertThat(last.from().uri()).isEqualTo("mailto:taro@example.jp");
        assertThat(last.to().uri()).isEqualTo("mailto:support@musubi.example");
        assertThat(last.attributes()).containsEntry("mail.subject", "問い合わせ")
                .containsEntry("reply.mail.messageId", "reply.3@example.jp")
                .containsEntry("reply.mail.references", "root.1@example.jp reply.2@example.jp reply.3@example.jp")
                .containsEntry("reply.mail.threadRoot", "root.1@example.jp")
                .containsEntry("reply.mail.from", "support@musubi.example");
        assertThat(kit.counter(ConnectorStatus.RECEIVED)).isEqualTo(3);
        assertThat(kit.instance.health().status()).isEqualTo(Health.Status.UP);
    }

    @Test
    void idleBringsNewMailAtOnceAndPollingWorksWithoutIt() throws Exception {
        kit.config.set("pollSeconds", 600L); // no poll would come in time: only IDLE can bring the mail
        kit.start();
        await("first poll done", WAIT, () -> kit.instance.health().status() == Health.Status.UP);
        kit.deliverRaw(mail("idle.1@example.jp", null, null, "IDLEで届く"));
        await("mail announced by IDLE", WAIT, () -> kit.ingress.messages().size() == 1);
        kit.stop();

        kit.config.set("pollSeconds", 1L).set("idle", false);
        kit.start();
        kit.deliverRaw(mail("poll.2@example.jp", null, null, "ポーリングで届く"));
        await("mail found by polling", WAIT, () -> kit.ingress.messages().size() == 2);
    }

    @Test
    void rePollsAndRestartsSubmitNothingTwiceAndAMailReadAgainKeepsItsEventId() throws Exception {
        kit.start();
        kit.deliverRaw(mail("once.1@example.jp", null, null, "一度だけ"));
        await("mail", WAIT, () -> kit.ingress.submitted.size() == 1);
        await("seen", WAIT, () -> unseen() == 0);
        long polls = kit.counter(ConnectorStatus.RECEIVED);
        kit.stop();
        kit.start(); // a restart of the connector: the seen mail is not read again
        kit.deliverRaw(mail("barrier.2@example.jp", null, null, "後の一通"));
        await("later mail", WAIT, () -> kit.ingress.submitted.size() == 2);
        assertThat(polls).isEqualTo(1);
        // The later mail is flagged \Seen after its hand-off: wait for it, or the flag lands after markAllUnseen.
        await("both seen", WAIT, () -> unseen() == 0);

        // A crash between the hand-off and the \Seen flag: the mail is read again, with the same event id, and the
        // hub drops it as a repeat.
        kit.markAllUnseen();
        await("read again", WAIT, () -> kit.ingress.submitted.size() == 4);
        assertThat(kit.ingress.accepted).hasSize(2);
        assertThat(kit.ingress.submitted.get(2).eventId()).isIn(kit.ingress.submitted.get(0).eventId(),
                kit.ingress.submitted.get(1).eventId());
    }

    @Test
    void aMailIsMarkedSeenOnlyOnceTheHubHasItAndArrivesWhenTheHubIsBack() throws Exception {
        kit.ingress.down = true;
        kit.start();
        kit.deliverRaw(mail("durable.1@example.jp", null, null, "大事なメール"));
        // Several polls pass while the hub refuses the event: the mail stays unseen, nothing arrives.
        await("hand-offs refused", WAIT, () -> kit.ingress.refused.get() >= 3);
        assertThat(kit.unseen()).isEqualTo(1);
        assertThat(kit.ingress.submitted).isEmpty();

        kit.ingress.down = false;
        await("delivered once the hub is back", WAIT, () -> kit.ingress.messages().size() == 1);
        await("seen", WAIT, () -> unseen() == 0);
        assertThat(kit.ingress.messages().get(0).content().text()).isEqualTo("大事なメール");
    }

    @Test
    void attachmentsAreStoredByReferenceWithTheirBytes() throws Exception {
        kit.start();
        kit.deliver("utf8-iphone.eml");
        kit.deliver("attachments-japanese-names.eml");
        await("two mails", WAIT, () -> kit.ingress.messages().size() == 2);
        Attachment photo = kit.ingress.messages().get(0).content().attachments().get(0);
        assertThat(photo.name()).isEqualTo("IMG_0001.jpeg");
        assertThat(photo.mediaType()).isEqualTo("image/jpeg");
        assertThat(photo.ref()).startsWith("cnt-");
        byte[] stored = kit.content.content("default", photo.ref());
        try (InputStream in = MailParserTest.parse("utf8-iphone.eml").attachments().get(0).part().getInputStream()) {
            assertThat(stored).isEqualTo(in.readAllBytes());
        }
        assertThat(photo.size()).isEqualTo(stored.length);
        List<Attachment> two = kit.ingress.messages().get(1).content().attachments();
        assertThat(two).extracting(Attachment::name).containsExactly("見積書.pdf", "請求書.txt");
        assertThat(kit.counter(MailInbound.ATTACHMENTS_STORED)).isEqualTo(3);
    }

    @Test
    void japaneseMailArrivesDecoded() throws Exception {
        kit.start();
        kit.deliver("iso2022jp-outlook.eml");
        kit.deliver("shift_jis-qp.eml");
        kit.deliver("euc-jp-base64.eml");
        await("three mails", WAIT, () -> kit.ingress.messages().size() == 3);
        List<InboundEvent> e = kit.ingress.messages();
        assertThat(e.get(0).attributes()).containsEntry("mail.subject", "①ご注文の件（至急）")
                .containsEntry("mail.fromName", "山田 太郎");
        assertThat(e.get(0).content().text()).contains("①注文番号 12345 の件で、㈱テストの山田です。");
        assertThat(e.get(0).from().uri()).isEqualTo("mailto:yamada@example.co.jp");
        assertThat(e.get(1).content().text()).contains("①と②をご確認ください。ⅰ～ⅲ");
        assertThat(e.get(2).content().text()).isEqualTo("EUC-JPで書かれたメールです。①も入っています。");
    }

    @Test
    void autoRepliesBouncesListsAndOurOwnMailAreIgnoredCountedAndMarkedSeen() throws Exception {
        kit.start();
        kit.deliver("auto-reply.eml");
        kit.deliver("bounce.eml");
        kit.deliver("mailing-list.eml");
        kit.deliverRaw("From: support@musubi.example\nTo: support@musubi.example\nSubject: loop\n"
                + "Message-ID: <x.1@musubi.example>\n\nours\n");
        kit.deliverRaw("From: someone@example.jp\nTo: support@musubi.example\nSubject: Re: loop\n"
                + "Message-ID: <musubi.o-1.r-@musubi.example>\n\nour id coming back\n");
        kit.deliverRaw(mail("person.1@example.jp", null, null, "人間からのメール"));
        await("the person's mail", WAIT, () -> kit.ingress.messages().size() == 1);
        await("all seen", WAIT, () -> unseen() == 0);
        assertThat(kit.ingress.messages().get(0).content().text()).isEqualTo("人間からのメール");
        assertThat(kit.counter(MailInbound.IGNORED_AUTO_REPLY)).isEqualTo(3);
        assertThat(kit.counter(MailInbound.IGNORED_LOOP)).isEqualTo(2);
    }

    @Test
    void aTwentyMegabyteAttachmentIsStoredWhole() throws Exception {
        kit.start();
        byte[] big = new byte[20 * 1024 * 1024];
        new Random(7).nextBytes(big);
        kit.deliverRaw(withAttachment("big.1@example.jp", "big.bin", big));
        await("the big mail", Duration.ofSeconds(120), () -> kit.ingress.messages().size() == 1);
        Attachment a = kit.ingress.messages().get(0).content().attachments().get(0);
        assertThat(a.size()).isEqualTo(big.length);
        assertThat(sha256(kit.content.content("default", a.ref()))).isEqualTo(sha256(big));
        await("seen", WAIT, () -> unseen() == 0);
    }

    @Test
    void anAttachmentOverTheLimitIsLeftOutWithANoteAndTheMailStillArrives() throws Exception {
        kit.config.set("maxAttachmentBytes", 1024L * 1024);
        kit.start();
        byte[] big = new byte[2 * 1024 * 1024];
        kit.deliverRaw(withAttachment("over.1@example.jp", "too-big.bin", big));
        await("the mail", WAIT, () -> kit.ingress.messages().size() == 1);
        InboundEvent e = kit.ingress.messages().get(0);
        assertThat(e.content().attachments()).isEmpty();
        assertThat(e.content().text()).contains("本文", "attachment too-big.bin not kept: larger than 1048576 bytes");
        assertThat(kit.counter(MailInbound.ATTACHMENTS_SKIPPED)).isEqualTo(1);
        await("seen", WAIT, () -> unseen() == 0);
    }

    @Test
    void aMailOverTheSizeLimitArrivesFromItsHeadersWithANote() throws Exception {
        kit.config.set("maxMailBytes", 100_000L);
        kit.start();
        kit.deliverRaw(withAttachment("huge.1@example.jp", "huge.bin", new byte[200_000]));
        await("the mail", WAIT, () -> kit.ingress.messages().size() == 1);
        InboundEvent e = kit.ingress.messages().get(0);
        assertThat(e.content().text()).contains("is larger than the limit of 100000 bytes and was not fetched");
        assertThat(e.threadKey()).isEqualTo("huge.1@example.jp");
        assertThat(e.attributes()).containsEntry("mail.subject", "添付");
    }

    @Test
    void aMalformedTreeArrivesAsFarAsItCanBeReadAndAMailWithoutSenderIsDeadLetteredOnce() throws Exception {
        kit.start();
        kit.deliver("malformed-tree.eml");
        kit.deliver("no-from.eml");
        kit.deliverRaw(mail("after.1@example.jp", null, null, "次のメール"));
        await("the readable mails", WAIT, () -> kit.ingress.messages().size() == 2);
        await("all seen", WAIT, () -> unseen() == 0);
        InboundEvent broken = kit.ingress.messages().get(0);
        assertThat(broken.content().text()).startsWith("The text survives! あ");
        assertThat(broken.content().attachments()).extracting(Attachment::name).contains("ok.png");
        assertThat(kit.counter(ConnectorStatus.MALFORMED)).isEqualTo(1);
        SedaEndpoint dlq = (SedaEndpoint) kit.deadLetters();
        assertThat(dlq.getQueue()).hasSize(1);
        byte[] body = (byte[]) dlq.getQueue().peek().getIn().getBody();
        assertThat(new String(body, java.nio.charset.StandardCharsets.US_ASCII)).contains("nobody sent this");
        assertThat(dlq.getQueue().peek().getIn().getHeader("MusubiFailure", String.class))
                .contains("mail has no sender address");
        assertThat(kit.ingress.messages().get(1).content().text()).isEqualTo("次のメール");
    }

    @Test
    void healthFollowsTheMailbox() throws Exception {
        kit.start();
        await("UP", WAIT, () -> kit.instance.health().status() == Health.Status.UP);
        kit.imap.stop();
        await("DEGRADED", WAIT, () -> kit.instance.health().status() == Health.Status.DEGRADED);
        assertThat(kit.instance.health().detail()).contains("IMAP server unreachable");
        kit.startImap();
        await("UP again", Duration.ofSeconds(60), () -> kit.instance.health().status() == Health.Status.UP);
        assertThat(kit.counter(ConnectorStatus.RECONNECTS)).isGreaterThanOrEqualTo(1);
        kit.deliverRaw(mail("back.1@example.jp", null, null, "復旧後"));
        await("mail after the reconnect", WAIT, () -> kit.ingress.messages().size() == 1);
    }

    @Test
    void refusedCredentialsMakeItDownWithAReasonUntilTheyWork() throws Exception {
        java.nio.file.Files.writeString(kit.dir.resolve("imap.password"), "wrong");
        kit.start();
        await("DOWN", WAIT, () -> kit.instance.health().status() == Health.Status.DOWN
                && kit.instance.health().detail().contains("IMAP authentication failed"));
        java.nio.file.Files.writeString(kit.dir.resolve("imap.password"), MailTestKit.PASSWORD);
        await("UP once the password is right", Duration.ofSeconds(60),
                () -> kit.instance.health().status() == Health.Status.UP);
        assertThat(kit.instance.describeConfiguration().toString()).doesNotContain(MailTestKit.PASSWORD)
                .doesNotContain(MailTestKit.SMTP_PASSWORD).contains("**** (file)");
    }

    @Test
    void headersOfTheMailNeverSteerCamelOrTheMailbox() throws Exception {
        kit.start();
        // camel-mail reads these Camel message headers when it commits a mail (delete it, move or copy it), and Camel
        // reads Camel* ones: a sender must not be able to set them by writing them into the mail.
        kit.deliverRaw("From: taro@example.jp\nTo: support@musubi.example\nSubject: steer\n"
                + "Date: Tue, 4 Mar 2025 09:15:02 +0900\nMessage-ID: <steer.1@example.jp>\n"
                + "delete: true\nmoveTo: Trash\ncopyTo: Trash\nCamelMailMoveTo: Trash\nCamelFileName: ../../x\n"
                + "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\nhello\n");
        await("mail", WAIT, () -> kit.ingress.messages().size() == 1);
        await("seen", WAIT, () -> unseen() == 0);
        // Still in the inbox, not flagged deleted, and no folder "Trash" made for it.
        assertThat(kit.inbox()).hasSize(1);
        assertThat(kit.inbox().get(0).getFlags().contains(jakarta.mail.Flags.Flag.DELETED)).isFalse();
        assertThat(kit.imap.getManagers().getImapHostManager().getFolder(kit.mailbox, "Trash")).isNull();
        assertThat(kit.ingress.messages().get(0).content().text()).isEqualTo("hello");
    }

    private long unseen() {
        try {
            return kit.unseen();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String withAttachment(String messageId, String name, byte[] data) {
        String b64 = java.util.Base64.getMimeEncoder(76, "\n".getBytes()).encodeToString(data);
        return "From: taro@example.jp\nTo: support@musubi.example\nSubject: =?UTF-8?B?5re75LuY?=\n"
                + "Message-ID: <" + messageId + ">\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=UTF-8\n"
                + "Content-Transfer-Encoding: 8bit\n\n本文\n--b\nContent-Type: application/octet-stream\n"
                + "Content-Disposition: attachment; filename=\"" + name + "\"\nContent-Transfer-Encoding: base64\n\n"
                + b64 + "\n--b--\n";
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
