package io.musubi.connector.line.internal;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.ContentStore;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.RetryableDeliveryException;
import io.musubi.spi.SecretSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one message's content from LINE's content API and stores it in the hub's {@link ContentStore} under the
 * key the attachment's reference was made from, so the reference resolves. What LINE answers decides:
 * <ul>
 *   <li>200: stored (up to the configured size; larger content is recorded as unavailable);</li>
 *   <li>202 (a video or audio still being prepared), 429, 5xx, a timeout, a refused token: tried again with
 *       back-off ({@link RetryableDeliveryException});</li>
 *   <li>404, 410 and other 4xx: LINE no longer has it (content is kept for a limited time): recorded as unavailable
 *       with a NOTE on the conversation, never retried.</li>
 * </ul>
 * Already stored content is not fetched again (a job queued twice stores once).
 */
final class ContentFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(ContentFetcher.class);

    static final String STORED = "contentStored";
    static final String UNAVAILABLE = "contentUnavailable";

    private final String connectorId;
    private final LineApi api;
    private final SecretSource token;
    private final ContentStore store;
    private final IngressGateway ingress;
    private final ConnectorStatus status;
    private final long maxBytes;
    private final Clock clock;

    ContentFetcher(String connectorId, LineApi api, SecretSource token, ContentStore store, IngressGateway ingress,
                   ConnectorStatus status, long maxBytes, Clock clock) {
        this.connectorId = connectorId;
        this.api = api;
        this.token = token;
        this.store = store;
        this.ingress = ingress;
        this.status = status;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    void fetch(ContentJob job) {
        String ref = store.referenceOf(job.tenantId(), job.key());
        if (store.find(job.tenantId(), ref).isPresent()) {
            return;
        }
        HttpResponse<InputStream> response;
        try {
            response = api.content(job.messageId());
        } catch (LineApi.MissingTokenException e) {
            status.down("channel access token not available: " + e.getMessage());
            throw new RetryableDeliveryException("no channel access token", LineSender.TOKEN_RETRY, null);
        } catch (IOException e) {
            status.degraded("LINE content API unreachable: " + e.getClass().getSimpleName());
            throw new RetryableDeliveryException("LINE content API unreachable", Duration.ZERO, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableDeliveryException("interrupted", Duration.ZERO, e);
        }
        try (InputStream body = response.body()) {
            int code = response.statusCode();
            if (code == 200) {
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > maxBytes) {
                    unavailable(job, ref, "too-large");
                    return;
                }
                String type = response.headers().firstValue("Content-Type").map(ContentFetcher::bare)
                        .orElse(job.mediaType());
                try {
                    store.put(job.tenantId(), job.key(), type, job.name(), body, maxBytes);
                } catch (ContentStore.ContentTooLargeException tooLarge) {
                    unavailable(job, ref, "too-large");
                    return;
                }
                status.increment(STORED);
                status.up("LINE API reachable");
                return;
            }
            if (code == 202 || code == 429 || code >= 500) {
                if (code != 202) {
                    status.degraded("LINE content API answered " + code);
                }
                Optional<Duration> after = LineApi.retryAfter(response.headers().firstValue("Retry-After").orElse(null));
                throw new RetryableDeliveryException("LINE content not ready (" + code + ")", after.orElse(null), null);
            }
            if (code == 401) {
                token.forget();
                status.down("LINE refused the channel access token (401)");
                throw new RetryableDeliveryException("LINE content answered 401", LineSender.TOKEN_RETRY, null);
            }
            unavailable(job, ref, "http-" + code);
        } catch (IOException e) {
            status.degraded("LINE content transfer failed: " + e.getClass().getSimpleName());
            throw new RetryableDeliveryException("LINE content transfer failed", Duration.ZERO, null);
        }
    }

    /** Records on the conversation (a join-only NOTE) that the content will never be there. */
    private void unavailable(ContentJob job, String ref, String reason) {
        status.increment(UNAVAILABLE);
        LOG.info("Content of LINE message {} (event {}) is unavailable: {}", job.messageId(), job.eventId(), reason);
        ingress.submit(new InboundEvent(job.eventId() + "/content-unavailable", connectorId, job.tenantId(),
                Channel.LINE, InteractionEventType.NOTE, Address.parse(job.from()), null, job.threadKey(),
                MessageContent.text("LINE: the content of message " + job.messageId() + " is unavailable (" + reason
                        + ")"),
                Map.of(ConnectorAttributes.JOIN_ONLY, "true", "line.content.ref", ref, "line.content.unavailable",
                        reason, LineMapper.MESSAGE_ID, job.messageId()),
                clock.instant()));
    }

    private static String bare(String contentType) {
        int semi = contentType.indexOf(';');
        String t = (semi < 0 ? contentType : contentType.substring(0, semi)).strip();
        return t.isEmpty() ? "application/octet-stream" : t;
    }
}
