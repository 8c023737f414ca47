package io.musubi.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.model.Address;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InboundEventCodecTest {

    @Test
    void roundTripsEveryField() {
        InboundEvent e = new InboundEvent("wh-1", "line.main", "t1", Channel.LINE, InteractionEventType.MESSAGE_IN,
                Address.parse("line:U4af4980629"), Address.parse("line:@musubi"), "U4af4980629",
                new MessageContent("こんにちは", List.of(new Attachment("blob:1", "image/jpeg", "a.jpg", 1234))),
                Map.of("replyToken", "abc"), Instant.parse("2026-11-22T10:00:00.123Z"));
        assertThat(InboundEventCodec.decode(InboundEventCodec.encode(e))).isEqualTo(e);
    }

    @Test
    void roundTripsWithoutOptionalParts() {
        InboundEvent e = new InboundEvent("1", "demo", "t1", Channel.CUSTOM, InteractionEventType.ARRIVED,
                Address.parse("webchat:v1"), null, null, null, Map.of(), Instant.EPOCH);
        assertThat(InboundEventCodec.decode(InboundEventCodec.encode(e))).isEqualTo(e);
    }

    @Test
    void malformedDocumentsAreRejectedWithoutEchoingValues() {
        assertThatThrownBy(() -> InboundEventCodec.decode("nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InboundEventCodec.decode("{\"v\":2}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("version");
        String missingFrom = "{\"v\":1,\"eventId\":\"1\",\"source\":\"s\",\"tenantId\":\"t\",\"channel\":\"SMS\","
                + "\"type\":\"MESSAGE_IN\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}";
        assertThatThrownBy(() -> InboundEventCodec.decode(missingFrom.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("'from'");
        String secretPhone = "{\"v\":1,\"eventId\":\"1\",\"source\":\"s\",\"tenantId\":\"t\",\"channel\":\"SMS\","
                + "\"type\":\"MESSAGE_IN\",\"from\":\"+819012345678\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}";
        assertThatThrownBy(() -> InboundEventCodec.decode(secretPhone.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("9012345678"));
    }
}
