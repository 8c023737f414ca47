package io.musubi.connector.twilio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.DeliveryReceipt;
import io.musubi.spi.OutboundSender;
import io.musubi.spi.PermanentDeliveryException;
import io.musubi.spi.RetryableDeliveryException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a reply through Twilio's Messages API so that a redelivery never sends it twice, although the API has no
 * idempotency key. The {@link OutboundLedger} records, durably and before the egress transaction commits:
 * <ol>
 *   <li>before the request: that an attempt begins (its outcome unknown until Twilio answers);</li>
 *   <li>on 201: Twilio's MessageSid and status;</li>
 *   <li>on 4xx or 429: that no attempt is pending (Twilio created nothing).</li>
 * </ol>
 * A redelivered message whose MessageSid is known is not sent again: its receipt is answered from the ledger. One
 * whose earlier attempt ended without an answer (a timeout, a 5xx, a crash) is looked up at Twilio first — the
 * newest messages to that number (from that number or Messaging Service), created since the attempt began, outbound,
 * with the same text and not already another reply's — and only sent when none is found; a lookup that comes too soon
 * after the attempt (Twilio's list may lag) waits until the attempt is {@link #settle} old. A status callback of the
 * attempt, which names our message id, also records the MessageSid.
 *
 * <p>Outcomes: 201 is the receipt (accepted/queued → QUEUED); 429 and 5xx are retried after Twilio's Retry-After; 401
 * and 403 are retried too (the operator can fix the credentials while the reply waits) with health DOWN; any other
 * 4xx fails the message for good with {@code twilio-<code>} (Twilio's error code) as the reason.
 */
final class TwilioSender implements OutboundSender {

    private static final Logger LOG = LoggerFactory.getLogger(TwilioSender.class);

    /** Counters beyond the kit's. */
    static final String RECONCILED = "reconciled";
    static final String ALREADY_SENT = "alreadySent";

    /** How long to wait before retrying after Twilio refused the credentials. */
    static final Duration CREDENTIALS_RETRY = Duration.ofSeconds(30);
    /** How many of the newest messages to a number a lookup reads. */
    static final int LOOKUP_PAGE = 50;
    /** Allowance for the clocks of the hub and Twilio when comparing creation times. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

    private final ObjectMapper json = new ObjectMapper();
    private final TwilioMapper mapper;
    private final TwilioApi api;
    private final OutboundLedger ledger;
    private final ConnectorStatus status;
    private final Clock clock;
    private final Duration settle;

    /**
     * @param settle how old an attempt of unknown outcome must be before a lookup that finds nothing lets the message
     *               be sent again
     */
    TwilioSender(TwilioMapper mapper, TwilioApi api, OutboundLedger ledger, ConnectorStatus status, Clock clock,
                 Duration settle) {
        this.mapper = mapper;
        this.api = api;
        this.ledger = ledger;
        this.status = status;
        this.clock = clock;
        this.settle = settle;
    }

    @Override
    public DeliveryReceipt deliver(OutboundMessage message) {
        OutboundRequest request = mapper.toExternal(message);
        OutboundLedger.Entry entry = ledger.get(message.id()).orElse(null);
        if (entry != null && entry.sent()) {
            status.increment(ALREADY_SENT);
            LOG.info("Outbound message {} was already accepted by Twilio as {}: not sent again", message.id(),
                    entry.sid());
            return receipt(entry);
        }
        if (entry != null && entry.attemptedAt() != null) {
            Optional<DeliveryReceipt> found = reconcile(message, request, entry);
            if (found.isPresent()) {
                return found.get();
            }
        }
        ledger.attempting(message.id());
        TwilioApi.Response response;
        try {
            response = api.create(request);
        } catch (TwilioApi.MissingCredentialsException e) {
            ledger.noAttemptPending(message.id());
            status.down("Twilio credentials not available: " + e.getMessage());
            throw new RetryableDeliveryException("no Twilio credentials", CREDENTIALS_RETRY, null);
        } catch (IOException e) {
            status.degraded("Twilio API unreachable: " + e.getClass().getSimpleName());
            throw new RetryableDeliveryException("Twilio API unreachable: " + e.getClass().getSimpleName(),
                    Duration.ZERO, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableDeliveryException("interrupted", Duration.ZERO, e);
        }
        return outcome(message, response);
    }

    private DeliveryReceipt outcome(OutboundMessage message, TwilioApi.Response response) {
        int code = response.status();
        if (code == 200 || code == 201) {
            JsonNode body = parse(response.body());
            String sid = body.path("sid").asText("");
            if (sid.isEmpty()) {
                // Created, but the answer is unreadable: treat as unknown, the next attempt looks it up.
                status.degraded("Twilio answered " + code + " without a message SID");
                throw new RetryableDeliveryException("Twilio answered without a message SID", Duration.ZERO, null);
            }
            TwilioStatus twilio = TwilioStatus.of(body.path("status").asText("")).orElse(TwilioStatus.QUEUED);
            OutboundLedger.Entry entry = ledger.record(message.id(), sid, twilio);
            status.up("Twilio API reachable");
            if (twilio == TwilioStatus.FAILED || twilio == TwilioStatus.CANCELED) {
                throw new PermanentDeliveryException(reason(body, twilio.wireName()),
                        "Twilio created the message as " + twilio.wireName());
            }
            return receipt(entry);
        }
        if (code == 429 || code >= 500) {
            if (code == 429) {
                ledger.noAttemptPending(message.id());
            }
            status.degraded("Twilio API answered " + code);
            Duration after = TwilioApi.retryAfter(response.retryAfter(), clock.instant()).orElse(Duration.ZERO);
            throw new RetryableDeliveryException("Twilio API answered " + code, after, null);
        }
        ledger.noAttemptPending(message.id());
        if (code == 401 || code == 403) {
            api.forgetCredentials();
            status.down("Twilio refused the credentials (" + code + ")");
            throw new RetryableDeliveryException("Twilio refused the credentials (" + code + ")", CREDENTIALS_RETRY,
                    null);
        }
        JsonNode body = parse(response.body());
        String reason = reason(body, "http-" + code);
        status.up("Twilio API reachable");
        throw new PermanentDeliveryException(reason, "Twilio refused the message: " + reason);
    }

    /** {@code twilio-<code>} from Twilio's error JSON ({@code code}, or a message's {@code error_code}). */
    private static String reason(JsonNode body, String fallback) {
        JsonNode c = body.has("code") ? body.path("code") : body.path("error_code");
        if (c.canConvertToLong() || c.asText("").matches("[0-9]{1,10}")) {
            return "twilio-" + c.asText();
        }
        return fallback.startsWith("http-") ? fallback : "twilio-" + fallback;
    }

    /**
     * Whether an earlier attempt of unknown outcome created the message: found at Twilio (recorded, answered as
     * delivered), or not found (empty: send). Too early to tell is retried later.
     */
    private Optional<DeliveryReceipt> reconcile(OutboundMessage message, OutboundRequest request,
                                                OutboundLedger.Entry entry) {
        TwilioApi.Response response;
        try {
            response = api.list(request.to(), request.from(), LOOKUP_PAGE);
        } catch (TwilioApi.MissingCredentialsException e) {
            status.down("Twilio credentials not available: " + e.getMessage());
            throw new RetryableDeliveryException("no Twilio credentials", CREDENTIALS_RETRY, null);
        } catch (IOException e) {
            status.degraded("Twilio API unreachable: " + e.getClass().getSimpleName());
            throw new RetryableDeliveryException("Twilio API unreachable for the lookup", Duration.ZERO, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableDeliveryException("interrupted", Duration.ZERO, e);
        }
        if (response.status() != 200) {
            if (response.status() == 401 || response.status() == 403) {
                api.forgetCredentials();
                status.down("Twilio refused the credentials (" + response.status() + ")");
                throw new RetryableDeliveryException("Twilio refused the credentials", CREDENTIALS_RETRY, null);
            }
            status.degraded("Twilio API answered " + response.status() + " to a lookup");
            throw new RetryableDeliveryException("Twilio lookup answered " + response.status(),
                    TwilioApi.retryAfter(response.retryAfter(), clock.instant()).orElse(Duration.ZERO), null);
        }
        Instant since = entry.attemptedAt().minus(CLOCK_SKEW);
        JsonNode best = null;
        Instant bestAt = null;
        for (JsonNode m : parse(response.body()).path("messages")) {
            String sid = m.path("sid").asText("");
            Instant created = TwilioApi.date(m.path("date_created").asText(null)).orElse(null);
            if (sid.isEmpty() || created == null || created.isBefore(since)
                    || !m.path("direction").asText("").startsWith("outbound")
                    || !request.body().equals(m.path("body").asText(null))
                    || (!request.messagingServiceSid().isEmpty()
                        && !request.messagingServiceSid().equals(m.path("messaging_service_sid").asText("")))) {
                continue;
            }
            Optional<String> owner = ledger.messageOf(sid);
            if (owner.isPresent() && !owner.get().equals(message.id())) {
                continue; // another reply with the same text
            }
            if (bestAt == null || created.isBefore(bestAt)) {
                best = m;
                bestAt = created;
            }
        }
        if (best != null) {
            String sid = best.path("sid").asText();
            TwilioStatus twilio = TwilioStatus.of(best.path("status").asText("")).orElse(TwilioStatus.QUEUED);
            OutboundLedger.Entry recorded = ledger.record(message.id(), sid, twilio);
            status.increment(RECONCILED);
            status.up("Twilio API reachable");
            LOG.info("Outbound message {}: an earlier attempt had created {} at Twilio; not sent again",
                    message.id(), sid);
            if (twilio == TwilioStatus.FAILED || twilio == TwilioStatus.CANCELED) {
                throw new PermanentDeliveryException(reason(best, twilio.wireName()),
                        "Twilio created the message as " + twilio.wireName());
            }
            return Optional.of(receipt(recorded));
        }
        Duration age = Duration.between(entry.attemptedAt(), clock.instant());
        if (age.compareTo(settle) < 0) {
            throw new RetryableDeliveryException("an earlier attempt may still appear at Twilio", settle.minus(age),
                    null);
        }
        return Optional.empty();
    }

    /** The receipt of a message Twilio has: its highest recorded status (QUEUED, SENT, DELIVERED, …). */
    private static DeliveryReceipt receipt(OutboundLedger.Entry entry) {
        TwilioStatus s = entry.status() == null ? TwilioStatus.QUEUED : entry.status();
        return new DeliveryReceipt(s.delivery(), entry.sid(), Map.of(TwilioMapper.STATUS, s.wireName()));
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }
}
