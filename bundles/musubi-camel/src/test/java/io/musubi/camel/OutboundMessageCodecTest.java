package io.musubi.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.model.Address;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OutboundMessageCodecTest {

    @Test
    void roundTrips() {
        OutboundMessage m = new OutboundMessage("m-1", "t1", "i-1", "line.main", Channel.LINE,
                Address.parse("line:U4af4980629"),
                new MessageContent("お待たせしました", List.of(new Attachment("blob:9", "image/png", "", -1))),
                Map.of("replyToken", "r"), Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(OutboundMessageCodec.decode(OutboundMessageCodec.encode(m))).isEqualTo(m);
    }

    @Test
    void rejectsDocumentsWithoutContent() {
        String json = "{\"v\":1,\"id\":\"m\",\"tenantId\":\"t\",\"interactionId\":\"i\",\"connectorId\":\"c\","
                + "\"channel\":\"SMS\",\"to\":\"tel:+81312345678\",\"createdAt\":\"2026-01-01T00:00:00Z\"}";
        assertThatThrownBy(() -> OutboundMessageCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("content");
    }
}
