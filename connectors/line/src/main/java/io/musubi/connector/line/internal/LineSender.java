package io.musubi.connector.line.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.DeliveryReceipt;
import io.musubi.spi.DeliveryStatus;
import io.musubi.spi.OutboundSender;
import io.musubi.spi.PermanentDeliveryException;
import io.musubi.spi.RetryableDeliveryException;
import io.musubi.spi.SecretSource;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the hub's replies to LINE: by the conversation's reply token while it is valid and unused (free), else by
 * push with {@code X-Line-Retry-Key} derived from the message id, so that a push retried after a timeout or a crash is
 * accepted once (LINE answers a repeat with 409: already accepted, counted as sent). 429 and 5xx, timeouts and
 * refused connections are retried with back-off (honouring Retry-After); other 4xx fail the message for good with a
 * reason. The connector's health follows: DEGRADED while LINE cannot be reached, DOWN while it refuses the access
 * token, UP again at the next success.
 */
final class LineSender implements OutboundSender {

    private static final Logger LOG = LoggerFactory.getLogger(LineSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long to wait before trying again after LINE refused the token (the operator replaces it meanwhile). */
    static final Duration TOKEN_RETRY = Duration.ofSeconds(30);

    private final LineMapper mapper;
    private final LineApi api;
    private final SecretSource token;
    private final ReplyTokens replyTokens;
    private final ConnectorStatus status;
    private final Clock clock;
    private final Duration margin;

    LineSender(LineMapper mapper, LineApi api, SecretSource token, ReplyTokens replyTokens, ConnectorStatus status,
               Clock clock, Duration margin) {
        this.mapper = mapper;
        this.api = api;
        this.token = token;
        this.replyTokens = replyTokens;
        this.status = status;
        this.clock = clock;
        this.margin = margin;
    }

    @Override
    public DeliveryReceipt deliver(OutboundMessage message) {
        LineOutbound out = mapper.toExternal(message);
        String replyToken = out.replyToken();
        if (replyToken != null && out.replyTokenExpires() != null
                && clock.instant().isBefore(out.replyTokenExpires().minus(margin))
                && replyTokens.mayUse(replyToken, message.id())) {
            DeliveryReceipt receipt = reply(message, out);
            if (receipt != null) {
                return receipt;
            }
        }
        return push(message, out);
    }

    /** @return the receipt, or null when the token turned out used or expired (push then) */
    private DeliveryReceipt reply(OutboundMessage message, LineOutbound out) {
        String replyToken = out.replyToken();
        ObjectNode body = JSON.createObjectNode();
        body.put("replyToken", replyToken);
        body.set("messages", out.messages());
        replyTokens.attempting(replyToken, message.id());
        LineApi.Answer answer;
        try {
            answer = api.reply(JSON.writeValueAsBytes(body));
        } catch (LineApi.MissingTokenException e) {
            replyTokens.released(replyToken);
            throw noToken(e);
        } catch (IOException e) {
            replyTokens.uncertain(replyToken, message.id());
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            replyTokens.uncertain(replyToken, message.id());
            throw new RetryableDeliveryException("interrupted", Duration.ZERO, e);
        }
        if (answer.ok()) {
            replyTokens.confirmed(replyToken, message.id());
            return sent(answer, "reply", Map.of());
        }
        if (answer.status() == 400 && answer.errorMessage().toLowerCase(Locale.ROOT).contains("reply token")) {
            if (replyTokens.wasUncertainFor(replyToken, message.id())) {
                // Our own earlier try, whose answer was lost, used the token: it was delivered.
                replyTokens.confirmed(replyToken, message.id());
                return sent(answer, "reply", Map.of("line.replyAssumed", "true"));
            }
            replyTokens.spent(replyToken);
            return null;
        }
        if (answer.status() == 429) {
            replyTokens.released(replyToken);
        } else if (answer.status() >= 500) {
            replyTokens.uncertain(replyToken, message.id());
        } else {
            replyTokens.spent(replyToken);
        }
        throw failure(answer, "reply");
    }

    private DeliveryReceipt push(OutboundMessage message, LineOutbound out) {
        ObjectNode body = JSON.createObjectNode();
        body.put("to", out.to());
        body.set("messages", out.messages());
        LineApi.Answer answer;
        try {
            answer = api.push(JSON.writeValueAsBytes(body), out.retryKey());
        } catch (LineApi.MissingTokenException e) {
            throw noToken(e);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableDeliveryException("interrupted", Duration.ZERO, e);
        }
        if (answer.ok()) {
            return sent(answer, "push", Map.of());
        }
        if (answer.status() == 409) {
            // The retry key was accepted before (our earlier try got no answer): sent once, not twice.
            status.up("LINE API reachable");
            return new DeliveryReceipt(DeliveryStatus.SENT, answer.acceptedRequestId(),
                    Map.of("line.api", "push", "line.retryKeyAccepted", "true"));
        }
        throw failure(answer, "push");
    }

    private DeliveryReceipt sent(LineApi.Answer answer, String how, Map<String, String> extra) {
        status.up("LINE API reachable");
        Map<String, String> attributes = new java.util.HashMap<>(extra);
        attributes.put("line.api", how);
        if (!answer.requestId().isEmpty()) {
            attributes.put("line.requestId", answer.requestId());
        }
        return new DeliveryReceipt(DeliveryStatus.SENT, answer.sentMessageId(), attributes);
    }

    private RuntimeException failure(LineApi.Answer answer, String how) {
        int code = answer.status();
        if (code == 429) {
            if (answer.errorMessage().toLowerCase(Locale.ROOT).contains("monthly limit")) {
                status.degraded("LINE monthly message quota reached");
                return new PermanentDeliveryException("quota-exceeded", "the channel's monthly message quota is used");
            }
            status.degraded("LINE API rate limit (429)");
            return new RetryableDeliveryException("LINE " + how + " answered 429", answer.retryAfter().orElse(null),
                    null);
        }
        if (code >= 500) {
            status.degraded("LINE API answered " + code);
            return new RetryableDeliveryException("LINE " + how + " answered " + code,
                    answer.retryAfter().orElse(null), null);
        }
        if (code == 401) {
            token.forget();
            status.down("LINE refused the channel access token (401)");
            LOG.warn("LINE refused the channel access token; replace it, the message is retried");
            return new RetryableDeliveryException("LINE " + how + " answered 401", TOKEN_RETRY, null);
        }
        status.up("LINE API reachable");
        return new PermanentDeliveryException("http-" + code, "LINE " + how + " answered " + code);
    }

    private RuntimeException noToken(LineApi.MissingTokenException e) {
        status.down("channel access token not available: " + e.getMessage());
        return new RetryableDeliveryException("no channel access token", TOKEN_RETRY, null);
    }

    private RuntimeException unreachable(IOException e) {
        status.degraded("LINE API unreachable: " + e.getClass().getSimpleName());
        return new RetryableDeliveryException("LINE API unreachable: " + e.getClass().getSimpleName(), Duration.ZERO,
                null);
    }
}
