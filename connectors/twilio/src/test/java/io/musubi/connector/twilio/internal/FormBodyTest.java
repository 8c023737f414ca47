package io.musubi.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FormBodyTest {

    @Test
    void decodesAsTwilioEncodesAndKeepsOrderAndRepeats() throws Exception {
        FormBody f = FormBody.parse("Body=a%3Db%26c%3Dd+%F0%9F%99%8F&Tag=vip&Tag=jp&Empty=&Flag&To=%2B1415"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(f.pairs()).containsExactly(Map.entry("Body", "a=b&c=d 🙏"), Map.entry("Tag", "vip"),
                Map.entry("Tag", "jp"), Map.entry("Empty", ""), Map.entry("Flag", ""), Map.entry("To", "+1415"));
        assertThat(f.get("Tag")).isEqualTo("vip");
        assertThat(f.get("Missing")).isEmpty();
        assertThat(f.has("Flag")).isTrue();
        assertThat(f.toString()).doesNotContain("a=b");
    }

    @Test
    void anEscapedReplacementCharacterIsKept() throws Exception {
        assertThat(FormBody.parse("Body=%EF%BF%BD").get("Body")).isEqualTo("\uFFFD");
    }

    @Test
    void refusesWhatTwilioNeverSends() {
        assertThatThrownBy(() -> FormBody.parse("Body=%E3%81")).isInstanceOf(FormBody.MalformedFormException.class)
                .hasMessage("a parameter is not UTF-8");
        assertThatThrownBy(() -> FormBody.parse("Body=%ZZ")).hasMessage("a parameter has a broken % escape");
        assertThatThrownBy(() -> FormBody.parse("Body=%4")).hasMessage("a parameter has a broken % escape");
        assertThatThrownBy(() -> FormBody.parse(new byte[] {'B', '=', (byte) 0xff}))
                .hasMessage("the body is not UTF-8");
    }

    @Test
    void everyFixtureBodyDecodes() throws Exception {
        for (var f : Fixtures.examples()) {
            FormBody form = FormBody.parse(Fixtures.bytes("sms-webhook-examples/" + f.path("file").asText()));
            assertThat(form.get("MessageSid")).startsWith(form.get("MessageSid").substring(0, 2)).hasSize(34);
        }
        for (var c : Fixtures.vectors()) {
            if (c.path("formBody").isTextual()) {
                assertThat(FormBody.parse(c.path("formBody").asText()).pairs()).as(c.path("id").asText())
                        .containsExactlyElementsOf(Fixtures.params(c));
            }
        }
    }
}
