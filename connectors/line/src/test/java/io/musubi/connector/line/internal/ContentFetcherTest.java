package io.musubi.connector.line.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.api.Health;
import io.musubi.connector.line.testing.FakeLineApi;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.RetryableDeliveryException;
import io.musubi.spi.SecretSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Media content fetched from the (local) content API into the content store, under the mapped reference. */
class ContentFetcherTest {

    private static final String TOKEN = "content-token";

    private FakeLineApi line;
    private LineApi api;
    private final MemoryContentStore store = new MemoryContentStore();
    private final List<InboundEvent> notes = new CopyOnWriteArrayList<>();
    private final ConnectorStatus status = new ConnectorStatus(Health.Status.UP, "ready");
    private LineMapper mapper;
    private ContentFetcher fetcher;

    @BeforeEach
    void start() throws IOException {
        line = FakeLineApi.start(TOKEN);
        SecretSource token = LineConnector.secret("channelAccessToken", "", "T", java.nio.file.Path.of("."),
                Map.of("T", TOKEN));
        api = new LineApi(line.baseUrl(), line.baseUrl(), token, Duration.ofSeconds(5));
        mapper = new LineMapper("line.main", "acme", "", store, Duration.ofSeconds(60));
        fetcher = new ContentFetcher("line.main", api, token, store, notes::addAll, status, 1_000,
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        api.close();
        line.close();
        assertThat(line.violations()).isEmpty();
    }

    private ContentJob job(String file) throws IOException {
        InboundEvent e = mapper.toEvents(Fixtures.JSON.readTree(Fixtures.body(file))).get(0);
        return ContentJob.of(e, mapper).orElseThrow();
    }

    @Test
    void contentIsStoredUnderTheReferenceTheAttachmentAlreadyHasAndFetchedOnce() throws IOException {
        ContentJob job = job("message-image.json");
        line.putContent("289627154754772383", "jpeg bytes".getBytes(StandardCharsets.UTF_8), "image/jpeg");
        fetcher.fetch(job);
        String ref = store.referenceOf("acme", "line.main/message/289627154754772383");
        assertThat(store.find("acme", ref)).get().satisfies(c -> {
            assertThat(c.mediaType()).isEqualTo("image/jpeg");
            assertThat(c.size()).isEqualTo(10);
        });
        fetcher.fetch(job);
        assertThat(line.count("/v2/bot/message/289627154754772383/content")).isEqualTo(1);
        assertThat(status.count(ContentFetcher.STORED)).isEqualTo(1);
        assertThat(ContentJob.decode(job.encode())).isEqualTo(job);
    }

    @Test
    void contentStillBeingPreparedIsTriedAgain() throws IOException {
        ContentJob job = job("message-audio.json");
        line.putContent("934863229277110418", new byte[] {1, 2, 3}, "audio/x-m4a");
        line.preparing("934863229277110418", 2);
        assertThatThrownBy(() -> fetcher.fetch(job)).isInstanceOf(RetryableDeliveryException.class);
        assertThatThrownBy(() -> fetcher.fetch(job)).isInstanceOf(RetryableDeliveryException.class);
        fetcher.fetch(job);
        assertThat(store.bytes).hasSize(1);
    }

    @Test
    void contentLineNoLongerHasOrThatIsTooLargeIsRecordedAsUnavailableNotRetried() throws IOException {
        fetcher.fetch(job("message-file.json"));
        assertThat(notes).singleElement().satisfies(n -> {
            assertThat(n.type()).isEqualTo(InteractionEventType.NOTE);
            assertThat(n.eventId()).isEqualTo("01JD8SQBK1AEPHN5M42HF0HY2G/content-unavailable");
            assertThat(n.attributes()).containsEntry(ConnectorAttributes.JOIN_ONLY, "true")
                    .containsEntry("line.content.unavailable", "http-404");
            assertThat(n.threadKey()).isEqualTo("line.main:U4af4980629b3e2c7d1a5f0e86c9b2d47");
        });
        line.putContent("289627154754772383", new byte[2_000], "image/jpeg");
        fetcher.fetch(job("message-image.json"));
        assertThat(notes).hasSize(2);
        assertThat(notes.get(1).attributes()).containsEntry("line.content.unavailable", "too-large");
        assertThat(store.bytes).isEmpty();
        assertThat(status.count(ContentFetcher.UNAVAILABLE)).isEqualTo(2);
    }

    @Test
    void serverErrorsAndAnOutageAreRetriedWithHealthDegraded() throws IOException {
        ContentJob job = job("message-image.json");
        line.failNext(503, 1, "3");
        assertThatThrownBy(() -> fetcher.fetch(job)).isInstanceOf(RetryableDeliveryException.class)
                .satisfies(e -> assertThat(((RetryableDeliveryException) e).retryAfter())
                        .isEqualTo(Duration.ofSeconds(3)));
        assertThat(status.status()).isEqualTo(Health.Status.DEGRADED);
        line.stop();
        assertThatThrownBy(() -> fetcher.fetch(job)).isInstanceOf(RetryableDeliveryException.class);
        line.restart();
        line.putContent("289627154754772383", new byte[] {9}, "image/jpeg");
        fetcher.fetch(job);
        assertThat(status.status()).isEqualTo(Health.Status.UP);
    }
}
