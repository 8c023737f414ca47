package io.musubi.connector.line.internal;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.ContentFetch;
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
 * Fetches one message's content from LINE's content API into the hub's {@link ContentStore} ({@link ContentFetch}:
 * already stored content is not fetched again, larger content than configured is recorded as unavailable). What LINE
 * answers decides:
 * <ul>
 *   <li>200: stored;</li>
 *   <li>202 (a video or audio still being prepared), 429, 5xx, a timeout, a refused token: tried again with
 *       back-off ({@link RetryableDeliveryException});</li>
 *   <li>404, 410 and other 4xx: LINE no longer has it (content is kept for a limited time): recorded as unavailable
 *       with a NOTE on the conversation, never retried.</li>
 * </ul>
 */
final class ContentFetcher implements ContentFetch.Provider<ContentJob> {

    private static final Logger LOG = LoggerFactory.getLogger(ContentFetcher.class);

    static final String STORED = "contentStored";
    static final String UNAVAILABLE = "contentUnavailable";

    private final String connectorId;
    private final LineApi api;
    private final SecretSource token;
    private final IngressGateway ingress;
    private final ConnectorStatus status;
    private final Clock clock;
    private final ContentFetch<ContentJob> fetch;

    ContentFetcher(String connectorId, LineApi api, SecretSource token, ContentStore store, IngressGateway ingress,
                   ConnectorStatus status, long maxBytes, Clock clock) {
        this.connectorId = connectorId;
        this.api = api;
        this.token = token;
        this.ingress = ingress;
        this.status = status;
        this.clock = clock;
        this.fetch = new ContentFetch<>(this, "LINE content API", store, status, maxBytes, STORED, UNAVAILABLE);
    }

    void fetch(ContentJob job) {
        fetch.fetch(job);
    }

    @Override
    public ContentFetch.Target target(ContentJob job) {
        return new ContentFetch.Target(job.tenantId(), job.key(), job.name(), job.mediaType());
    }

    @Override
    public HttpResponse<InputStream> request(ContentJob job) throws IOException, InterruptedException {
        try {
            return api.content(job.messageId());
        } catch (LineApi.MissingTokenException e) {
            status.down("channel access token not available: " + e.getMessage());
            throw new RetryableDeliveryException("no channel access token", LineSender.TOKEN_RETRY, null);
        }
    }

    @Override
    public Optional<RetryableDeliveryException> retry(HttpResponse<InputStream> answer) {
        int code = answer.statusCode();
        if (code == 202 || code == 429 || code >= 500) {
            if (code != 202) {
                status.degraded("LINE content API answered " + code);
            }
            Optional<Duration> after = LineApi.retryAfter(answer.headers().firstValue("Retry-After").orElse(null));
            return Optional.of(new RetryableDeliveryException("LINE content not ready (" + code + ")",
                    after.orElse(null), null));
        }
        if (code == 401) {
            token.forget();
            status.down("LINE refused the channel access token (401)");
            return Optional.of(new RetryableDeliveryException("LINE content answered 401", LineSender.TOKEN_RETRY,
                    null));
        }
        return Optional.empty();
    }

    @Override
    public void stored() {
        status.up("LINE API reachable");
    }

    /** Records on the conversation (a join-only NOTE) that the content will never be there. */
    @Override
    public void unavailable(ContentJob job, String ref, String reason) {
        LOG.info("Content of LINE message {} (event {}) is unavailable: {}", job.messageId(), job.eventId(), reason);
        ingress.submit(new InboundEvent(job.eventId() + "/content-unavailable", connectorId, job.tenantId(),
                Channel.LINE, InteractionEventType.NOTE, Address.parse(job.from()), null, job.threadKey(),
                MessageContent.text("LINE: the content of message " + job.messageId() + " is unavailable (" + reason
                        + ")"),
                Map.of(ConnectorAttributes.JOIN_ONLY, "true", "line.content.ref", ref, "line.content.unavailable",
                        reason, LineMapper.MESSAGE_ID, job.messageId()),
                clock.instant()));
    }
}
