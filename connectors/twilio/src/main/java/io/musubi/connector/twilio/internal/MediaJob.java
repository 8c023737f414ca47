package io.musubi.connector.twilio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.musubi.spi.MalformedInputException;

import java.io.IOException;
import java.util.Objects;

/**
 * One MMS media to fetch from Twilio and store, queued durably before the webhook is answered and fetched after.
 *
 * @param tenantId  tenant
 * @param key       the content store key the attachment's reference was made from
 * @param url       Twilio's media URL ({@code MediaUrl<n>})
 * @param mediaType Twilio's {@code MediaContentType<n>}
 * @param name      a file name to show
 * @param eventId   the message's event id (its MessageSid)
 * @param from      the customer's address URI
 * @param threadKey the conversation's thread key
 */
record MediaJob(String tenantId, String key, String url, String mediaType, String name, String eventId, String from,
                String threadKey) {

    private static final ObjectMapper JSON = new ObjectMapper();

    MediaJob {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(url, "url");
        mediaType = mediaType == null || mediaType.isBlank() ? "application/octet-stream" : mediaType;
        name = name == null ? "" : name;
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(from, "from");
        threadKey = threadKey == null ? "" : threadKey;
    }

    byte[] encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("tenantId", tenantId).put("key", key).put("url", url).put("mediaType", mediaType).put("name", name)
                .put("eventId", eventId).put("from", from).put("threadKey", threadKey);
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static MediaJob decode(byte[] bytes) {
        try {
            JsonNode o = JSON.readTree(bytes);
            return new MediaJob(o.path("tenantId").textValue(), o.path("key").textValue(), o.path("url").textValue(),
                    o.path("mediaType").textValue(), o.path("name").textValue(), o.path("eventId").textValue(),
                    o.path("from").textValue(), o.path("threadKey").textValue());
        } catch (IOException | RuntimeException e) {
            throw new MalformedInputException("undecodable media job: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        // The URL names the account and the message; the address is PII.
        return "MediaJob[key=" + key + ", eventId=" + eventId + "]";
    }
}
