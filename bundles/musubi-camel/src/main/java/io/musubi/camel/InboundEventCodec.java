package io.musubi.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.musubi.model.Address;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire form of an {@link InboundEvent} on the ingress queue: a small, versioned JSON document. The
 * mapping is written out field by field so the model carries no JSON annotations and the format is
 * stable across model refactorings.
 */
public final class InboundEventCodec {

    /** Format version written in every document ({@code "v"}). */
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InboundEventCodec() {
    }

    public static byte[] encode(InboundEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("v", VERSION);
        n.put("eventId", e.eventId());
        n.put("source", e.source());
        n.put("tenantId", e.tenantId());
        n.put("channel", e.channel().name());
        n.put("type", e.type().name());
        n.put("from", e.from().uri());
        if (e.to() != null) {
            n.put("to", e.to().uri());
        }
        n.put("threadKey", e.threadKey());
        if (e.content() != null) {
            n.set("content", contentNode(MAPPER, e.content()));
        }
        ObjectNode attrs = n.putObject("attributes");
        e.attributes().forEach(attrs::put);
        n.put("occurredAt", e.occurredAt().toString());
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot encode inbound event", ex);
        }
    }

    /**
     * Reads a document written by {@link #encode}. Anything malformed is an {@link IllegalArgumentException}
     * whose message names the field, never the value (values may be PII).
     */
    public static InboundEvent decode(byte[] json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException ex) {
            throw new IllegalArgumentException("inbound event is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("inbound event is not a JSON object");
        }
        int v = n.path("v").asInt(-1);
        if (v != VERSION) {
            throw new IllegalArgumentException("unsupported inbound event version " + v);
        }
        try {
            MessageContent content = content(n.get("content"));
            Map<String, String> attrs = new LinkedHashMap<>();
            n.path("attributes").fields().forEachRemaining(f -> attrs.put(f.getKey(), f.getValue().asText()));
            return new InboundEvent(text(n, "eventId"), text(n, "source"), text(n, "tenantId"),
                    Channel.valueOf(text(n, "channel")), InteractionEventType.valueOf(text(n, "type")),
                    Address.parse(text(n, "from")), n.hasNonNull("to") ? Address.parse(text(n, "to")) : null,
                    n.path("threadKey").asText(""), content, attrs, Instant.parse(text(n, "occurredAt")));
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("inbound event has a malformed occurredAt");
        } catch (NullPointerException ex) {
            throw new IllegalArgumentException("inbound event misses a field: " + ex.getMessage());
        }
    }

    static ObjectNode contentNode(ObjectMapper mapper, MessageContent content) {
        ObjectNode c = mapper.createObjectNode();
        c.put("text", content.text());
        ArrayNode atts = c.putArray("attachments");
        for (Attachment a : content.attachments()) {
            atts.addObject().put("ref", a.ref()).put("mediaType", a.mediaType()).put("name", a.name())
                    .put("size", a.size());
        }
        return c;
    }

    /** The content object, or null when absent. */
    static MessageContent content(JsonNode c) {
        if (c == null || !c.isObject()) {
            return null;
        }
        List<Attachment> atts = new ArrayList<>();
        for (JsonNode a : c.path("attachments")) {
            atts.add(new Attachment(text(a, "ref"), text(a, "mediaType"), a.path("name").asText(""),
                    a.path("size").asLong(-1)));
        }
        return new MessageContent(c.path("text").asText(""), atts);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("inbound event field '" + field + "' is missing or not a string");
        }
        return v.asText();
    }
}
