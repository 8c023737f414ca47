package io.musubi.connector.line.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.musubi.model.Attachment;
import io.musubi.model.InboundEvent;
import io.musubi.spi.MalformedInputException;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * One media content to fetch from LINE and store, queued durably after the webhook is answered.
 *
 * @param tenantId  tenant
 * @param messageId LINE's message id (a number)
 * @param key       the content store key chosen at mapping time
 * @param mediaType the media type shown until LINE's own is known
 * @param name      a file name, or empty
 * @param eventId   the webhook event id (for the note if the content is unavailable)
 * @param from      the customer's address URI
 * @param threadKey the conversation's thread key
 */
record ContentJob(String tenantId, String messageId, String key, String mediaType, String name, String eventId,
                  String from, String threadKey) {

    private static final ObjectMapper JSON = new ObjectMapper();

    ContentJob {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(key, "key");
        mediaType = mediaType == null ? "application/octet-stream" : mediaType;
        name = name == null ? "" : name;
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(from, "from");
        threadKey = threadKey == null ? "" : threadKey;
    }

    /** The job of an event whose message content LINE keeps for us; empty for any other event. */
    static Optional<ContentJob> of(InboundEvent e, LineMapper mapper) {
        String type = e.attributes().get(LineMapper.MESSAGE_TYPE);
        String messageId = e.attributes().get(LineMapper.MESSAGE_ID);
        if (type == null || messageId == null || !LineMapper.MEDIA.contains(type)
                || !"line".equals(e.attributes().get(LineMapper.CONTENT_PROVIDER)) || e.content() == null
                || e.content().attachments().isEmpty()) {
            return Optional.empty();
        }
        Attachment a = e.content().attachments().get(0);
        return Optional.of(new ContentJob(e.tenantId(), messageId, mapper.contentKey(messageId), a.mediaType(),
                a.name(), e.eventId(), e.from().uri(), e.threadKey()));
    }

    byte[] encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("tenantId", tenantId).put("messageId", messageId).put("key", key).put("mediaType", mediaType)
                .put("name", name).put("eventId", eventId).put("from", from).put("threadKey", threadKey);
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ContentJob decode(byte[] bytes) {
        try {
            JsonNode o = JSON.readTree(bytes);
            return new ContentJob(o.path("tenantId").textValue(), o.path("messageId").textValue(),
                    o.path("key").textValue(), o.path("mediaType").textValue(), o.path("name").textValue(),
                    o.path("eventId").textValue(), o.path("from").textValue(), o.path("threadKey").textValue());
        } catch (IOException | RuntimeException e) {
            throw new MalformedInputException("undecodable content job: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return "ContentJob[messageId=" + messageId + ", eventId=" + eventId + "]";
    }
}
