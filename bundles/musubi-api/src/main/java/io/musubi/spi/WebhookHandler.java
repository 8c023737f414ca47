package io.musubi.spi;

import io.musubi.model.InboundEvent;

import java.util.List;

/**
 * A webhook connector's side of the hub's shared webhook intake. The hub serves {@code POST /webhooks/<type>/<id>}
 * outside the REST API's key/JWT authentication and, for each request, in this order:
 * <ol>
 *   <li>reads the raw body up to {@link #maxBodyBytes()} (413 beyond);</li>
 *   <li>calls {@link #authenticate} — the provider's signature over the raw bytes, in constant time, before anything
 *       is parsed (401 or 403 on failure, logged without the body);</li>
 *   <li>calls {@link #toEvents} (400 on {@link MalformedInputException}, counted);</li>
 *   <li>hands the events to the {@link IngressGateway} and waits until they are durable (503 with Retry-After when
 *       the hub cannot take them, so the provider retries);</li>
 *   <li>answers with {@link #accepted}.</li>
 * </ol>
 * Register the handler as an OSGi service with {@link #TYPE_PROPERTY} and {@link Connector#ID_PROPERTY}; while it is
 * absent (connector stopped or being updated) its path answers 503 and the provider retries.
 */
public interface WebhookHandler {

    /** Service property: the connector type, the path segment after {@code /webhooks/} (e.g. {@code line}). */
    String TYPE_PROPERTY = "musubi.webhook.type";

    /** The largest body accepted; providers document theirs. */
    default int maxBodyBytes() {
        return 1 << 20;
    }

    /**
     * Checks that the request comes from the provider: its signature over {@link WebhookRequest#body()} (the exact
     * bytes received), compared in constant time.
     *
     * @throws WebhookRejectedException when the signature is missing (401) or wrong (403)
     */
    void authenticate(WebhookRequest request);

    /**
     * The events of an authenticated request; empty for a request that carries none (LINE's verification request).
     * Pure mapping: no I/O (fetching media content happens later, outside the request).
     *
     * @throws MalformedInputException when the body cannot be understood
     */
    List<InboundEvent> toEvents(WebhookRequest request);

    /** The answer once the events are durable; default 200 with an empty body. */
    default WebhookResponse accepted(WebhookRequest request, List<InboundEvent> events) {
        return WebhookResponse.ok();
    }

    /**
     * Answers a GET on the webhook path (Meta's {@code hub.challenge} verification); default 405. Must check the
     * request itself (Meta: the verify token) before echoing anything.
     */
    default WebhookResponse verify(WebhookRequest request) {
        return WebhookResponse.status(405);
    }
}
