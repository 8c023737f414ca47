package io.musubi.rest.internal.resources;

import io.musubi.hub.definitions.Fields;

import io.musubi.acd.AcdAttributes;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.InputRules;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionState;
import io.musubi.model.InvalidInputException;
import io.musubi.model.MessageContent;
import io.musubi.model.ScopedId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shapes of interactions and their events. Agent and queue ids are local to the tenant. */
final class InteractionJson {

    private InteractionJson() {
    }

    /**
     * A contact from a custom channel (a vendor's own chat, a bot hand-off). A later message of the same
     * conversation (same channel and {@code threadKey}, or same {@code from} without one) joins the open interaction.
     *
     * @param channel    channel; default CUSTOM
     * @param from       the customer's address as a URI: {@code webchat:visitor-42}, {@code tel:+81312345678},
     *                   {@code mailto:a@example.jp}, {@code line:U…}
     * @param to         our address (entry point), optional
     * @param threadKey  the conversation key in the vendor's system, optional
     * @param queueId    queue to route to; default: the tenant's default queue
     * @param text       the customer's first message, optional
     * @param attributes channel data for routing and the agent (bot transcript summary, intent...); keys starting
     *                   with {@code musubi.} are reserved
     * @param messageId  the vendor's id of this message: a repeat with the same id is ignored; default: the
     *                   Idempotency-Key header, else a new id
     */
    record Create(Channel channel, String from, String to, String threadKey, String queueId, String text,
                  List<Attachment> attachments, Map<String, String> attributes, String messageId) {
    }

    /** Accept or reject: the agent is the caller itself for an agent, and must be named by others. */
    record AgentAction(String agentId, String reason) {
    }

    /** Transfer to exactly one of an agent or a queue. */
    record Transfer(String agentId, String queueId) {
    }

    record Disposition(String disposition) {
    }

    /**
     * A message on an interaction. {@code direction} {@code out} (the default) is an agent's reply, sent through the
     * connector the conversation came by; {@code in} is a further customer message, for interactions created over
     * the API only.
     */
    record Message(String text, List<Attachment> attachments, String messageId, String direction) {
        /** The content, its text and attachments checked against their limits. */
        MessageContent content() {
            return InteractionJson.content(text, attachments);
        }
    }

    record Note(String text) {
    }

    record MessageView(String id, String interactionId, String direction, Instant at) {
    }

    record View(String id, Channel channel, InteractionState state, String customerId, String from, String to,
                String threadKey, String queueId, String agentId, int priority, String disposition,
                Map<String, String> attributes, Instant createdAt, Instant updatedAt) {

        static View of(Interaction i) {
            Map<String, String> visible = new TreeMap<>(i.attributes());
            visible.keySet().removeIf(k -> k.startsWith("musubi."));
            return new View(i.id(), i.channel(), i.state(), blankToNull(i.customerId()), i.from().uri(),
                    i.to() == null ? null : i.to().uri(), blankToNull(i.threadKey()), local(i.queueId()),
                    local(i.agentId()), i.priority(), blankToNull(i.disposition()), visible, i.createdAt(),
                    i.updatedAt());
        }
    }

    /** A recorded event, as the journey and the interaction's history show it. */
    record EventView(String id, String type, Instant timestamp, String interactionId, String customerId,
                     Channel channel, String actor, Map<String, String> attributes, MessageContent content) {

        static EventView of(InteractionEvent e) {
            return new EventView(e.id(), e.type().name().toLowerCase(java.util.Locale.ROOT), e.timestamp(),
                    e.interactionId(), blankToNull(e.customerId()), e.channel(), localActor(e.actor()),
                    localAttributes(e.attributes()), e.content());
        }
    }

    /** Message content from a request: text and attachments checked against their limits (400 naming the field). */
    static MessageContent content(String text, List<Attachment> attachments) {
        String checked = InputRules.text("text", text, InputRules.MESSAGE_TEXT_MAX);
        List<Attachment> out = new ArrayList<>();
        if (Fields.elements("attachments", attachments, InputRules.ATTACHMENTS_MAX) != null) {
            for (int i = 0; i < attachments.size(); i++) {
                Attachment a = attachments.get(i);
                String field = "attachments[" + i + "]";
                if (a.size() < -1) {
                    throw new InvalidInputException(field + ".size", "bytes, or -1 when unknown");
                }
                out.add(new Attachment(InputRules.name(field + ".ref", a.ref(), InputRules.URL_MAX),
                        InputRules.name(field + ".mediaType", a.mediaType(), InputRules.MEDIA_TYPE_MAX),
                        InputRules.optionalName(field + ".name", a.name(), InputRules.FILE_NAME_MAX), a.size()));
            }
        }
        return new MessageContent(checked, out);
    }

    /** Attribute values naming agents or queues, made local. */
    static Map<String, String> localAttributes(Map<String, String> attributes) {
        Map<String, String> out = new TreeMap<>();
        attributes.forEach((k, v) -> out.put(k, isIdAttribute(k) ? ScopedId.localOf(v) : v));
        return out;
    }

    private static boolean isIdAttribute(String key) {
        return key.equals(AcdAttributes.AGENT_ID) || key.equals(AcdAttributes.QUEUE_ID) || key.endsWith("AgentId")
                || key.endsWith("QueueId");
    }

    static String localActor(String actor) {
        int colon = actor == null ? -1 : actor.indexOf(':');
        return colon < 0 ? actor : actor.substring(0, colon + 1) + ScopedId.localOf(actor.substring(colon + 1));
    }

    static String local(String id) {
        return id == null || id.isEmpty() ? null : ScopedId.localOf(id);
    }

    static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
