package io.musubi.connector.webchat.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.musubi.model.InboundEvent;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.IngressUnavailableException;
import io.musubi.spi.LiveSignal;
import io.musubi.spi.MalformedInputException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The visitor endpoints of one web chat instance, apart from HTTP ({@link WebchatServlet} adapts them; tests drive them
 * directly). Paths are relative to {@code /webchat/<id>}:
 * <ul>
 *   <li>{@code POST /session}: a new visitor (no credentials; limited per client address), or a renewed token for
 *       the visitor of a valid one;</li>
 *   <li>{@code POST /messages} {@code {text, clientId}}: a chat line, handed durably to the hub, then added to the
 *       transcript;</li>
 *   <li>{@code POST /calls} {@code {callId}}: a video call, a VIDEO interaction routed by the ACD;</li>
 *   <li>{@code POST /signals} {@code {type, interactionId, data}}: typing and WebRTC signalling to the agent;</li>
 *   <li>{@code GET /stream}: the transcript and everything live, as Server-Sent Events (see the servlet).</li>
 * </ul>
 * Every call but a new session carries {@code Authorization: Bearer <visitor token>}. Refusals are problem+json and
 * name the field and the limit; a refused request stores nothing. Nothing a visitor sends is logged.
 */
final class WebchatApi {

    static final int MAX_BODY = 32 * 1024;
    static final Set<String> VISITOR_SIGNALS = Set.of("typing", "rtc.answer", "rtc.candidate", "rtc.hangup",
            "video.accept", "video.decline", "chat.left");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+(\\S+)");
    private static final Logger LOG = LoggerFactory.getLogger(WebchatApi.class);
    private static final ObjectMapper PROBLEMS = new ObjectMapper();

    /** A request as the servlet read it. */
    record Request(String authorization, String clientAddress, String page, byte[] body) {
    }

    /** An answer: status, JSON (or problem+json) body, extra headers. */
    record Reply(int status, String contentType, String body, Map<String, String> headers) {
        static Reply json(int status, JsonNode body) {
            return new Reply(status, "application/json", body.toString(), Map.of("Cache-Control", "no-store"));
        }

        static Reply problem(int status, String title, String detail, Map<String, String> headers) {
            ObjectNode n = PROBLEMS.createObjectNode();
            n.put("type", "about:blank");
            n.put("title", title);
            n.put("status", status);
            n.put("detail", detail);
            Map<String, String> h = new TreeMap<>(headers);
            h.put("Cache-Control", "no-store");
            return new Reply(status, "application/problem+json", n.toString(), h);
        }
    }

    /** A refused request. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final long retryAfter;

        Refusal(int status, String detail) {
            this(status, detail, 0);
        }

        Refusal(int status, String detail, long retryAfter) {
            super(detail, null, false, false);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        Reply reply() {
            String title = switch (status) {
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 404 -> "Not Found";
                case 409 -> "Conflict";
                case 413 -> "Content Too Large";
                case 429 -> "Too Many Requests";
                case 503 -> "Service Unavailable";
                default -> "Error";
            };
            Map<String, String> headers = new TreeMap<>();
            if (retryAfter > 0) {
                headers.put("Retry-After", Long.toString(retryAfter));
            }
            if (status == 401) {
                headers.put("WWW-Authenticate", "Bearer realm=\"webchat\"");
            }
            return Reply.problem(status, title, getMessage(), headers);
        }
    }

    private final String connectorId;
    private final VisitorTokens tokens;
    private final Visitors visitors;
    private final WebchatMapper mapper;
    private final IngressGateway ingress;
    private final RtcServers rtc;
    private final ConnectorStatus status;
    private final Clock clock;
    private final ObjectMapper json;
    private final int maxChars;
    private final RateLimit sessions;
    private final RateLimit messages;
    private final RateLimit signals;

    WebchatApi(String connectorId, VisitorTokens tokens, Visitors visitors, WebchatMapper mapper,
               IngressGateway ingress, RtcServers rtc, ConnectorStatus status, Clock clock, ObjectMapper json,
               int maxChars, int sessionsPerMinute, double messagesPerSecond) {
        this.connectorId = connectorId;
        this.tokens = tokens;
        this.visitors = visitors;
        this.mapper = mapper;
        this.ingress = ingress;
        this.rtc = rtc;
        this.status = status;
        this.clock = clock;
        this.json = json;
        this.maxChars = maxChars;
        this.sessions = new RateLimit(sessionsPerMinute / 60.0, sessionsPerMinute, clock);
        this.messages = new RateLimit(messagesPerSecond, Math.max(1, messagesPerSecond * 10), clock);
        this.signals = new RateLimit(20, 200, clock);
    }

    /** {@code POST /session}. */
    Reply session(Request r) {
        try {
            String visitorId;
            int code;
            if (r.authorization() != null) {
                visitorId = visitor(r).id();
                limit(signals, "visitor " + visitorId);
                code = 200;
            } else {
                limit(sessions, "address " + r.clientAddress());
                visitorId = tokens.newVisitorId();
                status.increment("sessions");
                code = 201;
            }
            String token = tokens.issue(visitorId);
            Instant expires = tokens.expiryOf(token);
            ObjectNode n = json.createObjectNode();
            n.put("token", token);
            n.put("visitorId", visitorId);
            n.put("expiresAt", expires.toString());
            n.put("renewAfterSeconds", Math.max(30, Duration.between(clock.instant(), expires).toSeconds() * 2 / 3));
            n.put("maxMessageChars", maxChars);
            n.set("rtc", rtc.configuration(visitorId));
            return Reply.json(code, n);
        } catch (Refusal e) {
            return e.reply();
        }
    }

    /** {@code POST /messages} {@code {text, clientId}}. */
    Reply message(Request r) {
        try {
            VisitorTokens.Visitor v = visitor(r);
            limit(messages, "visitor " + v.id());
            JsonNode body = body(r, Set.of("text", "clientId"));
            String clientId = text(body, "clientId");
            Instant now = clock.instant();
            InboundEvent event = event(new WebchatMapper.VisitorPost(false, v.id(), clientId, text(body, "text"),
                    r.page(), now));
            submit(event);
            status.increment(ConnectorStatus.RECEIVED);
            Visitors.Entry entry = visitors.append(v.id(), "in-" + clientId, "in", event.content().text(), List.of(),
                    now);
            ObjectNode n = json.createObjectNode();
            n.put("id", entry.id());
            n.put("seq", entry.seq());
            return Reply.json(202, n);
        } catch (Refusal e) {
            return e.reply();
        }
    }

    /** {@code POST /calls} {@code {callId}}: the visitor asks for a video call. */
    Reply call(Request r) {
        try {
            VisitorTokens.Visitor v = visitor(r);
            limit(messages, "visitor " + v.id());
            JsonNode body = body(r, Set.of("callId"));
            String callId = text(body, "callId");
            submit(event(new WebchatMapper.VisitorPost(true, v.id(), callId, null, r.page(), clock.instant())));
            status.increment("calls");
            ObjectNode n = json.createObjectNode();
            n.put("callId", callId);
            return Reply.json(202, n);
        } catch (Refusal e) {
            return e.reply();
        }
    }

    /** {@code POST /signals} {@code {type, interactionId, data}}: to the agent's side. */
    Reply signal(Request r) {
        try {
            VisitorTokens.Visitor v = visitor(r);
            limit(signals, "visitor " + v.id());
            JsonNode body = body(r, Set.of("type", "interactionId", "data"));
            String type = text(body, "type");
            if (!VISITOR_SIGNALS.contains(type)) {
                throw new Refusal(400, "type: one of " + String.join(", ", new java.util.TreeSet<>(VISITOR_SIGNALS)));
            }
            String interactionId = body.hasNonNull("interactionId") ? text(body, "interactionId") : "";
            LiveSignal signal;
            try {
                signal = new LiveSignal(type, interactionId, body.has("data") ? body.get("data").toString() : "{}");
            } catch (IllegalArgumentException e) {
                throw new Refusal(400, e.getMessage().replace("signal ", ""));
            }
            int delivered = visitors.fromVisitor(v.id(), signal);
            ObjectNode n = json.createObjectNode();
            n.put("delivered", delivered);
            return Reply.json(202, n);
        } catch (Refusal e) {
            return e.reply();
        }
    }

    /** The visitor of a {@code GET /stream}, and where to resume ({@code Last-Event-ID}). */
    VisitorTokens.Visitor streamVisitor(Request r) {
        VisitorTokens.Visitor v = visitor(r);
        limit(signals, "visitor " + v.id());
        return v;
    }

    static long resumeAfter(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(lastEventId.strip()));
        } catch (NumberFormatException e) {
            throw new Refusal(400, "Last-Event-ID: not an event id of this stream");
        }
    }

    private VisitorTokens.Visitor visitor(Request r) {
        String header = r.authorization();
        if (header == null) {
            throw new Refusal(401, "a visitor token is required: Authorization: Bearer <token> (POST session)");
        }
        var m = BEARER.matcher(header.strip());
        if (!m.matches()) {
            throw new Refusal(401, "only the Bearer scheme is accepted");
        }
        return tokens.verify(m.group(1)).orElseThrow(() -> {
            status.increment(ConnectorStatus.REJECTED);
            return new Refusal(401, "the visitor token is invalid or expired: start a new session");
        });
    }

    private static void limit(RateLimit limit, String key) {
        long retry = limit.acquire(key);
        if (retry > 0) {
            throw new Refusal(429, "too many requests, retry after " + retry + " s", retry);
        }
    }

    private JsonNode body(Request r, Set<String> fields) {
        if (r.body() == null || r.body().length == 0) {
            throw new Refusal(400, "a JSON body is required");
        }
        if (r.body().length > MAX_BODY) {
            throw new Refusal(413, "body larger than " + MAX_BODY + " bytes");
        }
        JsonNode body;
        try {
            body = json.readTree(r.body());
        } catch (IOException e) {
            throw new Refusal(400, "the body is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new Refusal(400, "the body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new Refusal(400, name.length() > 40 ? "unknown property" : name + ": unknown property");
            }
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw new Refusal(400, field + ": required");
        }
        if (!v.isTextual()) {
            throw new Refusal(400, field + ": must be a string");
        }
        return v.asText();
    }

    private InboundEvent event(WebchatMapper.VisitorPost post) {
        try {
            return mapper.toEvents(post).get(0);
        } catch (MalformedInputException e) {
            status.increment(ConnectorStatus.MALFORMED);
            throw new Refusal(400, e.getMessage());
        }
    }

    private void submit(InboundEvent event) {
        try {
            ingress.submit(event);
        } catch (IngressUnavailableException e) {
            LOG.warn("Web chat {}: the hub could not take a visitor's {} now: {}", connectorId,
                    event.type().name().toLowerCase(Locale.ROOT), e.getMessage());
            throw new Refusal(503, "the hub cannot take messages now, retry later",
                    Math.max(1, e.retryAfter().toSeconds()));
        }
    }
}
