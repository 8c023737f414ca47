package io.musubi.connector.line.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.musubi.model.InboundEvent;
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
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LINE channel's side of the hub's webhook intake ({@code POST /webhooks/line/<id>}): the
 * {@code X-Line-Signature} over the raw body first (a missing header is 401, a wrong or undecodable one 403), then
 * the events; once they are durable, the media they name are queued for fetching, and LINE gets its 200. The
 * verification request of the LINE console ({@code "events":[]}) is answered 200 with nothing done.
 */
final class LineWebhook implements WebhookHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LineWebhook.class);
    static final String SIGNATURE_HEADER = "X-Line-Signature";
    static final String REDELIVERED = "redelivered";

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final SecretSource channelSecret;
    private final LineMapper mapper;
    private final JobQueue<ContentJob> contentJobs;
    private final ConnectorStatus status;
    private final int maxBodyBytes;

    LineWebhook(SecretSource channelSecret, LineMapper mapper, JobQueue<ContentJob> contentJobs, ConnectorStatus status,
                int maxBodyBytes) {
        this.channelSecret = channelSecret;
        this.mapper = mapper;
        this.contentJobs = contentJobs;
        this.status = status;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public void authenticate(WebhookRequest request) {
        String signature = WebhookSignature.presented(request, SIGNATURE_HEADER, status);
        byte[] secret = WebhookSignature.key(channelSecret, "channel secret", status);
        if (!LineSignature.isValid(secret, request.body(), signature)) {
            status.increment(ConnectorStatus.REJECTED);
            throw WebhookRejectedException.badSignature("X-Line-Signature does not match the body");
        }
    }

    @Override
    public List<InboundEvent> toEvents(WebhookRequest request) {
        JsonNode body;
        try {
            body = json.readTree(request.body());
        } catch (JsonProcessingException e) {
            status.increment(ConnectorStatus.MALFORMED);
            // The parser's message quotes the input: only its position is given.
            throw new MalformedInputException("the body is not JSON (at byte "
                    + (e.getLocation() == null ? "?" : e.getLocation().getByteOffset()) + ")");
        } catch (IOException e) {
            status.increment(ConnectorStatus.MALFORMED);
            throw new MalformedInputException("the body is not JSON");
        }
        try {
            return mapper.toEvents(body);
        } catch (MalformedInputException e) {
            status.increment(ConnectorStatus.MALFORMED);
            throw e;
        }
    }

    @Override
    public WebhookResponse accepted(WebhookRequest request, List<InboundEvent> events) {
        List<ContentJob> jobs = new ArrayList<>();
        for (InboundEvent e : events) {
            status.increment(ConnectorStatus.RECEIVED);
            if ("true".equals(e.attributes().get(LineMapper.REDELIVERY))) {
                status.increment(REDELIVERED);
            }
            ContentJob.of(e, mapper).ifPresent(jobs::add);
        }
        try {
            if (!jobs.isEmpty()) {
                contentJobs.enqueue(jobs);
            }
        } catch (Exception e) {
            // The events are durable, the content jobs are not: LINE delivers again (its redelivery is
            // de-duplicated by the hub) and the jobs are queued then.
            LOG.warn("Could not queue {} content fetches: {}; asking LINE to deliver again", jobs.size(),
                    e.getClass().getSimpleName());
            return WebhookResponse.problem(503, "Service Unavailable",
                    "content fetches could not be queued, retry later");
        }
        return WebhookResponse.ok();
    }
}
