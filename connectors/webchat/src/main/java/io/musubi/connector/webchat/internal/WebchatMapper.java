package io.musubi.connector.webchat.internal;

import io.musubi.model.Address;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.MessageMapper;
import io.musubi.spi.PermanentDeliveryException;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web chat's two-way mapping. A visitor's chat line becomes a {@code MESSAGE_IN} on the visitor's conversation
 * (thread key = visitor id) and a video call request an {@code ARRIVED} VIDEO interaction of its own (thread key
 * {@code video:<call id>}); both come from {@code webchat:<visitor id>}, with the event id made of the visitor id and
 * the id the browser gave the line or call, so a retried post is the same event. An agent's reply becomes a
 * transcript line for the visitor. Pure: no I/O, no clock but the input's.
 */
final class WebchatMapper implements MessageMapper<WebchatMapper.VisitorPost, WebchatMapper.Line> {

    /** A browser-made id of a line or a call: 8–64 of letters, digits, {@code _} and {@code -}. */
    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    static final String CALL_THREAD_PREFIX = "video:";
    static final int MAX_PAGE = 256;

    /**
     * What a visitor posted.
     *
     * @param call     a video call request (no text) rather than a chat line
     * @param clientId the browser's id of the line or call
     * @param page     the page the widget is embedded in (for the agent), may be empty
     */
    record VisitorPost(boolean call, String visitorId, String clientId, String text, String page, Instant at) {
    }

    /**
     * A line of the visitor's transcript.
     *
     * @param direction {@code in} (the visitor's) or {@code out} (an agent's)
     * @param attachments names of the attachments (the content stays in the hub)
     */
    record Line(String visitorId, String id, String direction, String text, List<String> attachments, Instant at) {
    }

    private final String source;
    private final String tenantId;
    private final String queue;
    private final String videoQueue;
    private final int maxChars;

    WebchatMapper(String source, String tenantId, String queue, String videoQueue, int maxChars) {
        this.source = source;
        this.tenantId = tenantId;
        this.queue = queue;
        this.videoQueue = videoQueue.isEmpty() ? queue : videoQueue;
        this.maxChars = maxChars;
    }

    @Override
    public List<InboundEvent> toEvents(VisitorPost post) {
        if (!VisitorTokens.VISITOR_ID.matcher(post.visitorId()).matches()) {
            throw new MalformedInputException("visitorId is not a visitor id");
        }
        if (post.clientId() == null || !CLIENT_ID.matcher(post.clientId()).matches()) {
            throw new MalformedInputException((post.call() ? "callId" : "clientId")
                    + ": 8 to 64 of letters, digits, '_' and '-'");
        }
        Address from = Address.of("webchat", post.visitorId());
        Map<String, String> attributes = new HashMap<>();
        String page = post.page() == null ? "" : post.page().strip();
        if (!page.isEmpty()) {
            attributes.put("webchat.page", page.length() > MAX_PAGE ? page.substring(0, MAX_PAGE) : page);
        }
        if (post.call()) {
            if (!videoQueue.isEmpty()) {
                attributes.put(ConnectorAttributes.QUEUE, videoQueue);
            }
            attributes.put("webchat.call", post.clientId());
            return List.of(new InboundEvent(post.visitorId() + "/call/" + post.clientId(), source, tenantId,
                    Channel.VIDEO, InteractionEventType.ARRIVED, from, null, CALL_THREAD_PREFIX + post.clientId(), null,
                    attributes, post.at()));
        }
        String text = post.text() == null ? "" : post.text().strip();
        if (text.isEmpty()) {
            throw new MalformedInputException("text: required");
        }
        if (text.codePointCount(0, text.length()) > maxChars) {
            throw new MalformedInputException("text: at most " + maxChars + " characters");
        }
        if (!queue.isEmpty()) {
            attributes.put(ConnectorAttributes.QUEUE, queue);
        }
        return List.of(new InboundEvent(post.visitorId() + "/" + post.clientId(), source, tenantId, Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, from, null, post.visitorId(), MessageContent.text(text), attributes,
                post.at()));
    }

    @Override
    public Line toExternal(OutboundMessage message) {
        if (!"webchat".equals(message.to().scheme())
                || !VisitorTokens.VISITOR_ID.matcher(message.to().value()).matches()) {
            throw new PermanentDeliveryException("invalid-recipient", "not a web chat visitor address");
        }
        List<String> names = message.content().attachments().stream().map(Attachment::name).toList();
        if (message.content().text().isBlank() && names.isEmpty()) {
            throw new PermanentDeliveryException("empty", "the reply has neither text nor attachments");
        }
        return new Line(message.to().value(), message.id(), "out", message.content().text(), names,
                message.createdAt());
    }
}
