package io.musubi.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.api.Health;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLSession;

import org.junit.jupiter.api.Test;

class ContentFetchTest {

    record Job(String key) {
    }

    /** What the provider answers next, and what the fetch told it. */
    private final List<Object> answers = new ArrayList<>();
    private final List<String> unavailable = new ArrayList<>();
    private final ConnectorStatus status = new ConnectorStatus();
    private final MemoryStore store = new MemoryStore();
    private int requests;
    private int storedCalls;
    private boolean keepOctetStream = true;

    private final ContentFetch.Provider<Job> provider = new ContentFetch.Provider<>() {
        @Override
        public ContentFetch.Target target(Job job) {
            return new ContentFetch.Target("acme", job.key(), "photo.jpg", "image/jpeg");
        }

        @Override
        @SuppressWarnings("unchecked")
        public HttpResponse<InputStream> request(Job job)
                throws IOException, InterruptedException, ContentFetch.UnavailableException {
            requests++;
            Object next = answers.remove(0);
            if (next instanceof IOException e) {
                throw e;
            }
            if (next instanceof ContentFetch.UnavailableException e) {
                throw e;
            }
            return (HttpResponse<InputStream>) next;
        }

        @Override
        public Optional<RetryableDeliveryException> retry(HttpResponse<InputStream> answer) {
            return answer.statusCode() == 429 || answer.statusCode() >= 500
                    ? Optional.of(new RetryableDeliveryException("busy", Duration.ofSeconds(7), null))
                    : Optional.empty();
        }

        @Override
        public String mediaType(Optional<String> answered, String declared) {
            return keepOctetStream ? answered.orElse(declared)
                    : answered.filter(t -> !t.equals("application/octet-stream")).orElse(declared);
        }

        @Override
        public void stored() {
            storedCalls++;
        }

        @Override
        public void unavailable(Job job, String ref, String reason) {
            unavailable.add(job.key() + " " + ref + " " + reason);
        }
    };

    private ContentFetch<Job> fetch(long maxBytes) {
        return new ContentFetch<>(provider, "Acme media", store, status, maxBytes, "mediaStored", "mediaUnavailable");
    }

    @Test
    void twoHundredIsStoredUnderTheJobsKeyWithTheAnsweredTypeWithoutParameters() {
        answers.add(answer(200, "hello", Map.of("Content-Type", "text/plain; charset=utf-8")));
        fetch(100).fetch(new Job("acme/m/1"));
        assertThat(store.items).containsKey("ref:acme/m/1");
        assertThat(store.items.get("ref:acme/m/1").getKey()).isEqualTo("text/plain");
        assertThat(new String(store.items.get("ref:acme/m/1").getValue(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(status.counters()).containsEntry("mediaStored", 1L);
        assertThat(storedCalls).isEqualTo(1);
        assertThat(unavailable).isEmpty();
    }

    @Test
    void theDeclaredTypeStandsInForAMissingOneOrOneTheProviderRefuses() {
        answers.add(answer(200, "x", Map.of()));
        fetch(100).fetch(new Job("a"));
        assertThat(store.items.get("ref:a").getKey()).isEqualTo("image/jpeg");
        keepOctetStream = false;
        answers.add(answer(200, "x", Map.of("Content-Type", " ")));
        fetch(100).fetch(new Job("b"));
        assertThat(store.items.get("ref:b").getKey()).as("a blank type is octet-stream, which this provider refuses")
                .isEqualTo("image/jpeg");
    }

    @Test
    void contentAlreadyStoredIsNotFetchedAgain() {
        answers.add(answer(200, "once", Map.of()));
        fetch(100).fetch(new Job("k"));
        fetch(100).fetch(new Job("k"));
        assertThat(requests).isEqualTo(1);
    }

    @Test
    void tooLargeByItsDeclaredOrActualSizeIsUnavailableAndNothingStored() {
        answers.add(answer(200, "01234", Map.of("Content-Length", "10")));
        fetch(9).fetch(new Job("declared"));
        answers.add(answer(200, "0123456789", Map.of()));
        fetch(9).fetch(new Job("actual"));
        assertThat(store.items).isEmpty();
        assertThat(unavailable).containsExactly("declared ref:declared too-large", "actual ref:actual too-large");
        assertThat(status.counters()).containsEntry("mediaUnavailable", 2L);
    }

    @Test
    void anAnswerNotWorthRetryingIsUnavailableByItsCode() {
        answers.add(answer(404, "", Map.of()));
        fetch(100).fetch(new Job("gone"));
        assertThat(unavailable).containsExactly("gone ref:gone http-404");
    }

    @Test
    void whatTheProviderSaysIsUnavailableIsRecordedWithItsReason() {
        answers.add(new ContentFetch.UnavailableException("not-on-api-origin"));
        fetch(100).fetch(new Job("off"));
        assertThat(unavailable).containsExactly("off ref:off not-on-api-origin");
    }

    @Test
    void anAnswerWorthRetryingIsThrownAsTheProviderSays() {
        answers.add(answer(503, "", Map.of()));
        assertThatThrownBy(() -> fetch(100).fetch(new Job("busy"))).isInstanceOf(RetryableDeliveryException.class)
                .satisfies(e -> assertThat(((RetryableDeliveryException) e).retryAfter()).hasSeconds(7));
        assertThat(unavailable).isEmpty();
        assertThat(store.items).isEmpty();
    }

    @Test
    void anUnreachableProviderOrAFailedTransferIsRetriedAtOnceAndDegradesHealth() {
        answers.add(new IOException("connect timed out"));
        assertThatThrownBy(() -> fetch(100).fetch(new Job("a"))).isInstanceOf(RetryableDeliveryException.class)
                .hasMessage("Acme media unreachable")
                .satisfies(e -> assertThat(((RetryableDeliveryException) e).retryAfter()).isZero());
        assertThat(status.health().status()).isEqualTo(Health.Status.DEGRADED);
        assertThat(status.health().detail()).isEqualTo("Acme media unreachable: IOException");

        answers.add(new FakeResponse(200, Map.of(), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("reset");
            }
        }));
        assertThatThrownBy(() -> fetch(100).fetch(new Job("b"))).isInstanceOf(RetryableDeliveryException.class)
                .hasMessage("Acme media transfer failed");
        assertThat(status.health().detail()).isEqualTo("Acme media transfer failed: IOException");
        assertThat(unavailable).isEmpty();
    }

    @Test
    void aBlankContentTypeIsOctetStream() {
        assertThat(ContentFetch.bare("image/png;q=1")).isEqualTo("image/png");
        assertThat(ContentFetch.bare(" ; x")).isEqualTo("application/octet-stream");
    }

    private static FakeResponse answer(int code, String body, Map<String, String> headers) {
        return new FakeResponse(code, headers, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private record FakeResponse(int statusCode, Map<String, String> headerMap, InputStream body)
            implements HttpResponse<InputStream> {

        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).build();
        }

        @Override
        public Optional<HttpResponse<InputStream>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            Map<String, List<String>> m = new ConcurrentHashMap<>();
            headerMap.forEach((k, v) -> m.put(k, List.of(v)));
            return HttpHeaders.of(m, (k, v) -> true);
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return URI.create("http://127.0.0.1/");
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    /** Content in memory with the store's rules: the first put of a key wins, a limit is a limit. */
    private static final class MemoryStore implements ContentStore {

        /** By reference: the media type and the bytes. */
        final Map<String, Map.Entry<String, byte[]>> items = new ConcurrentHashMap<>();

        @Override
        public StoredContent put(String tenantId, String key, String mediaType, String name, InputStream data,
                                 long maxBytes) throws IOException {
            byte[] all = data.readNBytes((int) maxBytes + 1);
            if (all.length > maxBytes) {
                throw new ContentTooLargeException(maxBytes);
            }
            items.putIfAbsent(referenceOf(tenantId, key), Map.entry(mediaType, all));
            return find(tenantId, referenceOf(tenantId, key)).orElseThrow();
        }

        @Override
        public String referenceOf(String tenantId, String key) {
            return "ref:" + key;
        }

        @Override
        public Optional<StoredContent> find(String tenantId, String ref) {
            return Optional.ofNullable(items.get(ref))
                    .map(i -> new StoredContent(ref, i.getKey(), "", i.getValue().length, "sha", Instant.EPOCH));
        }

        @Override
        public Optional<InputStream> open(String tenantId, String ref) {
            return Optional.ofNullable(items.get(ref)).map(i -> new ByteArrayInputStream(i.getValue()));
        }

        @Override
        public boolean delete(String tenantId, String ref) {
            return items.remove(ref) != null;
        }
    }
}
