package io.musubi.hub.internal.events;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.musubi.acd.AcdAttributes;
import io.musubi.hub.events.EventFilter;
import io.musubi.hub.events.EventTypes;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.PresenceChange;
import io.musubi.model.ScopedId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An event as the API shows it, on the SSE stream and in webhook bodies (docs/events.md). Agent and queue ids are
 * local (the tenant prefix the routing engine uses is stripped), the tenant itself is never serialised, and the
 * type is the lower-case event type ({@code offered}, {@code message_in}) or {@value #PRESENCE}.
 * {@link #toString()} leaves out {@code data}: it may hold message text.
 *
 * @param id            hub-wide increasing event id (a string in JSON: it exceeds JavaScript's safe integers)
 * @param type          event type
 * @param tenantId      tenant (not serialised)
 * @param timestamp     when it happened
 * @param interactionId the interaction; null for presence
 * @param customerId    the customer; null when not (yet) known and for presence
 * @param agentId       the agent it is about: the event's own agent, else the agent handling the interaction
 * @param queueId       the queue it is about: the event's own queue, else the interaction's queue
 * @param channel       the interaction's channel; null for presence
 * @param data          the rest: message text and attachments, presence from/to/reason, the event's other
 *                      attributes (ids local), and the actor
 */
@JsonPropertyOrder({"id", "type", "timestamp", "interactionId", "customerId", "agentId", "queueId", "channel",
    "data"})
public record ApiEvent(@JsonFormat(shape = JsonFormat.Shape.STRING) long id, String type,
                       @JsonIgnore String tenantId, Instant timestamp, String interactionId, String customerId,
                       String agentId, String queueId, Channel channel, Map<String, Object> data) {

    /** The type of agents' presence changes. */
    public static final String PRESENCE = EventTypes.PRESENCE;
    /** The type of the stream's "events were missed" notice (SSE only, see {@link EventBus}). */
    public static final String RESET = EventTypes.RESET;

    /** Every type an event can have: the interaction event types in lower case, and {@value #PRESENCE}. */
    public static final Set<String> TYPES = EventTypes.ALL;

    /** Attribute keys whose values are scoped agent or queue ids. */
    private static final Set<String> SCOPED_KEYS = Set.of(AcdAttributes.AGENT_ID, AcdAttributes.QUEUE_ID,
            AcdAttributes.FROM_AGENT_ID, AcdAttributes.FROM_QUEUE_ID);

    public ApiEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(timestamp, "timestamp");
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public static String typeOf(InteractionEventType type) {
        return EventTypes.of(type);
    }

    /**
     * The API view of an interaction event.
     *
     * @param current where the interaction stood before this event (fills in agent and queue the event lacks)
     */
    public static ApiEvent of(long id, InteractionEvent event, Assignment current) {
        Map<String, String> attributes = event.attributes();
        String agentId = local(attributes.get(AcdAttributes.AGENT_ID));
        if (agentId == null && inheritsAgent(event.type())) {
            agentId = current.agentId();
        }
        String queueId = local(attributes.get(AcdAttributes.QUEUE_ID));
        if (queueId == null) {
            queueId = current.queueId();
        }
        Map<String, Object> data = new TreeMap<>();
        attributes.forEach((k, v) -> {
            if (!k.equals(AcdAttributes.AGENT_ID) && !k.equals(AcdAttributes.QUEUE_ID)) {
                data.put(k, SCOPED_KEYS.contains(k) ? local(v) : v);
            }
        });
        MessageContent content = event.content();
        if (content != null) {
            data.put("text", content.text());
            List<Map<String, Object>> attachments = new ArrayList<>();
            for (Attachment a : content.attachments()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ref", a.ref());
                m.put("mediaType", a.mediaType());
                if (!a.name().isEmpty()) {
                    m.put("name", a.name());
                }
                if (a.size() >= 0) {
                    m.put("size", a.size());
                }
                attachments.add(m);
            }
            data.put("attachments", attachments);
        }
        data.values().removeIf(Objects::isNull);
        data.put("actor", localActor(event.actor()));
        return new ApiEvent(id, typeOf(event.type()), event.tenantId(), event.timestamp(), event.interactionId(),
                event.customerId().isEmpty() ? null : event.customerId(), agentId, queueId, event.channel(), data);
    }

    /** The API view of a presence change. */
    public static ApiEvent of(long id, PresenceChange change) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", change.from().name());
        data.put("to", change.to().name());
        if (!change.reasonCode().isEmpty()) {
            data.put("reason", change.reasonCode());
        }
        data.put("actor", localActor(change.actor()));
        return new ApiEvent(id, PRESENCE, tenantOf(change), change.timestamp(), null, null,
                ScopedId.localOf(change.agentId()), null, null, data);
    }

    /**
     * The stream's notice that events after {@code requestedId} are no longer held: the client re-reads state over
     * REST. Its id is the newest id the stream can no longer replay, so a later resume from it loses nothing more.
     */
    public static ApiEvent reset(long id, String tenantId, Instant at, long requestedId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("lastEventId", Long.toString(requestedId));
        data.put("reason", "events after lastEventId are no longer held; re-read the state over REST");
        return new ApiEvent(id, RESET, tenantId, at, null, null, null, null, null, data);
    }

    /**
     * The tenant of a presence change: the agent id's scope when it has one (the routing engine serves every
     * tenant of the hub), else the change's tenant.
     */
    static String tenantOf(PresenceChange change) {
        return ScopedId.tenantOf(change.agentId(), change.tenantId());
    }

    /** Whether an event without an agent of its own is about the agent handling the interaction. */
    static boolean inheritsAgent(InteractionEventType type) {
        return switch (type) {
            case ARRIVED, QUEUED, TRANSFERRED, ABANDONED, CALLBACK_SCHEDULED -> false;
            default -> true;
        };
    }

    /**
     * Whether a stream with this filter receives this event: always one tenant's; within it, any of the filter's
     * agents, queues, customers and types (each set empty for "any"; the sets combine with AND). An event matches an
     * agent when it is that agent's (offer, acceptance, presence, a message on an interaction it handles) or was
     * transferred away from it; a queue likewise. A filter with {@code self} receives only events about that agent.
     */
    boolean matches(EventFilter f) {
        if (!f.tenantId().equals(tenantId)) {
            return false;
        }
        if (!f.types().isEmpty() && !f.types().contains(type)) {
            return false;
        }
        if (!f.customerIds().isEmpty() && (customerId == null || !f.customerIds().contains(customerId))) {
            return false;
        }
        Set<String> agents = f.self() != null || !f.agentIds().isEmpty() ? involvedAgents() : Set.of();
        if (f.self() != null && !agents.contains(f.self())) {
            return false;
        }
        if (!f.agentIds().isEmpty() && agents.stream().noneMatch(f.agentIds()::contains)) {
            return false;
        }
        return f.queueIds().isEmpty() || involvedQueues().stream().anyMatch(f.queueIds()::contains);
    }

    /** The agent ids this event is about: its agent, and the agent it was transferred from. */
    Set<String> involvedAgents() {
        return involved(agentId, data.get(AcdAttributes.FROM_AGENT_ID));
    }

    /** The queue ids this event is about: its queue, and the queue it was transferred from. */
    Set<String> involvedQueues() {
        return involved(queueId, data.get(AcdAttributes.FROM_QUEUE_ID));
    }

    private static Set<String> involved(String own, Object from) {
        if (from instanceof String f && !f.isEmpty()) {
            return own == null ? Set.of(f) : own.equals(f) ? Set.of(own) : Set.of(own, f);
        }
        return own == null ? Set.of() : Set.of(own);
    }

    private static String local(String id) {
        return id == null || id.isEmpty() ? null : ScopedId.localOf(id);
    }

    /** {@code agent:acme/alice} becomes {@code agent:alice}; {@code customer} and {@code system} stay. */
    static String localActor(String actor) {
        int colon = actor.indexOf(':');
        return colon < 0 ? actor : actor.substring(0, colon + 1) + ScopedId.localOf(actor.substring(colon + 1));
    }

    @Override
    public String toString() {
        return "ApiEvent[id=" + id + ", type=" + type + ", tenant=" + tenantId + ", interaction=" + interactionId
                + ", agent=" + agentId + ", queue=" + queueId + "]";
    }
}
