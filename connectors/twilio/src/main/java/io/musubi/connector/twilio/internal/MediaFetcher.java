package io.musubi.connector.twilio.internal;

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

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one MMS media from Twilio and stores it in the hub's {@link ContentStore} under the key its attachment's
 * reference was made from, so the reference resolves. What Twilio answers decides:
 * <ul>
 *   <li>200: stored, up to the configured size (larger media is recorded as unavailable);</li>
 *   <li>429, 5xx, a timeout: tried again with back-off ({@link RetryableDeliveryException});</li>
 *   <li>401/403: tried again later, health DOWN (the operator can fix the credentials);</li>
 *   <li>404 and other 4xx, a URL off the API's origin: recorded as unavailable — a join-only NOTE on the
 *       conversation — never retried.</li>
 * </ul>
 * Media already stored is not fetched again.
 */
final class MediaFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(MediaFetcher.class);

    static final String STORED = "mediaStored";
    static final String UNAVAILABLE = "mediaUnavailable";

    private final String connectorId;
    private final TwilioApi api;
    private final ContentStore store;
    private final IngressGateway ingress;
    private final ConnectorStatus status;
    private final long maxBytes;
    private final Clock clock;

    MediaFetcher(String connectorId, TwilioApi api, ContentStore store, IngressGateway ingress, ConnectorStatus status,
                 long maxBytes, Clock clock) {
        this.connectorId = connectorId;
        this.api = api;
        this.store = store;
        this.ingress = ingress;
        this.status = status;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    void fetch(MediaJob job) {
        String ref = store.referenceOf(job.tenantId(), job.key());
        if (store.find(job.tenantId(), ref).isPresent()) {
            return;
        }
        HttpResponse<InputStream> response;
        try {
            response = api.media(job.url());
        } catch (IllegalArgumentException offOrigin) {
            unavailable(job, ref, "not-on-api-origin");
            return;
        } catch (TwilioApi.MissingCredentialsException e) {
            status.down("Twilio credentials not available: " + e.getMessage());
            throw new RetryableDeliveryException("no Twilio credentials", TwilioSender.CREDENTIALS_RETRY, null);
        } catch (IOException e) {
            status.degraded("Twilio media unreachable: " + e.getClass().getSimpleName());
            throw new RetryableDeliveryException("Twilio media unreachable", Duration.ZERO, null);
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
                String type = response.headers().firstValue("Content-Type").map(MediaFetcher::bare)
                        .filter(t -> !t.equals("application/octet-stream")).orElse(job.mediaType());
                try {
                    store.put(job.tenantId(), job.key(), type, job.name(), body, maxBytes);
                } catch (ContentStore.ContentTooLargeException tooLarge) {
                    unavailable(job, ref, "too-large");
                    return;
                }
                status.increment(STORED);
                return;
            }
            if (code == 429 || code >= 500) {
                status.degraded("Twilio media answered " + code);
                throw new RetryableDeliveryException("Twilio media answered " + code,
                        TwilioApi.retryAfter(response.headers().firstValue("Retry-After"), clock.instant())
                                .orElse(Duration.ZERO), null);
            }
            if (code == 401 || code == 403) {
                api.forgetCredentials();
                status.down("Twilio refused the credentials (" + code + ")");
                throw new RetryableDeliveryException("Twilio media answered " + code, TwilioSender.CREDENTIALS_RETRY,
                        null);
            }
            unavailable(job, ref, "http-" + code);
        } catch (IOException e) {
            status.degraded("Twilio media transfer failed: " + e.getClass().getSimpleName());
            throw new RetryableDeliveryException("Twilio media transfer failed", Duration.ZERO, null);
        }
    }

    /** Records on the conversation (a join-only NOTE) that the media will never be there. */
    private void unavailable(MediaJob job, String ref, String reason) {
        status.increment(UNAVAILABLE);
        LOG.info("Media {} of Twilio message {} is unavailable: {}", job.key(), job.eventId(), reason);
        ingress.submit(new InboundEvent(job.key() + "/unavailable", connectorId, job.tenantId(), Channel.SMS,
                InteractionEventType.NOTE, Address.parse(job.from()), null, job.threadKey(),
                MessageContent.text("Twilio: media " + job.name() + " of message " + job.eventId()
                        + " is unavailable (" + reason + ")"),
                Map.of(ConnectorAttributes.JOIN_ONLY, "true", "twilio.media.ref", ref, "twilio.media.unavailable",
                        reason, TwilioMapper.MESSAGE_SID, job.eventId()),
                clock.instant()));
    }

    private static String bare(String contentType) {
        int semi = contentType.indexOf(';');
        String t = (semi < 0 ? contentType : contentType.substring(0, semi)).strip();
        return t.isEmpty() ? "application/octet-stream" : t;
    }
}
