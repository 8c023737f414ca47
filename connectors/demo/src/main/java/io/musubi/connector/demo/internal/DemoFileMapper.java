package io.musubi.connector.demo.internal;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.MalformedInputException;

import java.time.Instant;
import java.util.Map;

/**
 * Maps one dropped file to an inbound event: the file name without {@code .txt} is the provider event id
 * (so a re-read file is recognised as a duplicate), the content is the message text.
 */
final class DemoFileMapper {

    static final int MAX_TEXT = 64 * 1024;

    private final String source;
    private final String tenantId;
    private final Address from;
    private final String queue;

    DemoFileMapper(String source, String tenantId, Address from) {
        this(source, tenantId, from, "");
    }

    /** @param queue the local queue of new interactions; empty: the tenant's default queue */
    DemoFileMapper(String source, String tenantId, Address from, String queue) {
        this.source = source;
        this.tenantId = tenantId;
        this.from = from;
        this.queue = queue == null ? "" : queue.strip();
    }

    InboundEvent toEvent(String fileName, String content, Instant modified) {
        if (!fileName.endsWith(".txt") || fileName.length() <= 4) {
            throw new MalformedInputException("demo file name must be <event-id>.txt");
        }
        if (content.length() > MAX_TEXT) {
            throw new MalformedInputException("demo file is larger than " + MAX_TEXT + " characters");
        }
        String eventId = fileName.substring(0, fileName.length() - 4);
        Map<String, String> attributes = queue.isEmpty() ? Map.of("demo.file", fileName)
                : Map.of("demo.file", fileName, ConnectorAttributes.QUEUE, queue);
        return new InboundEvent(eventId, source, tenantId, Channel.WEBCHAT, InteractionEventType.MESSAGE_IN, from,
                null, from.value(), MessageContent.text(content.strip()), attributes, modified);
    }
}
