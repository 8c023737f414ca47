package io.musubi.connector.line.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.musubi.model.Address;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.ContentStore;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.MessageMapper;
import io.musubi.spi.PermanentDeliveryException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * LINE's webhook events to the hub's inbound events, and the hub's outbound messages to LINE message objects. Pure: no
 * I/O, no clock (the reply token's expiry comes from the event's own timestamp). The table of what each event type
 * means for the contact center is in docs/connectors/line.md; in short:
 * <ul>
 *   <li>messages (text, sticker, image, video, audio, file, location, and types LINE adds later) and postbacks are
 *       MESSAGE_IN: they open or join the conversation's interaction;</li>
 *   <li>follow, unfollow, account link, unsend and beacon are NOTEs that join an open interaction but never open one
 *       ({@link ConnectorAttributes#JOIN_ONLY}); a successful account link carries its nonce
 *       ({@link ConnectorAttributes#LINK_NONCE});</li>
 *   <li>join, leave, member joined/left, video play complete and unknown event types are ignored.</li>
 * </ul>
 */
final class LineMapper implements MessageMapper<JsonNode, LineOutbound> {

    static final String TYPE = "line";

    /** Attributes of the events (connector-specific ones are prefixed {@code line.}). */
    static final String EVENT_TYPE = "line.eventType";
    static final String MODE = "line.mode";
    static final String REDELIVERY = "line.redelivery";
    static final String SOURCE_TYPE = "line.sourceType";
    static final String MESSAGE_ID = "line.messageId";
    static final String MESSAGE_TYPE = "line.messageType";
    static final String CONTENT_PROVIDER = "line.contentProvider";
    static final String REPLY_TOKEN = ConnectorAttributes.REPLY_PREFIX + "line.replyToken";
    static final String REPLY_TOKEN_EXPIRES = ConnectorAttributes.REPLY_PREFIX + "line.replyTokenExpires";
    /** The chat a reply is pushed to: the user in a one-to-one chat, else the group or room. */
    static final String REPLY_TO = ConnectorAttributes.REPLY_PREFIX + "line.to";

    /** Message types whose content LINE keeps for us to fetch. */
    static final List<String> MEDIA = List.of("image", "video", "audio", "file");

    /** A LINE text message holds at most 5 000 characters (UTF-16 code units); a request at most 5 messages. */
    static final int MAX_TEXT = 5_000;
    static final int MAX_MESSAGES = 5;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final Pattern MESSAGE_ID_FORMAT = Pattern.compile("[0-9]{1,32}");

    private final String connectorId;
    private final String tenantId;
    private final String queue;
    private final ContentStore content;
    private final Duration replyTokenValidity;

    LineMapper(String connectorId, String tenantId, String queue, ContentStore content, Duration replyTokenValidity) {
        this.connectorId = connectorId;
        this.tenantId = tenantId;
        this.queue = queue == null ? "" : queue.strip();
        this.content = content;
        this.replyTokenValidity = replyTokenValidity;
    }

    /** The content store key of a message's content: {@code <connector id>/message/<message id>}. */
    String contentKey(String messageId) {
        return connectorId + "/message/" + messageId;
    }

    // ------------------------------------------------------------------------------------------------ inbound

    @Override
    public List<InboundEvent> toEvents(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new MalformedInputException("the webhook body is not a JSON object");
        }
        JsonNode events = body.get("events");
        if (events == null || !events.isArray()) {
            throw new MalformedInputException("events is missing or not an array");
        }
        String destination = text(body, "destination");
        Address to = destination != null && ID.matcher(destination).matches() ? Address.of(TYPE, destination) : null;
        List<InboundEvent> out = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            InboundEvent e = event(events.get(i), "events[" + i + "]", to);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** One event, or null when it means nothing for the hub. */
    private InboundEvent event(JsonNode e, String where, Address to) {
        if (e == null || !e.isObject()) {
            throw new MalformedInputException(where + " is not an object");
        }
        String type = required(e, "type", where);
        switch (type) {
            case "join", "leave", "memberJoined", "memberLeft", "videoPlayComplete" -> {
                return null;
            }
            case "message", "postback", "follow", "unfollow", "accountLink", "unsend", "beacon" -> {
                // handled below
            }
            default -> {
                return null; // a type LINE added later (membership, module, ...): nothing for the contact center yet
            }
        }
        String eventId = required(e, "webhookEventId", where);
        JsonNode ts = e.get("timestamp");
        if (ts == null || !ts.canConvertToLong() || ts.asLong() <= 0) {
            throw new MalformedInputException(where + ".timestamp is missing or not a positive number");
        }
        Instant at = Instant.ofEpochMilli(ts.asLong());
        JsonNode source = e.get("source");
        if (source == null || !source.isObject()) {
            throw new MalformedInputException(where + ".source is missing");
        }
        String sourceType = required(source, "type", where + ".source");
        String userId = text(source, "userId");
        String chat = switch (sourceType) {
            case "user" -> userId;
            case "group" -> text(source, "groupId");
            case "room" -> text(source, "roomId");
            default -> null;
        };
        if (chat == null) {
            return null;
        }
        // A group message whose sender LINE leaves out still belongs to the group's conversation.
        String who = userId != null ? userId : "message".equals(type) || "postback".equals(type) ? chat : null;
        if (who == null) {
            return null; // no customer to speak of
        }
        if (!ID.matcher(who).matches() || !ID.matcher(chat).matches()) {
            throw new MalformedInputException(where + ".source holds an id that is not [A-Za-z0-9]{1,64}");
        }
        Address from = Address.of(TYPE, who);
        String mode = text(e, "mode");

        Map<String, String> attributes = new HashMap<>();
        attributes.put(EVENT_TYPE, type);
        attributes.put(SOURCE_TYPE, sourceType);
        if (mode != null) {
            attributes.put(MODE, mode);
        }
        if (e.path("deliveryContext").path("isRedelivery").asBoolean(false)) {
            attributes.put(REDELIVERY, "true");
        }
        if (!queue.isEmpty()) {
            attributes.put(ConnectorAttributes.QUEUE, queue);
        }
        attributes.put(REPLY_TO, chat);
        String replyToken = text(e, "replyToken");
        // In standby mode another channel answers the chat: the bot keeps quiet, so no reply token is kept.
        if (replyToken != null && !"standby".equals(mode)) {
            attributes.put(REPLY_TOKEN, replyToken);
            attributes.put(REPLY_TOKEN_EXPIRES, at.plus(replyTokenValidity).toString());
        }

        InteractionEventType kind;
        MessageContent text;
        switch (type) {
            case "message" -> {
                kind = InteractionEventType.MESSAGE_IN;
                text = message(e.get("message"), where + ".message", attributes);
            }
            case "postback" -> {
                kind = InteractionEventType.MESSAGE_IN;
                JsonNode postback = e.path("postback");
                String data = text(postback, "data");
                attributes.put("line.postback.data", data == null ? "" : data);
                Iterator<Map.Entry<String, JsonNode>> params = postback.path("params").fields();
                while (params.hasNext()) {
                    Map.Entry<String, JsonNode> p = params.next();
                    attributes.put("line.postback.params." + p.getKey(), p.getValue().asText());
                }
                text = MessageContent.text("[postback] " + (data == null ? "" : data));
            }
            default -> {
                kind = InteractionEventType.NOTE;
                attributes.put(ConnectorAttributes.JOIN_ONLY, "true");
                text = MessageContent.text(note(type, e, where, attributes));
            }
        }
        return new InboundEvent(eventId, connectorId, tenantId, Channel.LINE, kind, from, to,
                connectorId + ":" + chat, text, attributes, at);
    }

    private MessageContent message(JsonNode m, String where, Map<String, String> attributes) {
        if (m == null || !m.isObject()) {
            throw new MalformedInputException(where + " is missing");
        }
        String type = required(m, "type", where);
        String id = required(m, "id", where);
        attributes.put(MESSAGE_ID, id);
        attributes.put(MESSAGE_TYPE, type);
        String quoted = text(m, "quotedMessageId");
        if (quoted != null) {
            attributes.put("line.quotedMessageId", quoted);
        }
        switch (type) {
            case "text" -> {
                return MessageContent.text(required(m, "text", where));
            }
            case "sticker" -> {
                putIfPresent(attributes, "line.sticker.packageId", text(m, "packageId"));
                putIfPresent(attributes, "line.sticker.stickerId", text(m, "stickerId"));
                putIfPresent(attributes, "line.sticker.resourceType", text(m, "stickerResourceType"));
                List<String> keywords = new ArrayList<>();
                m.path("keywords").forEach(k -> keywords.add(k.asText()));
                if (!keywords.isEmpty()) {
                    attributes.put("line.sticker.keywords", String.join(",", keywords));
                }
                String said = text(m, "text"); // a message sticker's own text
                return MessageContent.text("[sticker]" + (said != null ? " " + said
                        : keywords.isEmpty() ? "" : " " + String.join(", ", keywords)));
            }
            case "location" -> {
                String title = text(m, "title");
                String address = text(m, "address");
                putIfPresent(attributes, "line.location.title", title);
                putIfPresent(attributes, "line.location.address", address);
                attributes.put("line.location.latitude", m.path("latitude").asText());
                attributes.put("line.location.longitude", m.path("longitude").asText());
                StringBuilder t = new StringBuilder("[location]");
                if (title != null) {
                    t.append(' ').append(title);
                }
                if (address != null) {
                    t.append(title != null ? "\n" : " ").append(address);
                }
                return MessageContent.text(t.toString());
            }
            case "image", "video", "audio", "file" -> {
                return media(m, type, id, where, attributes);
            }
            default -> {
                return MessageContent.text("[" + type + " message]"); // a message type LINE added later
            }
        }
    }

    private MessageContent media(JsonNode m, String type, String id, String where, Map<String, String> attributes) {
        if (!MESSAGE_ID_FORMAT.matcher(id).matches()) {
            throw new MalformedInputException(where + ".id of a " + type + " message is not a number");
        }
        String provider = m.path("contentProvider").path("type").asText("line");
        attributes.put(CONTENT_PROVIDER, provider);
        if (m.has("duration")) {
            attributes.put("line.duration", m.path("duration").asText());
        }
        JsonNode set = m.get("imageSet");
        if (set != null && set.isObject()) {
            putIfPresent(attributes, "line.imageSet.id", text(set, "id"));
            attributes.put("line.imageSet.index", set.path("index").asText());
            attributes.put("line.imageSet.total", set.path("total").asText());
        }
        if (!"line".equals(provider)) {
            // Content kept by the sender's own server: LINE does not serve it, and the hub does not fetch URLs a
            // message names (they could point anywhere). The URLs stay as attributes for the agent.
            putIfPresent(attributes, "line.originalContentUrl", text(m.path("contentProvider"), "originalContentUrl"));
            putIfPresent(attributes, "line.previewImageUrl", text(m.path("contentProvider"), "previewImageUrl"));
            return MessageContent.text("[" + type + ": external content]");
        }
        String name = "file".equals(type) ? text(m, "fileName") : "";
        long size = "file".equals(type) && m.path("fileSize").canConvertToLong() ? m.path("fileSize").asLong() : -1;
        Attachment attachment = new Attachment(content.referenceOf(tenantId, contentKey(id)), mediaType(type, name),
                name, size);
        return new MessageContent("", List.of(attachment));
    }

    /** The media type to show until the content arrives (the stored content has LINE's own). */
    static String mediaType(String type, String fileName) {
        return switch (type) {
            case "image" -> "image/jpeg";
            case "video" -> "video/mp4";
            case "audio" -> "audio/mp4";
            default -> {
                String lower = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
                if (lower.endsWith(".pdf")) {
                    yield "application/pdf";
                }
                yield "application/octet-stream";
            }
        };
    }

    private static String note(String type, JsonNode e, String where, Map<String, String> attributes) {
        switch (type) {
            case "follow" -> {
                boolean unblocked = e.path("follow").path("isUnblocked").asBoolean(false);
                attributes.put("line.follow.isUnblocked", Boolean.toString(unblocked));
                return unblocked ? "LINE: unblocked the account" : "LINE: added the account as a friend";
            }
            case "unfollow" -> {
                return "LINE: blocked the account; replies can no longer reach them";
            }
            case "accountLink" -> {
                JsonNode link = e.path("link");
                String result = text(link, "result");
                attributes.put("line.link.result", result == null ? "" : result);
                String nonce = text(link, "nonce");
                if ("ok".equals(result) && nonce != null) {
                    attributes.put(ConnectorAttributes.LINK_NONCE, nonce);
                    return "LINE: linked their account";
                }
                return "LINE: account link failed";
            }
            case "unsend" -> {
                String id = text(e.path("unsend"), "messageId");
                if (id == null) {
                    throw new MalformedInputException(where + ".unsend.messageId is missing");
                }
                attributes.put("line.unsend.messageId", id);
                return "LINE: unsent message " + id;
            }
            case "beacon" -> {
                JsonNode beacon = e.path("beacon");
                putIfPresent(attributes, "line.beacon.hwid", text(beacon, "hwid"));
                putIfPresent(attributes, "line.beacon.type", text(beacon, "type"));
                putIfPresent(attributes, "line.beacon.dm", text(beacon, "dm"));
                return "LINE: beacon " + beacon.path("type").asText("") + " (" + beacon.path("hwid").asText("") + ")";
            }
            default -> throw new IllegalStateException(type);
        }
    }

    private static String required(JsonNode node, String field, String where) {
        String value = text(node, field);
        if (value == null || value.isEmpty()) {
            throw new MalformedInputException(where + "." + field + " is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static void putIfPresent(Map<String, String> attributes, String key, String value) {
        if (value != null) {
            attributes.put(key, value);
        }
    }

    // ------------------------------------------------------------------------------------------------ outbound

    /**
     * The LINE form of an outbound message: text only (in up to five text messages of 5 000 characters each);
     * attachments are refused, because LINE fetches media from a public HTTPS URL and the hub serves none.
     *
     * @throws PermanentDeliveryException {@code attachments-unsupported}, {@code empty-message},
     *                                    {@code text-too-long}, {@code invalid-recipient}
     */
    @Override
    public LineOutbound toExternal(OutboundMessage message) {
        if (!message.content().attachments().isEmpty()) {
            throw new PermanentDeliveryException("attachments-unsupported",
                    "LINE takes media only from a public HTTPS URL; attachments are not sent");
        }
        String text = message.content().text();
        if (text.isBlank()) {
            throw new PermanentDeliveryException("empty-message", "the message has no text");
        }
        List<String> parts = split(text);
        if (parts.size() > MAX_MESSAGES) {
            throw new PermanentDeliveryException("text-too-long", "longer than " + MAX_MESSAGES + " LINE messages of "
                    + MAX_TEXT + " characters");
        }
        ArrayNode messages = JsonNodeFactory.instance.arrayNode();
        for (String part : parts) {
            messages.addObject().put("type", "text").put("text", part);
        }
        Map<String, String> a = message.attributes();
        String to = a.get(REPLY_TO);
        if (to == null || to.isEmpty()) {
            if (!TYPE.equals(message.to().scheme())) {
                throw new PermanentDeliveryException("invalid-recipient", "not a LINE address");
            }
            to = message.to().value();
        }
        if (!ID.matcher(to).matches()) {
            throw new PermanentDeliveryException("invalid-recipient", "not a LINE user, group or room id");
        }
        String token = a.get(REPLY_TOKEN);
        Instant expires = null;
        if (token != null && !token.isEmpty()) {
            try {
                expires = Instant.parse(a.getOrDefault(REPLY_TOKEN_EXPIRES, ""));
            } catch (java.time.format.DateTimeParseException noExpiry) {
                token = null; // a token of unknown age is not used
            }
        } else {
            token = null;
        }
        return new LineOutbound(to, token, expires, messages, retryKey(message.id()));
    }

    /** The push's X-Line-Retry-Key: a hex UUID derived from the hub's message id, the same for every retry. */
    static String retryKey(String messageId) {
        return UUID.nameUUIDFromBytes(("line-push/" + messageId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Text in parts of at most {@link #MAX_TEXT} UTF-16 code units, never splitting a surrogate pair. */
    static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + MAX_TEXT);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            parts.add(text.substring(start, end));
            start = end;
        }
        return parts;
    }
}
