package io.musubi.connector.twilio.internal;

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
 * Fetches one MMS media from Twilio into the hub's {@link ContentStore} ({@link ContentFetch}: media already stored is
 * not fetched again, larger media than configured is recorded as unavailable). What Twilio answers decides:
 * <ul>
 *   <li>200: stored;</li>
 *   <li>429, 5xx, a timeout: tried again with back-off ({@link RetryableDeliveryException});</li>
 *   <li>401/403: tried again later, health DOWN (the operator can fix the credentials);</li>
 *   <li>404 and other 4xx, a URL off the API's origin: recorded as unavailable — a join-only NOTE on the
 *       conversation — never retried.</li>
 * </ul>
 */
final class MediaFetcher implements ContentFetch.Provider<MediaJob> {

    private static final Logger LOG = LoggerFactory.getLogger(MediaFetcher.class);

    static final String STORED = "mediaStored";
    static final String UNAVAILABLE = "mediaUnavailable";

    private final String connectorId;
    private final TwilioApi api;
    private final IngressGateway ingress;
    private final ConnectorStatus status;
    private final Clock clock;
    private final ContentFetch<MediaJob> fetch;

    MediaFetcher(String connectorId, TwilioApi api, ContentStore store, IngressGateway ingress, ConnectorStatus status,
                 long maxBytes, Clock clock) {
        this.connectorId = connectorId;
        this.api = api;
        this.ingress = ingress;
        this.status = status;
        this.clock = clock;
        this.fetch = new ContentFetch<>(this, "Twilio media", store, status, maxBytes, STORED, UNAVAILABLE);
    }

    void fetch(MediaJob job) {
        fetch.fetch(job);
    }

    @Override
    public ContentFetch.Target target(MediaJob job) {
        return new ContentFetch.Target(job.tenantId(), job.key(), job.name(), job.mediaType());
    }

    @Override
    public HttpResponse<InputStream> request(MediaJob job)
            throws IOException, InterruptedException, ContentFetch.UnavailableException {
        try {
            return api.media(job.url());
        } catch (IllegalArgumentException offOrigin) {
            throw new ContentFetch.UnavailableException("not-on-api-origin");
        } catch (TwilioApi.MissingCredentialsException e) {
            status.down("Twilio credentials not available: " + e.getMessage());
            throw new RetryableDeliveryException("no Twilio credentials", TwilioSender.CREDENTIALS_RETRY, null);
        }
    }

    @Override
    public Optional<RetryableDeliveryException> retry(HttpResponse<InputStream> answer) {
        int code = answer.statusCode();
        if (code == 429 || code >= 500) {
            status.degraded("Twilio media answered " + code);
            return Optional.of(new RetryableDeliveryException("Twilio media answered " + code,
                    TwilioApi.retryAfter(answer.headers().firstValue("Retry-After"), clock.instant())
                            .orElse(Duration.ZERO), null));
        }
        if (code == 401 || code == 403) {
            api.forgetCredentials();
            status.down("Twilio refused the credentials (" + code + ")");
            return Optional.of(new RetryableDeliveryException("Twilio media answered " + code,
                    TwilioSender.CREDENTIALS_RETRY, null));
        }
        return Optional.empty();
    }

    /** Twilio's generic {@code application/octet-stream} says less than the type the webhook declared. */
    @Override
    public String mediaType(Optional<String> answered, String declared) {
        return answered.filter(t -> !t.equals("application/octet-stream")).orElse(declared);
    }

    /** Records on the conversation (a join-only NOTE) that the media will never be there. */
    @Override
    public void unavailable(MediaJob job, String ref, String reason) {
        LOG.info("Media {} of Twilio message {} is unavailable: {}", job.key(), job.eventId(), reason);
        ingress.submit(new InboundEvent(job.key() + "/unavailable", connectorId, job.tenantId(), Channel.SMS,
                InteractionEventType.NOTE, Address.parse(job.from()), null, job.threadKey(),
                MessageContent.text("Twilio: media " + job.name() + " of message " + job.eventId()
                        + " is unavailable (" + reason + ")"),
                Map.of(ConnectorAttributes.JOIN_ONLY, "true", "twilio.media.ref", ref, "twilio.media.unavailable",
                        reason, TwilioMapper.MESSAGE_SID, job.eventId()),
                clock.instant()));
    }
}
