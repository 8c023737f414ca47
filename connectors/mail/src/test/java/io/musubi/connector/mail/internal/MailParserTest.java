package io.musubi.connector.mail.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * The parser on mail fixtures written the way real mailers write them (src/test/resources/mails, made by
 * generate.py with Python's codecs as an independent encoder).
 */
class MailParserTest {

    static final Session SESSION = new MailServer("imap", "localhost", 143, "none", "", null, 5).session();

    static MimeMessage fixture(String name) throws Exception {
        try (InputStream in = MailParserTest.class.getResourceAsStream("/mails/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new MimeMessage(SESSION, in);
        }
    }

    static ParsedMail parse(String name) throws Exception {
        return MailParser.parse(fixture(name));
    }

    @Test
    void iso2022jpFromOutlookWithNecSpecialCharactersDecodes() throws Exception {
        ParsedMail m = parse("iso2022jp-outlook.eml");
        assertThat(m.subject()).isEqualTo("①ご注文の件（至急）");
        assertThat(m.fromName()).isEqualTo("山田 太郎");
        assertThat(m.fromAddress()).isEqualTo("yamada@example.co.jp"); // domain lower-cased as the identity service does
        assertThat(m.text()).contains("株式会社サンプル", "①注文番号 12345 の件で、㈱テストの山田です。")
                .doesNotContain("\uFFFD");
        // The wave dash: JIS 0x2141 decodes to U+301C as browsers decode ISO-2022-JP.
        assertThat(m.text()).contains("納期は３月〜４月でお願いします。");
        assertThat(m.messageId()).isEqualTo("TYAPR01MB1234567890ABCDEF@TYAPR01MB1234.jpnprd01.prod.outlook.com");
        assertThat(m.date()).isEqualTo(Instant.parse("2025-03-04T00:15:02Z"));
        assertThat(m.recipients()).contains("support@musubi.example");
        assertThat(m.autoReply()).isEmpty();
        assertThat(m.attachments()).isEmpty();
    }

    @Test
    void flowedDelSpJoinsSoftBreaksWithoutASpaceAndKeepsQuotesAndSignature() throws Exception {
        ParsedMail m = parse("iso2022jp-thunderbird-flowed.eml");
        assertThat(m.text()).startsWith("この文章は長いので、Thunderbirdが途中で折り返して送信します。受信側では一行に戻るはずです。\n");
        assertThat(m.text()).contains("\n> 引用された行です。\n-- \n署名");
        assertThat(m.subject()).isEqualTo("Re: お問い合わせ");
        assertThat(m.inReplyTo()).containsExactly(
                "musubi.o-11111111-2222-3333-4444-555555555555.r-PG9yaWdpbmFsQGV4YW1wbGUubmUuanA+@musubi.example");
    }

    @Test
    void shiftJisQuotedPrintableWithNecAndIbmExtensions() throws Exception {
        ParsedMail m = parse("shift_jis-qp.eml");
        assertThat(m.subject()).isEqualTo("見積書①");
        assertThat(m.fromName()).isEqualTo("鈴木");
        assertThat(m.text()).isEqualTo("見積書の件です。①と②をご確認ください。ⅰ～ⅲの項目もあります。");
    }

    @Test
    void eucJpBase64() throws Exception {
        ParsedMail m = parse("euc-jp-base64.eml");
        assertThat(m.subject()).isEqualTo("ＥＵＣのテスト");
        assertThat(m.text()).isEqualTo("EUC-JPで書かれたメールです。①も入っています。");
        assertThat(m.fromName()).isEmpty();
    }

    @Test
    void iphoneMailPrefersThePlainAlternativeUnflowsItAndKeepsThePhoto() throws Exception {
        ParsedMail m = parse("utf8-iphone.eml");
        assertThat(m.subject()).isEqualTo("写真を送ります");
        assertThat(m.fromName()).isEqualTo("中村");
        assertThat(m.text()).isEqualTo("iPhoneから送信しています。長い文章はここで折り返されますが、受信時には一行です。\n写真を添付します。");
        assertThat(m.textFromHtml()).isFalse();
        assertThat(m.attachments()).hasSize(1);
        ParsedMail.MailPart photo = m.attachments().get(0);
        assertThat(photo.name()).isEqualTo("IMG_0001.jpeg");
        assertThat(photo.mediaType()).isEqualTo("image/jpeg");
        try (InputStream in = photo.part().getInputStream()) {
            byte[] bytes = in.readAllBytes();
            assertThat(bytes).hasSize(4 + 256 * 8 + 2);
            assertThat(bytes[0]).isEqualTo((byte) 0xFF);
        }
    }

    @Test
    void htmlOnlyMailBecomesTextWithoutScriptStyleOrMarkup() throws Exception {
        ParsedMail m = parse("html-only-script.eml");
        assertThat(m.textFromHtml()).isTrue();
        assertThat(m.subject()).isEqualTo("HTML のみ");
        assertThat(m.text()).contains("こんにちは\n二行目です", "Click here <https://shop.example/offer>", "• one",
                "• two");
        assertThat(m.text()).doesNotContain("alert", "steal", "evil", "injected", "color:red", "tracker", "script",
                "<p", "<b", "<a", "<img", "onclick");
    }

    @Test
    void encodedWordsSplitMidCharacterAndRawJisHeadersAndUndeclaredJisBody() throws Exception {
        ParsedMail m = parse("split-encoded-word.eml");
        assertThat(m.subject()).isEqualTo("分割された件名");
        assertThat(m.fromName()).isEqualTo("高橋");
        assertThat(m.text()).isEqualTo("本文はcharset指定なしのJISです。");
    }

    @Test
    void attachmentNamesInRfc2047AndRfc2231() throws Exception {
        ParsedMail m = parse("attachments-japanese-names.eml");
        assertThat(m.subject()).isEqualTo("添付");
        assertThat(m.text()).isEqualTo("添付します。");
        assertThat(m.attachments()).extracting(ParsedMail.MailPart::name).containsExactly("見積書.pdf", "請求書.txt");
        assertThat(m.attachments()).extracting(ParsedMail.MailPart::mediaType)
                .containsExactly("application/pdf", "text/plain");
        try (InputStream in = m.attachments().get(1).part().getInputStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("請求金額: 10,000円");
        }
    }

    @Test
    void automaticMailIsRecognised() throws Exception {
        assertThat(parse("auto-reply.eml").autoReply()).isEqualTo("auto-submitted");
        assertThat(parse("bounce.eml").autoReply()).isEqualTo("null-sender");
        assertThat(parse("mailing-list.eml").autoReply()).isEqualTo("precedence-list");
        assertThat(parse("iso2022jp-outlook.eml").autoReply()).isEmpty();
    }

    @Test
    void aMalformedTreeKeepsWhatCanBeReadAndCountsTheRest() throws Exception {
        ParsedMail m = parse("malformed-tree.eml");
        assertThat(m.fromAddress()).isEqualTo("broken@example.com");
        // unknown charset: guessed (UTF-8 here), the text is kept
        assertThat(m.text()).isEqualTo("The text survives! あ");
        List<String> names = m.attachments().stream().map(ParsedMail.MailPart::name).toList();
        assertThat(names).contains("ok.png");
        assertThat(m.unreadableParts() + m.attachments().size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aMailWithoutSenderHasNoFromAddress() throws Exception {
        assertThat(parse("no-from.eml").fromAddress()).isEmpty();
    }
}
