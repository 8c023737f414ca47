package io.musubi.connector.twilio.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.musubi.model.InboundEvent;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.JobQueue;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.SecretSource;
import io.musubi.spi.WebhookHandler;
import io.musubi.spi.WebhookRejectedException;
import io.musubi.spi.WebhookRequest;
import io.musubi.spi.WebhookResponse;
import io.musubi.spi.WebhookSignature;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Twilio instance's side of the hub's webhook intake ({@code POST /webhooks/twilio/<id>}): incoming messages,
 * status callbacks of our replies, and Event Streams (JSON) batches all arrive here.
 *
 * <ol>
 *   <li>authenticate: {@code X-Twilio-Signature} over the URL Twilio called — the configured public base URL plus the
 *       path and query as received, never rebuilt from the request's Host or X-Forwarded-* headers — and the sorted
 *       form parameters, or {@code bodySHA256} for JSON bodies ({@link TwilioSignature}). Missing: 401; wrong: 403;
 *       nothing is parsed or logged before;</li>
 *   <li>map ({@link TwilioMapper}); a status callback that would take a message's status backwards (Twilio's callbacks
 *       can arrive out of order) is dropped against the {@link OutboundLedger};</li>
 *   <li>once the events are durable: the statuses are recorded in the ledger, MMS media are queued for fetching, and
 *       Twilio gets empty TwiML ({@code <Response/>}, text/xml) — or 200 with no body for JSON.</li>
 * </ol>
 * A GET webhook (Twilio's "HTTP GET" option) is refused with 405: it would carry the customer's message in the URL,
 * which proxies log.
 */
final class TwilioWebhook implements WebhookHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhook.class);

    static final String TWIML_EMPTY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    /** Counters beyond the kit's. */
    static final String STATUS_CALLBACKS = "statusCallbacks";
    static final String STALE_STATUSES = "staleStatuses";
    static final String IGNORED = "ignored";

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final SecretSource authToken;
    private final Supplier<Optional<String>> publicBaseUrl;
    private final TwilioMapper mapper;
    private final OutboundLedger ledger;
    private final JobQueue<MediaJob> media;
    private final ConnectorStatus status;
    private final Clock clock;
    private final int maxBodyBytes;

    /**
     * @param publicBaseUrl the configured public base URL without a trailing slash, or empty when it is not usable
     */
    TwilioWebhook(SecretSource authToken, Supplier<Optional<String>> publicBaseUrl, TwilioMapper mapper,
                  OutboundLedger ledger, JobQueue<MediaJob> media, ConnectorStatus status, Clock clock,
                  int maxBodyBytes) {
        this.authToken = authToken;
        this.publicBaseUrl = publicBaseUrl;
        this.mapper = mapper;
        this.ledger = ledger;
        this.media = media;
        this.status = status;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The URL Twilio called, as it signed it: the public base URL, the path and the raw query as received. */
    static String signedUrl(String publicBaseUrl, WebhookRequest request) {
        return publicBaseUrl + request.path() + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery());
    }

    @Override
    public void authenticate(WebhookRequest request) {
        String signature = WebhookSignature.presented(request, TwilioSignature.HEADER, status);
        byte[] token = WebhookSignature.key(authToken, "auth token", status);
        Optional<String> base = publicBaseUrl.get();
        if (base.isEmpty()) {
            status.increment(ConnectorStatus.REJECTED);
            throw WebhookRejectedException.badSignature("publicBaseUrl is not configured: no URL to check against");
        }
        String url = signedUrl(base.get(), request);
        boolean valid;
        if (isJson(request)) {
            valid = TwilioSignature.isValidJson(token, url, request.queryParameters().get(TwilioSignature.BODY_SHA256),
                    request.body(), signature);
        } else {
            FormBody form;
            try {
                form = FormBody.parse(request.body());
            } catch (FormBody.MalformedFormException e) {
                // Twilio never sends such a body: it cannot be authentic.
                status.increment(ConnectorStatus.REJECTED);
                throw WebhookRejectedException.badSignature("the body is not a form Twilio could have signed");
            }
            valid = TwilioSignature.isValid(token, url, form.pairs(), signature);
        }
        if (!valid) {
            status.increment(ConnectorStatus.REJECTED);
            throw WebhookRejectedException.badSignature("X-Twilio-Signature does not match the URL and body");
        }
    }

    private static boolean isJson(WebhookRequest request) {
        String type = request.mediaType();
        return type.equals("application/json") || type.endsWith("+json");
    }

    @Override
    public List<InboundEvent> toEvents(WebhookRequest request) {
        TwilioInbound in = inbound(request);
        List<InboundEvent> events;
        try {
            events = mapper.toEvents(in);
        } catch (MalformedInputException e) {
            status.increment(ConnectorStatus.MALFORMED);
            throw e;
        }
        TwilioMapper.Kind kind = mapper.kind(in);
        if (kind == TwilioMapper.Kind.FOREIGN_STATUS || kind == TwilioMapper.Kind.UNKNOWN_STATUS) {
            status.increment(IGNORED);
            return List.of();
        }
        if (kind != TwilioMapper.Kind.STATUS) {
            return events;
        }
        status.increment(STATUS_CALLBACKS);
        List<InboundEvent> current = new ArrayList<>(events.size());
        for (InboundEvent e : events) {
            String messageId = e.attributes().get(ConnectorAttributes.MESSAGE_ID);
            TwilioStatus s = TwilioStatus.of(e.attributes().get(TwilioMapper.STATUS)).orElseThrow();
            int recorded = ledger.get(messageId).map(OutboundLedger.Entry::rank).orElse(0);
            if (s.rank() < recorded) {
                status.increment(STALE_STATUSES);
                LOG.debug("Status {} of outbound message {} arrived after a later one: dropped", s.wireName(),
                        messageId);
                continue;
            }
            current.add(e);
        }
        return current;
    }

    private TwilioInbound inbound(WebhookRequest request) {
        if (isJson(request)) {
            JsonNode body;
            try {
                body = json.readTree(request.body());
            } catch (JsonProcessingException e) {
                status.increment(ConnectorStatus.MALFORMED);
                // The parser's message quotes the input: only the position is given.
                throw new MalformedInputException("the body is not JSON (at byte "
                        + (e.getLocation() == null ? "?" : e.getLocation().getByteOffset()) + ")");
            } catch (IOException e) {
                status.increment(ConnectorStatus.MALFORMED);
                throw new MalformedInputException("the body is not JSON");
            }
            if (body == null) {
                status.increment(ConnectorStatus.MALFORMED);
                throw new MalformedInputException("the body is empty");
            }
            return TwilioInbound.json(body, request.queryParameters(), clock.instant());
        }
        String type = request.mediaType();
        if (!type.isEmpty() && !type.equals("application/x-www-form-urlencoded")) {
            status.increment(ConnectorStatus.MALFORMED);
            throw new MalformedInputException("Content-Type must be application/x-www-form-urlencoded or "
                    + "application/json");
        }
        try {
            return TwilioInbound.form(FormBody.parse(request.body()), request.queryParameters(), clock.instant());
        } catch (FormBody.MalformedFormException e) {
            status.increment(ConnectorStatus.MALFORMED);
            throw new MalformedInputException(e.getMessage());
        }
    }

    @Override
    public WebhookResponse accepted(WebhookRequest request, List<InboundEvent> events) {
        boolean isJson = isJson(request);
        List<MediaJob> jobs = new ArrayList<>();
        for (InboundEvent e : events) {
            if (e.type() == io.musubi.model.InteractionEventType.MESSAGE_STATUS) {
                String messageId = e.attributes().get(ConnectorAttributes.MESSAGE_ID);
                TwilioStatus.of(e.attributes().get(TwilioMapper.STATUS)).ifPresent(s ->
                        ledger.record(messageId, e.attributes().get(ConnectorAttributes.PROVIDER_MESSAGE_ID), s));
            } else {
                status.increment(ConnectorStatus.RECEIVED);
            }
        }
        if (!isJson && !events.isEmpty()) {
            jobs.addAll(mapper.mediaJobs(inbound(request)));
        }
        try {
            media.enqueue(jobs);
        } catch (Exception e) {
            // The events are durable, the media fetches are not: Twilio calls the fallback URL (configured to this
            // same webhook, docs/connectors/twilio.md), the hub drops the repeated events and the jobs are queued then.
            LOG.warn("Could not queue {} media fetches: {}; answering 503", jobs.size(), e.getClass().getSimpleName());
            return WebhookResponse.problem(503, "Service Unavailable",
                    "media fetches could not be queued, retry later");
        }
        return isJson ? WebhookResponse.ok() : WebhookResponse.text(200, "text/xml; charset=utf-8", TWIML_EMPTY);
    }

    /** GET webhooks are refused: they would put the customer's message in the URL. */
    @Override
    public WebhookResponse verify(WebhookRequest request) {
        return WebhookResponse.problem(405, "Method Not Allowed", "configure the Twilio webhook with HTTP POST");
    }
}
