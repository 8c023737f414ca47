package io.musubi.rest.internal.webhooks;

import io.musubi.model.InboundEvent;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.IngressUnavailableException;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.WebhookHandler;
import io.musubi.spi.WebhookRejectedException;
import io.musubi.spi.WebhookRequest;
import io.musubi.spi.WebhookResponse;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook intake's decisions, apart from HTTP: which handler serves a path, authentication before parsing, the
 * durable hand-off, and the answer. {@link WebhookIntakeServlet} adapts it to the servlet API; tests drive it
 * directly. Nothing of a request's body or headers is ever logged: only the path, the size and the outcome.
 */
final class WebhookIntake {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

    /** Outcome counters per {@code type/id}, shown in health. */
    private final Map<String, Map<String, AtomicLong>> counters = new ConcurrentHashMap<>();
    private final Map<String, WebhookHandler> handlers = new ConcurrentHashMap<>();
    private final SampledLog rejections = new SampledLog(LOG, 10_000);
    /** Back-pressure refusals: under overload there is one per request (thousands a second), so sampled too. */
    private final SampledLog refusals = new SampledLog(LOG, 10_000);

    void add(String type, String id, WebhookHandler handler) {
        handlers.put(key(type, id), handler);
    }

    void remove(String type, String id, WebhookHandler handler) {
        handlers.remove(key(type, id), handler);
    }

    private static String key(String type, String id) {
        return type + '/' + id;
    }

    /** The handler serving {@code /webhooks/<type>/<id>}, if it is present. */
    WebhookHandler handler(String type, String id) {
        return handlers.get(key(type, id));
    }

    /**
     * Handles a POST whose body was read within the handler's limit.
     *
     * @return the answer; a 503 when the hub cannot take the events now (the provider retries)
     */
    WebhookResponse post(String type, String id, WebhookHandler handler, WebhookRequest request,
                         IngressGateway ingress) {
        String path = key(type, id);
        try {
            handler.authenticate(request);
        } catch (WebhookRejectedException e) {
            count(path, e.missing() ? "unauthenticated" : "forbidden");
            rejections.warn(path, "Webhook request to {} rejected ({} bytes): {}", path, request.body().length,
                    e.getMessage());
            return problem(e.httpStatus(), e.missing() ? "Unauthorized" : "Forbidden",
                    e.missing() ? "missing signature" : "invalid signature");
        }
        List<InboundEvent> events;
        try {
            events = handler.toEvents(request);
        } catch (MalformedInputException e) {
            count(path, "malformed");
            rejections.warn(path, "Malformed webhook request to {} ({} bytes): {}", path, request.body().length,
                    e.getMessage());
            return problem(400, "Bad Request", "malformed request: " + e.getMessage());
        } catch (RuntimeException e) {
            count(path, "malformed");
            LOG.warn("Webhook request to {} ({} bytes) could not be mapped: {}", path, request.body().length,
                    e.getClass().getName());
            return problem(400, "Bad Request", "malformed request");
        }
        try {
            ingress.submit(events);
        } catch (IngressUnavailableException e) {
            count(path, "unavailable");
            refusals.warn(path, "Webhook request to {} not taken: {}", path, e.getMessage());
            WebhookResponse r = problem(503, "Service Unavailable", "the hub cannot take events now, retry later");
            return new WebhookResponse(r.status(), r.contentType(), r.body());
        }
        count(path, "accepted");
        add(path, "events", events.size());
        return handler.accepted(request, events);
    }

    void count(String path, String outcome) {
        add(path, outcome, 1);
    }

    private void add(String path, String counter, long n) {
        counters.computeIfAbsent(path, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(counter, k -> new AtomicLong()).addAndGet(n);
    }

    /** {@code type/id} → outcome (and {@code events}) → count. */
    Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
        counters.forEach((path, byOutcome) -> byOutcome.forEach((outcome, n) ->
                out.computeIfAbsent(path, k -> new java.util.TreeMap<>()).put(outcome, n.get())));
        return out;
    }

    /** {@code type/id.outcome} → count. */
    Map<String, String> counts() {
        Map<String, String> out = new java.util.TreeMap<>();
        counters.forEach((path, byOutcome) -> byOutcome.forEach((outcome, n) ->
                out.put(path + "." + outcome, Long.toString(n.get()))));
        return out;
    }

    static WebhookResponse problem(int status, String title, String detail) {
        String json = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        return WebhookResponse.text(status, "application/problem+json", json);
    }
}
