package io.musubi.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The wire form of an {@link OutboundMessage} on an egress queue: a small, versioned JSON document. */
public final class OutboundMessageCodec {

    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OutboundMessageCodec() {
    }

    public static byte[] encode(OutboundMessage m) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("v", VERSION);
        n.put("id", m.id());
        n.put("tenantId", m.tenantId());
        n.put("interactionId", m.interactionId());
        n.put("connectorId", m.connectorId());
        n.put("channel", m.channel().name());
        n.put("to", m.to().uri());
        n.set("content", InboundEventCodec.contentNode(MAPPER, m.content()));
        ObjectNode attrs = n.putObject("attributes");
        m.attributes().forEach(attrs::put);
        n.put("createdAt", m.createdAt().toString());
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot encode outbound message", ex);
        }
    }

    /** Reads a document written by {@link #encode}; malformed input is an IllegalArgumentException naming the field. */
    public static OutboundMessage decode(byte[] json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException ex) {
            throw new IllegalArgumentException("outbound message is not JSON");
        }
        if (n == null || !n.isObject() || n.path("v").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("outbound message is not a version " + VERSION + " document");
        }
        try {
            Map<String, String> attrs = new LinkedHashMap<>();
            n.path("attributes").fields().forEachRemaining(f -> attrs.put(f.getKey(), f.getValue().asText()));
            MessageContent content = InboundEventCodec.content(n.get("content"));
            if (content == null) {
                throw new IllegalArgumentException("outbound message field 'content' is missing");
            }
            return new OutboundMessage(InboundEventCodec.text(n, "id"), InboundEventCodec.text(n, "tenantId"),
                    InboundEventCodec.text(n, "interactionId"), InboundEventCodec.text(n, "connectorId"),
                    Channel.valueOf(InboundEventCodec.text(n, "channel")),
                    Address.parse(InboundEventCodec.text(n, "to")), content, attrs,
                    Instant.parse(InboundEventCodec.text(n, "createdAt")));
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("outbound message has a malformed createdAt");
        }
    }
}
