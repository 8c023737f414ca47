package io.musubi.spi;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Fetches content a provider holds for a while (LINE message content, Twilio MMS media) into the hub's
 * {@link ContentStore}, under the key the attachment's reference was made from, so the reference resolves. A
 * connector runs one fetch per job taken from its durable job queue, after the webhook was answered; the
 * {@link Provider} says how to ask and what the provider's refusals mean. What happens:
 * <ul>
 *   <li>content already stored: nothing (a job queued twice stores once);</li>
 *   <li>200: stored, up to {@code maxBytes} (a larger declared or actual size is recorded as unavailable,
 *       {@code too-large}); the media type is the answer's {@code Content-Type} without parameters, as the provider
 *       {@link Provider#mediaType chooses};</li>
 *   <li>the provider unreachable, or the transfer failing: health DEGRADED, tried again at once with the route's
 *       back-off ({@link RetryableDeliveryException} with no delay of its own);</li>
 *   <li>another answer: {@link Provider#retry} says whether it is worth trying again (429, 5xx, refused credentials);
 *       otherwise the content will never come: recorded as unavailable, {@code http-<code>}, never retried.</li>
 * </ul>
 * Recording as unavailable counts it and hands it to {@link Provider#unavailable} (a join-only NOTE on the
 * conversation, so the agent learns why the attachment is missing).
 *
 * @param <J> the connector's job
 */
public final class ContentFetch<J> {

    /**
     * Where one job's content goes.
     *
     * @param key       the content store's key the attachment's reference was made from
     * @param name      a file name for it
     * @param mediaType the media type the provider declared in the webhook
     */
    public record Target(String tenantId, String key, String name, String mediaType) {
    }

    /** What differs from one provider to another. */
    public interface Provider<J> {

        /** Where the job's content goes. */
        Target target(J job);

        /**
         * Asks the provider for the content.
         *
         * @throws UnavailableException       it can never be fetched (e.g. a URL off the provider's origin)
         * @throws RetryableDeliveryException not now (e.g. no credentials), after saying why in health
         * @throws IOException                the provider is unreachable
         */
        HttpResponse<InputStream> request(J job) throws IOException, InterruptedException, UnavailableException;

        /**
         * For an answer other than 200: what to try again with, after saying why in health (429, 5xx, refused
         * credentials); empty when the content will not come.
         */
        Optional<RetryableDeliveryException> retry(HttpResponse<InputStream> answer);

        /**
         * The media type to store under.
         *
         * @param answered the answer's {@code Content-Type} without parameters ({@code application/octet-stream} for
         *                 a blank one), empty when there was none
         * @param declared the type declared in the webhook
         */
        default String mediaType(Optional<String> answered, String declared) {
            return answered.orElse(declared);
        }

        /** Called after content was stored. */
        default void stored() {
        }

        /** Records that the job's content will never be there (a join-only NOTE on the conversation). */
        void unavailable(J job, String ref, String reason);
    }

    /** The content can never be fetched; the reason is recorded (a short token, e.g. {@code not-on-api-origin}). */
    public static final class UnavailableException extends Exception {

        private static final long serialVersionUID = 1L;

        public UnavailableException(String reason) {
            super(reason, null, false, false);
        }

        public String reason() {
            return getMessage();
        }
    }

    private final Provider<J> provider;
    private final String what;
    private final ContentStore store;
    private final ConnectorStatus status;
    private final long maxBytes;
    private final String storedCounter;
    private final String unavailableCounter;

    /**
     * @param what               the provider's content for health and exceptions, e.g. {@code Twilio media}
     *                           ("Twilio media unreachable: ...", "Twilio media transfer failed: ...")
     * @param storedCounter      the counter of stored content, e.g. {@code mediaStored}
     * @param unavailableCounter the counter of content recorded as unavailable
     */
    public ContentFetch(Provider<J> provider, String what, ContentStore store, ConnectorStatus status, long maxBytes,
                        String storedCounter, String unavailableCounter) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.what = what;
        this.store = store;
        this.status = status;
        this.maxBytes = maxBytes;
        this.storedCounter = storedCounter;
        this.unavailableCounter = unavailableCounter;
    }

    /**
     * Fetches and stores one job's content, or records it as unavailable.
     *
     * @throws RetryableDeliveryException when it is worth trying again (the job stays queued)
     */
    public void fetch(J job) {
        Target target = provider.target(job);
        String ref = store.referenceOf(target.tenantId(), target.key());
        if (store.find(target.tenantId(), ref).isPresent()) {
            return;
        }
        HttpResponse<InputStream> answer;
        try {
            answer = provider.request(job);
        } catch (UnavailableException e) {
            unavailable(job, ref, e.reason());
            return;
        } catch (IOException e) {
            status.degraded(what + " unreachable: " + e.getClass().getSimpleName());
            throw new RetryableDeliveryException(what + " unreachable", Duration.ZERO, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableDeliveryException("interrupted", Duration.ZERO, e);
        }
        try (InputStream body = answer.body()) {
            int code = answer.statusCode();
            if (code == 200) {
                store(job, target, ref, answer, body);
                return;
            }
            Optional<RetryableDeliveryException> retry = provider.retry(answer);
            if (retry.isPresent()) {
                throw retry.get();
            }
            unavailable(job, ref, "http-" + code);
        } catch (IOException e) {
            status.degraded(what + " transfer failed: " + e.getClass().getSimpleName());
            throw new RetryableDeliveryException(what + " transfer failed", Duration.ZERO, null);
        }
    }

    private void store(J job, Target target, String ref, HttpResponse<InputStream> answer, InputStream body)
            throws IOException {
        long declared = answer.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > maxBytes) {
            unavailable(job, ref, "too-large");
            return;
        }
        String type = provider.mediaType(answer.headers().firstValue("Content-Type").map(ContentFetch::bare),
                target.mediaType());
        try {
            store.put(target.tenantId(), target.key(), type, target.name(), body, maxBytes);
        } catch (ContentStore.ContentTooLargeException tooLarge) {
            unavailable(job, ref, "too-large");
            return;
        }
        status.increment(storedCounter);
        provider.stored();
    }

    private void unavailable(J job, String ref, String reason) {
        status.increment(unavailableCounter);
        provider.unavailable(job, ref, reason);
    }

    /** A {@code Content-Type} without its parameters; {@code application/octet-stream} for a blank one. */
    static String bare(String contentType) {
        int semi = contentType.indexOf(';');
        String t = (semi < 0 ? contentType : contentType.substring(0, semi)).strip();
        return t.isEmpty() ? "application/octet-stream" : t;
    }
}
